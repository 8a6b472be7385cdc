"""Excel (.xlsx) writing shared by list exports and ledgers: write-only, streamed from a temp file.

Every cell of every workbook the platform writes goes through ``cell_value`` and is written safe
(``safe_cell`` for write-only sheets, ``put`` for ordinary ones):

- text that a spreadsheet would read as a formula — its first character after any leading
  whitespace or control characters is ``= + - @`` or a full-width ``＝ ＋ － ＠`` (OWASP CSV
  injection) — is stored as a text cell (``t="s"``), its visible text unchanged, never as a
  formula (openpyxl writes any str starting with "=" as one);
- characters XML cannot hold (NUL, other C0 controls but tab/newline/CR) are removed;
- numbers, dates and times stay typed."""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from renda.core.downloads import attach
from renda.core.validators import strip_not_xml

#: Characters that start a formula in Excel, LibreOffice or WPS (full-width ones too: WPS reads them).
FORMULA_START = frozenset("=+-@＝＋－＠")


def cell_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, (int, float, dt.date)):
        return value
    return strip_not_xml(str(value))


def is_formula_text(value: Any) -> bool:
    """Whether a spreadsheet could read ``value`` as a formula: a str whose first character that
    is neither whitespace nor a control/format character (zero-width space …) starts one."""
    if not isinstance(value, str):
        return False
    for ch in value:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return ch in FORMULA_START
    return False


def safe_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """``value`` as ``cell_value`` writes it, for ``ws.append``; formula-like text as a text cell."""
    v = cell_value(value)
    if is_formula_text(v):
        c = WriteOnlyCell(ws, value=v)
        c.data_type = "s"
        return c
    return v


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into a cell of an ordinary (not write-only) sheet, safe as ``safe_cell``."""
    c = ws.cell(row=row, column=column, value=cell_value(value))
    if is_formula_text(c.value):
        c.data_type = "s"
    return c


def print_fitted(ws: Worksheet) -> None:
    """Print ``ws`` landscape, as wide as one page, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def write_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> WriteOnlyWorksheet:
    ws: WriteOnlyWorksheet = wb.create_sheet(title=title)
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=cell_value(h))
        c.data_type = "s" if is_formula_text(c.value) else c.data_type
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    for row in rows:
        ws.append([safe_cell(ws, v) for v in row])
    return ws


def xlsx_response(filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> FileResponse:
    """Write the sheets to a temporary file and stream it back as an attachment."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        write_sheet(wb, title, headers, rows)
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    response = FileResponse(
        tmp, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    attach(response, filename)
    return response
