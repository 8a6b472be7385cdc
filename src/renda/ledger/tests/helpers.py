"""Workbooks for ledger tests, built and read with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

Sheets = Mapping[str, Sequence[Sequence[Any]]]

#: A complete, valid set of organization sheets for an empty database (header row first).
GOOD: dict[str, list[list[Any]]] = {
    "镇街": [
        ["区划代码", "名称", "所属区县"],
        ["340302100000", "示例镇", "示例区"],
        ["340302001000", "东风街道", "示例区"],
    ],
    "村社区": [
        ["区划代码", "名称", "类型", "所属镇街代码"],
        ["340302100001", "一村", "村", "340302100000"],
        ["340302100002", " 二社区 ", "社区", "340302100000"],
    ],
    "网格": [
        # columns in another order
        ["所属村社区代码", "网格编码", "名称"],
        ["340302100001", "340302100001001", "一村一网格"],
        ["340302100002", "340302100002001", "二社区一网格"],
    ],
    "网格员": [
        ["姓名", "手机号", "类型", "负责网格"],
        ["张三", "13800000001", "专职", "340302100001001；340302100002001"],
    ],
    "承办单位": [
        ["名称", "类型", "所属镇街代码", "联系人", "联系电话"],
        ["镇经济发展中心", "镇直部门", "340302100000", "李四", "0552-1234567"],
        ["市场所", "区直单位", "340302100000", None, None],
    ],
    "代表": [
        [
            "姓名",
            "手机号",
            "层级",
            "届次",
            "选区",
            "所属镇街代码",
            "所属村社区代码",
            "主席团成员",
            "联系网格",
        ],
        [
            "王五",
            "13900000001",
            "镇人大代表",
            "第十八届",
            "第一选区",
            "340302100000",
            "340302100001",
            "是",
            "340302100001001;340302100002001",
        ],
        # a phone typed as a number, blank optional cells
        ["赵六", 13900000002, "区人大代表", None, None, "340302100000", None, None, None],
    ],
}


def workbook(sheets: Sheets) -> io.BytesIO:
    wb = Workbook()
    assert wb.active is not None
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def read(source: bytes | io.BytesIO) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, blank cells as None."""
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    wb = load_workbook(data, read_only=True)
    out = {
        ws.title: [tuple(None if v == "" else v for v in row) for row in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
    }
    wb.close()
    return out


def with_rows(base: Mapping[str, list[list[Any]]], sheet: str, *rows: list[Any]) -> dict[str, list[list[Any]]]:
    """A copy of ``base`` with ``rows`` appended to ``sheet``."""
    out = {k: [list(r) for r in v] for k, v in base.items()}
    out.setdefault(sheet, []).extend(list(r) for r in rows)
    return out


@pytest.fixture(params=["row", "bulk"])
def import_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with every sheet imported row by row, then with every sheet that has a bulk
    path (意见建议) imported by it: both must refuse, write and report the same. Use with
    ``pytest.mark.usefixtures("import_path")`` (and import this fixture into the module)."""
    from renda.ledger import importer

    monkeypatch.setattr(importer, "BULK_MIN_ROWS", 0 if request.param == "bulk" else 10**9)
    return str(request.param)
