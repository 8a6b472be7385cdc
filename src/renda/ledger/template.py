"""The ledger template (台账导入模板): every registered sheet with its exact headers, built from
the sheet definitions (``renda.core.ledger``), for an office to fill in.

- **Example rows from the user's own town.** Each sheet's example is a record the town already
  has, written as the export writes it (personal data masked on the web): uploading the template
  unchanged adds and changes nothing and reports no error. A sheet the town has no record of yet
  gets no example row; the 说明 sheet says so. Without a town (a district-wide user who chose
  none) the template has no example rows, with a note.
- **Drop-down lists** (data validation) on the coded columns: the fixed codes of a choice column
  and 是/否 strictly; the town's codes (its villages, grids, units) as a warning only, since a row
  may name a village added on an earlier sheet of the same workbook. The lists are on a hidden
  sheet 代码表, referenced by range.
- Column widths from the header and the content, the header row frozen, required headers in
  red with the column's help as a comment, and a 说明 sheet that explains every column.
- Cells written with ``core.export.put``: no text becomes a formula.

The importer skips the 说明 and 代码表 sheets silently (``TEMPLATE_SHEETS``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from renda.audit import context
from renda.core.export import print_fitted, put
from renda.core.ledger import registry
from renda.core.ledger.cells import ColumnSpec, as_text, export_cell, is_blank
from renda.core.ledger.registry import SheetSpec
from renda.places.models import Level, Region
from renda.units.models import Unit

HELP_SHEET = "说明"
CODES_SHEET = "代码表"
#: Sheets of the template that are not data: the importer skips them without a warning.
TEMPLATE_SHEETS = frozenset({HELP_SHEET, CODES_SHEET})

#: How many of a sheet's exported rows are looked at to pick the fullest as its example.
EXAMPLE_CANDIDATES = 20
#: Rows that a drop-down list covers below the header.
VALIDATED_ROWS = 5000
#: Widths (characters) of a column: at least, at most, and at least for some kinds of cell.
MIN_WIDTH, MAX_WIDTH = 8, 50
KIND_WIDTH = {"date": 12, "region_code": 14, "grid_code": 17, "phone": 14, "id_number": 20}

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)


def display_width(value: Any) -> int:
    """Characters as a spreadsheet shows them: a Chinese character takes two."""
    text = as_text(value) if not isinstance(value, str) else value
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _kind_text(column: ColumnSpec) -> str:
    kind = column.kind
    if kind == "choice":
        return _("从下拉列表选择：{choices}").format(choices="、".join(column.choices))
    if kind == "yes_no":
        return _("是 或 否（空白为否）")
    if kind == "text" and column.max_length:
        return _("文本，不超过{n}个字").format(n=column.max_length)
    return {
        "text": _("文本"),
        "region_code": _("12位区划代码"),
        "grid_code": _("15位网格编码（村社区代码+3位）"),
        "phone": _("手机号或固定电话（如 0552-1234567）"),
        "id_number": _("18位身份证号（校验位须正确）"),
        "date": _("日期单元格或 YYYY-MM-DD 文本"),
        "list": _("多项用 ; 分隔"),
    }.get(kind, _("文本"))


# --- the town's codes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeList:
    """A drop-down list: its title on the 代码表 sheet, the values, their names (or none), and
    whether other values are refused (fixed codes) or only warned about (the town's records)."""

    title: str
    values: tuple[str, ...]
    names: tuple[str, ...] = ()
    strict: bool = True


def _reference_lists(town: Region | None) -> dict[str, CodeList]:
    """The town's codes by the header that takes them (the headers of shared/LEDGER.md)."""
    if town is None:
        return {}
    villages = list(Region.objects.filter(level=Level.VILLAGE, town=town, is_active=True).order_by("code"))
    grids = list(Region.objects.filter(level=Level.GRID, town=town, is_active=True).order_by("code"))
    units = list(Unit.objects.filter(town=town, is_active=True).order_by("name"))
    town_list = CodeList(_("镇街代码"), (town.code,), (town.name,), strict=False)
    village_list = CodeList(_("村社区代码"), tuple(v.code for v in villages), tuple(v.name for v in villages),
                            strict=False)
    grid_list = CodeList(_("网格编码"), tuple(g.code for g in grids), tuple(g.name for g in grids), strict=False)
    unit_list = CodeList(_("承办单位"), tuple(u.name for u in units), strict=False)
    return {"所属镇街代码": town_list, "所属村社区代码": village_list, "所属网格编码": grid_list,
            "主办单位": unit_list}


def _list_for(spec: SheetSpec, column: ColumnSpec, references: Mapping[str, CodeList]) -> CodeList | None:
    if column.choices:
        return CodeList(f"{spec.name}·{column.header}", column.choices)
    ref = references.get(column.header)
    if ref is not None and ref.values and column.header not in spec.key:
        return ref
    return None


# --- examples -----------------------------------------------------------------------------------


def _filled(values: Sequence[Any]) -> int:
    return sum(not is_blank(v) for v in values)


def example_rows(spec: SheetSpec, town: Region | None) -> list[list[Any]]:
    """One of the town's own rows of ``spec`` as the export writes it — of the first few, the one
    with the most cells filled — or none (no town, or the town has no such record yet)."""
    if town is None:
        return []
    candidates = [[export_cell(v) for v in spec.row_values(row)]
                  for row in islice(spec.export(town), EXAMPLE_CANDIDATES)]
    if not candidates:
        return []
    return [max(candidates, key=_filled)]


# --- the workbook -------------------------------------------------------------------------------


def _header(ws: Worksheet, headers: Iterable[tuple[str, bool, str]]) -> None:
    for index, (text, required, help_text) in enumerate(headers, start=1):
        c = put(ws, 1, index, text)
        c.font = REQUIRED_FONT if required else HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = Alignment(vertical="center")
        if help_text:
            c.comment = Comment(help_text, "renda", width=240, height=90)
    ws.freeze_panes = "A2"


class _Codes:
    """The hidden 代码表 sheet: one list per column pair (values, names), added as needed."""

    def __init__(self, wb: Workbook) -> None:
        self.ws = wb.create_sheet(CODES_SHEET)
        self.ws.sheet_state = "hidden"
        self.ranges: dict[tuple[str, tuple[str, ...]], str] = {}
        self.next_column = 1

    def range_of(self, codes: CodeList) -> str:
        key = (codes.title, codes.values)
        if key not in self.ranges:
            col = self.next_column
            self.next_column += 2 if codes.names else 1
            put(self.ws, 1, col, codes.title).font = HEADER_FONT
            for row, value in enumerate(codes.values, start=2):
                put(self.ws, row, col, value)
            if codes.names:
                put(self.ws, 1, col + 1, _("名称")).font = HEADER_FONT
                for row, name in enumerate(codes.names, start=2):
                    put(self.ws, row, col + 1, name)
            for c in range(col, self.next_column):
                width = max(display_width(v) for v in (codes.title, *codes.values, *codes.names))
                self.ws.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, width + 2)
            letter = get_column_letter(col)
            self.ranges[key] = f"{quote_sheetname(CODES_SHEET)}!${letter}$2:${letter}${len(codes.values) + 1}"
        return self.ranges[key]


def _validation(codes: CodeList, formula: str, header: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorStyle="stop" if codes.strict else "warning")
    dv.errorTitle = header
    dv.error = (_("请从下拉列表中选择") if codes.strict
                else _("不在本镇街已有的列表中；如为本工作簿前面工作表新增的记录，可继续"))
    return dv


def _data_sheet(wb: Workbook, spec: SheetSpec, rows: list[list[Any]], codes: _Codes,
                references: Mapping[str, CodeList]) -> None:
    ws = wb.create_sheet(spec.name)
    _header(ws, ((c.header, c.required, c.help) for c in spec.columns))
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            put(ws, r, col, value)
    for col, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(col)
        width = max([display_width(column.header) + 2, KIND_WIDTH.get(column.kind, MIN_WIDTH),
                     *(display_width(row[col - 1]) + 1 for row in rows)])
        ws.column_dimensions[letter].width = min(MAX_WIDTH, width)
        if column.kind == "date":
            for r in range(2, len(rows) + 2):
                ws.cell(r, col).number_format = "yyyy-mm-dd"
        code_list = _list_for(spec, column, references)
        if code_list is not None:
            dv = _validation(code_list, codes.range_of(code_list), column.header)
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")


def _notes(town: Region | None, examples: Mapping[str, bool]) -> list[str]:
    notes = [
        _("每个工作表第1行为表头，须保持原样（列的顺序可以调整）；红色表头为必填列，鼠标悬停在表头上可看到填写说明。"),
        _("日期可填日期单元格或 YYYY-MM-DD 文本；是/否列空白为「否」；一个单元格内多项用 ; 分隔。"),
        _("带下拉列表的列请从列表中选择；代码和名称见隐藏的「代码表」工作表（右键工作表标签→取消隐藏）。"),
        _("按工作表顺序导入，后面的工作表可以引用前面工作表新增的记录；先上传预览，确认无误后再导入。"),
    ]
    if town is None:
        notes.append(_("未选择镇街，本模板不含示例行。在台账页面选择镇街后下载，可得到以该镇街已登记记录为示例的模板。"))
    else:
        masked = "" if context.personal_data_in_clear() else _("（个人信息已脱敏）")
        notes.append(_("示例行取自{town}已登记的记录{masked}，原样上传不会新增或修改任何数据；"
                       "可在示例行下方填写，或删除示例行后填写。").format(town=town.name, masked=masked))
        missing = [name for name, has in examples.items() if not has]
        if missing:
            notes.append(_("{town}尚无以下工作表的记录，未附示例行：{sheets}。").format(
                town=town.name, sheets="、".join(missing)))
    return notes


def _help_sheet(ws: Worksheet, specs: Sequence[SheetSpec], town: Region | None,
                examples: Mapping[str, list[list[Any]]]) -> None:
    """The notes, then one row per column of every sheet: required, format, help and an example
    value (the town's example row's, else the sheet definition's)."""
    put(ws, 1, 1, _("台账导入模板说明")).font = Font(bold=True, size=14)
    row = 2
    for note in _notes(town, {name: bool(rows) for name, rows in examples.items()}):
        put(ws, row, 1, f"· {note}")
        row += 1
    row += 1
    headers = [_("工作表"), _("列"), _("必填"), _("格式"), _("说明"), _("示例")]
    for col, text in enumerate(headers, start=1):
        c = put(ws, row, col, text)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    ws.freeze_panes = ws.cell(row + 1, 1).coordinate
    for spec in specs:
        own = examples.get(spec.name) or []
        for index, column in enumerate(spec.columns):
            row += 1
            example = own[0][index] if own else export_cell(spec.example.get(column.header, ""))
            is_key = column.header in spec.key
            help_text = column.help + (("；" if column.help else "") + _("本表的关键列：已有的记录按它更新")
                                       if is_key else "")
            values = [spec.name, column.header, _("是") if column.required else "", _kind_text(column), help_text,
                      example]
            for col, value in enumerate(values, start=1):
                c = put(ws, row, col, value)
                c.alignment = Alignment(wrap_text=col in (4, 5), vertical="top")
            if column.required:
                ws.cell(row, 2).font = REQUIRED_FONT
    for col, width in enumerate((12, 16, 6, 36, 50, 24), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def build(town: Region | None) -> Workbook:
    """The template workbook: 说明, every registered sheet (examples from ``town``), 代码表."""
    specs = registry.sheets()
    wb = Workbook()
    help_ws = wb.active
    assert help_ws is not None
    help_ws.title = HELP_SHEET
    codes = _Codes(wb)
    references = _reference_lists(town)
    examples: dict[str, list[list[Any]]] = {}
    for spec in specs:
        rows = examples[spec.name] = example_rows(spec, town)
        _data_sheet(wb, spec, rows, codes, references)
    _help_sheet(help_ws, specs, town, examples)
    for ws in wb.worksheets:
        print_fitted(ws)
    wb.move_sheet(codes.ws, offset=len(wb.sheetnames) - 1 - wb.index(codes.ws))  # last
    wb.active = 0
    return wb


def write(dest: str | Path | IO[bytes], town: Region | None) -> None:
    build(town).save(dest)


def filename(town: Region | None) -> str:
    return _("台账导入模板-{scope}.xlsx").format(scope=town.name if town else _("无示例"))
