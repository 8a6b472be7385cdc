"""A sheet from another app plugs in by registering a SheetSpec; the core needs no change."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from renda.core.ledger import cells, registry
from renda.core.ledger.registry import Action, ImportContext, Outcome, Resolved, Row, RowError, SheetSpec
from renda.ledger.exporter import template_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import GOOD, read, workbook
from renda.places.ledger_sheets import town_by_code
from renda.places.models import Region

pytestmark = pytest.mark.django_db


def _resolve(ctx: ImportContext, row: Row) -> Resolved:
    town = town_by_code(row["所属镇街代码"], "所属镇街代码")
    done = row.get("办结日期")
    if done and done < row["登记日期"]:
        raise RowError("办结日期", "早于登记日期")
    return Resolved(key=(row["编号"],), town_code=town.code, label=row["编号"], values=dict(row.values))


def _apply(ctx: ImportContext, r: Resolved) -> Outcome:
    ctx.cache.setdefault("seen", []).append(r.values)
    return Outcome(Action.CREATED, r.label)


def _export(town: Region | None) -> Iterator[dict[str, Any]]:
    yield {"编号": "YJ-1", "登记日期": None, "所属镇街代码": "340302100000"}


@pytest.fixture
def suggestions_sheet() -> Iterator[SheetSpec]:
    spec = registry.register(
        SheetSpec(
            name="测试意见",
            order=registry.ORDER_SUGGESTIONS + 99,
            key=("编号",),
            columns=(
                cells.text("编号", required=True),
                cells.date("登记日期", required=True),
                cells.region_code("所属镇街代码", required=True),
                cells.date("办结日期"),
                cells.yes_no("重点督办"),
                cells.list_of("协办单位"),
            ),
            resolve=_resolve,
            apply=_apply,
            export=_export,
            example={"编号": "YJ2023-001", "登记日期": "2023-01-05", "所属镇街代码": "340302100000"},
            town_column="所属镇街代码",
        )
    )
    yield spec
    registry.unregister(spec.name)


def test_registered_sheet_is_imported_after_the_org_sheets(suggestions_sheet: SheetSpec) -> None:
    import datetime as dt

    data = dict(GOOD)
    data["测试意见"] = [
        ["编号", "登记日期", "所属镇街代码", "办结日期", "重点督办", "协办单位"],
        ["YJ-1", dt.datetime(2023, 1, 5), "340302100000", "2023-02-01", "是", "市场所；镇经济发展中心"],
        ["YJ-2", "2023-03-01", "340302100000", "2023-02-01", None, None],
    ]
    # Put the new sheet first in the workbook: order comes from the registry, not the workbook.
    data = {"测试意见": data.pop("测试意见"), **data}
    result = import_workbook(workbook(data))
    assert result.error_lines() == ["工作表「测试意见」第3行「办结日期」: 早于登记日期"]
    assert [s.name for s in result.sheets][-1] == "测试意见"


def test_registered_sheet_is_in_template_and_export(suggestions_sheet: SheetSpec) -> None:
    buf = io.BytesIO()
    write_workbook(buf, template_sheets())
    data = read(buf.getvalue())
    assert list(data)[-1] == "测试意见"
    assert data["测试意见"][0] == ("编号", "登记日期", "所属镇街代码", "办结日期", "重点督办", "协办单位")


def test_spec_checks_its_own_consistency() -> None:
    with pytest.raises(ValueError, match="not one of its columns"):
        SheetSpec(
            name="x",
            order=999,
            key=("编号",),
            columns=(cells.text("名称"),),
            resolve=_resolve,
            apply=_apply,
            export=_export,
            example={},
        )
    with pytest.raises(ValueError, match="same order"):
        registry.register(
            SheetSpec(
                name="y",
                order=registry.ORDER_TOWNS,
                key=("名称",),
                columns=(cells.text("名称"),),
                resolve=_resolve,
                apply=_apply,
                export=_export,
                example={},
            )
        )
