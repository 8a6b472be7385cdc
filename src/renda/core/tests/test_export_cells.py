"""Excel cells are written safe: text that starts with "=" is text, never a live formula."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from renda.core.export import put, write_sheet


def test_write_sheet_keeps_formula_like_text_as_text() -> None:
    wb = Workbook(write_only=True)
    write_sheet(wb, "表", ["标题", "数"], [['=HYPERLINK("http://x","点我")', 1], ["=1+1", "=SUM(A1:A2)"]])
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue()))["表"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","点我")', 1, "=1+1", "=SUM(A1:A2)"]
    assert [c.data_type for c in cells] == ["s", "n", "s", "s"]


def test_put_keeps_formula_like_text_as_text() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    assert put(ws, 1, 1, "=1+1").data_type == "s"
    assert put(ws, 1, 2, "普通文字").data_type == "s" and put(ws, 1, 3, 3).value == 3
    buf = io.BytesIO()
    wb.save(buf)
    assert load_workbook(io.BytesIO(buf.getvalue())).active["A1"].data_type == "s"  # type: ignore[index]
