"""Validators shared by forms, models, the API and ledger imports."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
REGION_CODE_RE = re.compile(r"^\d{12}$")
GRID_CODE_RE = re.compile(r"^\d{15}$")

#: Characters XML 1.0 cannot hold (an .xlsx or a .docx is XML): C0 controls but tab, newline, CR.
NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_not_xml(text: str) -> str:
    """``text`` without the characters an .xlsx or a .docx cannot hold."""
    return NOT_XML_RE.sub("", text)


def is_phone(value: str) -> bool:
    return bool(MOBILE_RE.match(value) or LANDLINE_RE.match(value))


def validate_phone(value: str) -> None:
    if value and not is_phone(value):
        raise ValidationError(_("电话号码格式不正确（手机号11位，或固定电话如 0552-1234567）"), code="phone")


def validate_mobile(value: str) -> None:
    if value and not MOBILE_RE.match(value):
        raise ValidationError(_("手机号格式不正确（应为11位，以1开头）"), code="mobile")


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_id_number(value: str) -> bool:
    """GB 11643-1999 citizen ID number: 17 digits and an ISO 7064 MOD 11-2 check character."""
    v = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return False
    return id_number_check_digit(v[:17]) == v[17]


def validate_id_number(value: str) -> None:
    if value and not is_id_number(value):
        raise ValidationError(_("身份证号码不正确（18位，校验位不符）"), code="id_number")


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.match(value):
        raise ValidationError(_("区划代码应为12位数字"), code="region_code")


def validate_grid_code(value: str) -> None:
    if not GRID_CODE_RE.match(value):
        raise ValidationError(_("网格编码应为15位数字（村社区代码+3位）"), code="grid_code")
