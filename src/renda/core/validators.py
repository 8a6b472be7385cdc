"""Validators shared by forms, models, the API and ledger imports.

The text-cleaning rule at the edge (``clean_text``, applied to every text field of every record a
service writes by ``core.services.full_clean``, and by services to text they look up before):

- control characters: a multi-line text (a ``TextField``: content, opinions, notes) is pasted
  from elsewhere, so its vertical tabs and form feeds become line breaks and its other control
  characters (NUL …) are stripped; a one-line text (a ``CharField``: a title, a name, a code)
  has its tabs and line breaks made spaces and any other control character refused;
- invisible characters (whitespace, zero-width spaces, BOM) at either end are removed, so a
  required title of only zero-width spaces is blank, hence refused;
- one length limit per field: the model's ``max_length`` (``TEXT_MAX_LENGTH`` for a text
  without one, as the API's schemas cap it);
- dates within a sane window (``validate_date_window``): none before 1949; an event date not
  after the end of next year; a planned date (a deadline, a term's end) within a few years;
- 编号 of safe characters only (``validate_code``); ID numbers with a real, past birth date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
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


def id_number_birth_date(value: str) -> dt.date | None:
    """The birth date an 18-digit ID number holds (characters 7-14), or None if it is no date."""
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def is_id_number(value: str) -> bool:
    """GB 11643-1999 citizen ID number: 17 digits and an ISO 7064 MOD 11-2 check character, its
    birth date a real date from 1900 to today (not in the future)."""
    v = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return False
    born = id_number_birth_date(v)
    if born is None or not dt.date(1900, 1, 1) <= born <= timezone.localdate():
        return False
    return id_number_check_digit(v[:17]) == v[17]


def validate_id_number(value: str) -> None:
    if value and not is_id_number(value):
        raise ValidationError(_("身份证号码不正确（18位，出生日期或校验位不符）"), code="id_number")


def validate_region_code(value: str) -> None:
    if not REGION_CODE_RE.match(value):
        raise ValidationError(_("区划代码应为12位数字"), code="region_code")


def validate_grid_code(value: str) -> None:
    if not GRID_CODE_RE.match(value):
        raise ValidationError(_("网格编码应为15位数字（村社区代码+3位）"), code="grid_code")


# --- the text-cleaning rule at the edge ------------------------------------------------------

#: The length limit of a multi-line text whose model field sets none (the API's schemas too).
TEXT_MAX_LENGTH = 10000
#: A line break in a pasted text (vertical tab, form feed: Word's manual line and page breaks).
_PASTED_BREAK = re.compile("\r\n?|[\x0b\x0c]")
#: Control characters: C0 and C1 but tab and line feed, and DEL.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_SPACE = re.compile("[\t\r\n]")


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def strip_invisible(text: str) -> str:
    """``text`` without whitespace and invisible format characters (zero-width space …) at its ends."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def clean_text(value: str, *, label: object = "", max_length: int | None = None, multiline: bool = False) -> str:
    """``value`` cleaned by the edge rule (see the module), or ``ValidationError`` with a Chinese
    message naming ``label``: a control character in a one-line text, or longer than ``max_length``."""
    text = str(value)
    if multiline:
        text = _CONTROL.sub("", _PASTED_BREAK.sub("\n", text))
    else:
        text = _LINE_SPACE.sub(" ", text)
        if _CONTROL.search(text):
            message = _("「{label}」含有不可见的控制字符，请删除后重新输入") if label \
                else _("含有不可见的控制字符，请删除后重新输入")
            raise ValidationError(message.format(label=label), code="control_character")
    text = strip_invisible(text)
    limit = max_length if max_length is not None else (TEXT_MAX_LENGTH if multiline else None)
    if limit is not None and len(text) > limit:
        message = _("「{label}」最多{limit}个字（现有{n}个）") if label else _("最多{limit}个字（现有{n}个）")
        raise ValidationError(message.format(label=label, limit=limit, n=len(text)), code="max_length")
    return text


#: The earliest date any record may hold (ledger history goes back to 1949).
EARLIEST_DATE = dt.date(1949, 1, 1)
#: How many years ahead a planned date (a deadline, a term's end, a duty day) may be.
PLANNED_YEARS = 5


def latest_date(*, planned: bool = False, today: dt.date | None = None) -> dt.date:
    """The last acceptable date: the end of next year for an event (registered, replied …), the
    end of the ``PLANNED_YEARS``-th year ahead for a planned date."""
    year = (today or timezone.localdate()).year
    return dt.date(year + (PLANNED_YEARS if planned else 1), 12, 31)


def validate_date_window(value: dt.date | None, *, label: object = "", planned: bool = False,
                         today: dt.date | None = None) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    last = latest_date(planned=planned, today=today)
    if value < EARLIEST_DATE or value > last:
        raise ValidationError(
            _("「{label}」应在{first}至{last}之间").format(label=label, first=EARLIEST_DATE.isoformat(),
                                                        last=last.isoformat()), code="date_window")


#: A 编号: letters (Chinese too), digits and ``- _ .`` — no path, quote or separator characters.
CODE_RE = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff][0-9A-Za-z\u4e00-\u9fff_.-]*$")


def validate_code(value: str) -> None:
    if value and (not CODE_RE.match(value) or ".." in value):
        raise ValidationError(_("编号只能包含字母、数字、汉字和 - _ ."), code="code")


def validate_count(value: int | None, *, label: object = "", maximum: int) -> None:
    if value is not None and not 0 <= value <= maximum:
        raise ValidationError(_("「{label}」应在0至{maximum}之间").format(label=label, maximum=maximum), code="count")
