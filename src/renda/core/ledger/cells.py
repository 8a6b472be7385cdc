"""Column specifications and cell parsers shared by every sheet.

A parser takes a non-blank cell value as openpyxl reads it (str, int, float, bool, datetime …)
and returns the Python value, or raises :class:`CellError` with a message for the user.
Blank cells never reach a parser: they become the column's ``blank`` value, or an error when
the column is required.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from renda.core.validators import (
    validate_grid_code,
    validate_id_number,
    validate_phone,
    validate_region_code,
)

LIST_SEPARATORS = re.compile(r"[;；]")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The separator written between list items on export.
LIST_JOIN = ";"

Parser = Callable[[Any], Any]
#: The kinds of column (``ColumnSpec.kind``).
KINDS = ("text", "region_code", "grid_code", "phone", "id_number", "date", "yes_no", "choice", "list")


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as stripped text; whole numbers (codes and phones typed as numbers) lose ".0"."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a sheet: its header, whether it is required, how a cell is parsed."""

    header: str
    required: bool = False
    parse: Parser = as_text
    blank: Any = ""
    help: str = ""
    #: What the cell holds, for the template's 说明 sheet and column widths: one of ``KINDS``.
    kind: str = "text"
    #: The texts a coded column accepts (its drop-down list in the template).
    choices: tuple[str, ...] = ()
    #: The longest text a text column takes (None: no limit).
    max_length: int | None = None


def _run_validator(validator: Callable[[str], None], value: str) -> str:
    try:
        validator(value)
    except ValidationError as exc:
        raise CellError("；".join(str(m) for m in exc.messages)) from exc
    return value


def _text_parser(max_length: int | None) -> Parser:
    def parse(value: Any) -> str:
        s = as_text(value)
        if max_length is not None and len(s) > max_length:
            raise CellError(_("不能超过{n}个字").format(n=max_length))
        return s

    return parse


def text(header: str, *, required: bool = False, max_length: int | None = None, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, _text_parser(max_length), "", help, max_length=max_length)


def region_code(header: str, *, required: bool = False, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, lambda v: _run_validator(validate_region_code, as_text(v)), "", help,
                      kind="region_code")


def grid_code(header: str, *, required: bool = False, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, lambda v: _run_validator(validate_grid_code, as_text(v)), "", help,
                      kind="grid_code")


def phone(header: str, *, required: bool = False, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, lambda v: _run_validator(validate_phone, as_text(v)), "", help,
                      kind="phone")


def id_number(header: str, *, required: bool = False, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, lambda v: _run_validator(validate_id_number, as_text(v).upper()), "", help,
                      kind="id_number")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text_value = as_text(value)
    if not DATE_RE.match(text_value):
        raise CellError(_("日期格式不正确（应为日期单元格或 YYYY-MM-DD）"))
    try:
        return dt.date.fromisoformat(text_value)
    except ValueError as exc:
        raise CellError(_("不是有效的日期")) from exc


def date(header: str, *, required: bool = False, help: str = "") -> ColumnSpec:
    return ColumnSpec(header, required, parse_date, None, help, kind="date")


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text_value = as_text(value)
    if text_value == "是":
        return True
    if text_value == "否":
        return False
    raise CellError(_("应为「是」或「否」"))


def yes_no(header: str, *, help: str = "") -> ColumnSpec:
    """A 是/否 column; blank means 否."""
    return ColumnSpec(header, False, parse_yes_no, False, help, kind="yes_no", choices=("是", "否"))


def _choice_parser(choices: Mapping[str, Any]) -> Parser:
    def parse(value: Any) -> Any:
        text_value = as_text(value)
        if text_value not in choices:
            raise CellError(_("应为 {choices}").format(choices="、".join(choices)))
        return choices[text_value]

    return parse


def choice(header: str, choices: Mapping[str, Any], *, required: bool = False, help: str = "") -> ColumnSpec:
    """A column whose text is one of ``choices`` (cell text → stored value)."""
    return ColumnSpec(header, required, _choice_parser(choices), None, help, kind="choice", choices=tuple(choices))


def split_list(value: Any) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(as_text(value)) if p.strip()]


def _list_parser(item: Parser) -> Parser:
    def parse(value: Any) -> list[Any]:
        out: list[Any] = []
        problems: list[str] = []
        for part in split_list(value):
            try:
                parsed = item(part)
            except CellError as exc:
                problems.append(f"「{part}」{exc.message}")
                continue
            if parsed not in out:
                out.append(parsed)
        if problems:
            raise CellError("；".join(problems))
        return out

    return parse


def list_of(header: str, item: Parser | None = None, *, required: bool = False, help: str = "") -> ColumnSpec:
    """Items separated by ``;`` or ``；``, each parsed by ``item`` (text by default); duplicates dropped."""
    return ColumnSpec(header, required, _list_parser(item or _text_parser(None)), [], help, kind="list")


def grid_code_item(value: Any) -> str:
    return _run_validator(validate_grid_code, as_text(value))


def export_cell(value: Any) -> Any:
    """An exported value: lists joined with ``;``; the rest as ``core.export.cell_value`` writes it."""
    if isinstance(value, (list, tuple)):
        return LIST_JOIN.join(str(v) for v in value)
    return value


def headers_of(columns: Sequence[ColumnSpec]) -> list[str]:
    return [c.header for c in columns]
