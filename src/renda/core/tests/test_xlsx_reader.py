"""``core.xlsx_reader``: a workbook's rows from a second process, sheet by sheet, as openpyxl reads
them in this one; a sheet not read to its end is skipped; failures and early stops are clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from renda.core import xlsx_reader
from renda.core.xlsx_reader import ReaderError, SheetReader


def book(path: Path, rows: int = 1200) -> Path:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "甲"
    for i in range(rows):
        first.append([f"行{i}", i, dt.datetime(2023, 1, 1 + i % 28), None, 1.5 if i % 2 else True])
    second = wb.create_sheet("乙")
    second.append(["表头", "第二列"])
    second.append(["值", 2])
    wb.save(path)
    return path


def in_process(path: Path, title: str) -> list[tuple[object, ...]]:
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb[title].iter_rows(values_only=True))
    finally:
        wb.close()


def test_rows_are_what_openpyxl_reads_here(tmp_path: Path) -> None:
    path = book(tmp_path / "a.xlsx")
    reader = SheetReader(str(path), ["甲", "乙"])
    try:
        assert list(reader.rows("甲")) == in_process(path, "甲")  # more than two chunks
        assert list(reader.rows("乙")) == in_process(path, "乙")
    finally:
        reader.close()
    assert reader.process.poll() is not None


def test_a_sheet_not_read_to_its_end_is_skipped(tmp_path: Path) -> None:
    path = book(tmp_path / "a.xlsx")
    reader = SheetReader(str(path), ["甲", "乙"])
    try:
        first = reader.rows("甲")
        assert next(first) == ("行0", 0, dt.datetime(2023, 1, 1), None, True)
        assert list(reader.rows("乙")) == [("表头", "第二列"), ("值", 2)]
    finally:
        reader.close()


def test_a_failure_in_the_reader_is_raised_here(tmp_path: Path) -> None:
    path = book(tmp_path / "a.xlsx", rows=3)
    reader = SheetReader(str(path), ["甲", "没有这张表"])
    try:
        assert len(list(reader.rows("甲"))) == 3
        with pytest.raises(ReaderError, match="KeyError"):
            list(reader.rows("没有这张表"))
    finally:
        reader.close()


def test_closing_early_stops_the_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = book(tmp_path / "a.xlsx", rows=5000)
    reader = SheetReader(str(path), ["甲", "乙"])
    next(reader.rows("甲"))
    reader.close()
    assert reader.process.returncode is not None
    assert xlsx_reader.CHUNK < 5000


def _undeclared(path: Path, rows: int) -> Path:
    """A workbook as openpyxl's write-only mode (and every export of this platform) writes it: its
    sheet declares no ``<dimension>``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("甲")
    for i in range(rows):
        ws.append([f"行{i}", i])
    wb.save(path)
    return path


def test_opening_a_sheet_without_a_dimension_does_not_read_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl looks for the dimension through the whole sheet; ``load_read_only`` stops at its
    rows: a sheet whose rows are broken after the first still opens (and fails only when read).
    The replacement stays in place once made (any earlier test of this process may have made it),
    so openpyxl's own method is put back for the comparison."""
    import zipfile

    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    good = _undeclared(tmp_path / "good.xlsx", 3)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<dimension" not in data
                data = data.replace(b"</row>", b"</row><row", 1)  # not well-formed after the first row
            dst.writestr(item, data)
    xlsx_reader.load_read_only(good).close()  # the replacement made, openpyxl's method kept
    assert xlsx_reader.openpyxl_get_size is not None
    with monkeypatch.context() as patch:
        patch.setattr(ReadOnlyWorksheet, "_get_size", xlsx_reader.openpyxl_get_size)
        with pytest.raises(Exception):  # whatever openpyxl's parser raises
            load_workbook(broken, read_only=True, data_only=True)
    wb = xlsx_reader.load_read_only(broken)
    try:
        assert wb["甲"].max_row is None  # not declared: unknown, as openpyxl leaves it
    finally:
        wb.close()
    wb = xlsx_reader.load_read_only(good)
    try:
        assert list(wb["甲"].iter_rows(values_only=True)) == [("行0", 0), ("行1", 1), ("行2", 2)]
    finally:
        wb.close()


def test_a_declared_dimension_is_read_as_openpyxl_reads_it(tmp_path: Path) -> None:
    path = book(tmp_path / "a.xlsx", rows=5)
    wb = xlsx_reader.load_read_only(path)
    try:
        assert (wb["甲"].max_row, wb["甲"].max_column) == (5, 5)
        assert (wb["乙"].max_row, wb["乙"].max_column) == (2, 2)
        assert list(wb["甲"].iter_rows(values_only=True)) == in_process(path, "甲")
    finally:
        wb.close()
