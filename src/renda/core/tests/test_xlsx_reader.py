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
