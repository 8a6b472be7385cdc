"""What keeps a large import's memory flat and its rows fast: a sheet's result lists its first
rows only (the counts stay exact, the command and the preview say how many more there are),
and the records rows name again and again are looked up once — but never reused after a
failed row whose savepoint took them away."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core.roles import Role
from renda.ledger import importer
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import GOOD, import_path, with_rows, workbook  # noqa: F401 (import_path: a fixture)
from renda.places.models import Region
from renda.suggestions.models import Suggestion, SuggestionCategory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_path")]

#: GOOD with five grids in all.
FIVE_GRIDS = with_rows(
    GOOD,
    "网格",
    ["340302100001", "340302100001002", "一村二网格"],
    ["340302100001", "340302100001003", "一村三网格"],
    ["340302100001", "340302100001004", "一村四网格"],
)

SUGGESTION_HEADERS = [
    "编号",
    "类型",
    "登记日期",
    "所属镇街代码",
    "提出人",
    "联系电话",
    "所属村社区代码",
    "类别",
    "标题",
    "主办单位",
    "交办日期",
    "办理期限",
]


def suggestion_row(world: World, code: str, **values: Any) -> list[Any]:
    base = {
        "编号": code,
        "类型": "群众意见",
        "登记日期": "2023-01-05",
        "所属镇街代码": world.town.code,
        "提出人": "张小三",
        "联系电话": "13812345678",
        "所属村社区代码": world.village.code,
        "类别": "交通出行",
        "标题": f"修建公交车站台 {code}",
        "主办单位": world.unit.name,
        "交办日期": "2023-01-06",
        "办理期限": "2023-02-05",
    }
    base.update(values)
    return [base.get(h) for h in SUGGESTION_HEADERS]


def suggestions(*rows: list[Any]) -> io.BytesIO:
    return workbook({"意见建议": [SUGGESTION_HEADERS, *rows]})


def test_a_sheet_lists_its_first_rows_only_and_counts_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "ITEMS_KEPT", 2)
    result = import_workbook(workbook(FIVE_GRIDS))
    assert result.ok, result.error_lines()
    grids = next(s for s in result.sheets if s.name == "网格")
    assert (grids.created, grids.updated, grids.unchanged) == (5, 0, 0)
    assert [(i.action, i.row, i.label) for i in grids.items] == [
        ("created", 2, "340302100001001 一村一网格"),
        ("created", 3, "340302100002001 二社区一网格"),
    ]
    assert (grids.item_count, grids.items_omitted) == (5, 3)
    # The district a town row creates on the side counts, listed or not.
    towns = next(s for s in result.sheets if s.name == "镇街")
    assert (towns.created, len(towns.items), towns.items_omitted) == (3, 2, 1)
    assert result.summary == "新增 15 条, 更新 0 条"
    assert Region.objects.filter(level="grid").count() == 5

    # Updates are listed the same way; unchanged rows are counted, never listed.
    changed = {k: [list(r) for r in v] for k, v in FIVE_GRIDS.items()}
    for r in changed["网格"][1:]:
        r[2] += "（改）"
    again = import_workbook(workbook(changed))
    grids = next(s for s in again.sheets if s.name == "网格")
    assert (grids.created, grids.updated, len(grids.items), grids.items_omitted) == (0, 5, 2, 3)
    assert again.unchanged == 9  # every other row


def test_the_command_says_how_many_rows_it_does_not_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(importer, "ITEMS_KEPT", 2)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook(FIVE_GRIDS).getvalue())
    out = io.StringIO()
    call_command("import_ledger", str(path), "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    start = lines.index("工作表「网格」: 新增 5 条, 更新 0 条, 未变 0 条")
    assert lines[start + 1 : start + 4] == [
        "  新增 340302100001001 一村一网格",
        "  新增 340302100002001 二社区一网格",
        "  另有 3 条未列出",
    ]
    # A sheet whose rows are all listed says nothing more.
    villages = lines.index("工作表「村社区」: 新增 2 条, 更新 0 条, 未变 0 条")
    assert lines[villages + 3].startswith("工作表「")
    assert lines[-1] == "新增 15 条, 更新 0 条"


def test_rows_naming_the_same_records_look_them_up_once(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = import_workbook(suggestions(*(suggestion_row(world, f"YJ2023-{n:03d}") for n in range(1, 7))))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 7 条, 更新 0 条"  # 6 items and the category 交通出行
    by_code = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "places_region"' in q["sql"] and '"places_region"."code" =' in q["sql"]
    ]
    by_name = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "units_unit"' in q["sql"] and '"units_unit"."name" =' in q["sql"]
    ]
    assert len(by_code) == 2  # the town and the village, once each
    assert len(by_name) == 1
    category = SuggestionCategory.objects.get(town=world.town, name="交通出行")
    assert set(Suggestion.objects.filter(code__startswith="YJ2023-").values_list("category", flat=True)) == {
        category.pk
    }


def test_a_record_created_by_a_failed_row_is_not_reused(world: World) -> None:
    """Row 2 creates the category 新类别, then fails (a masked name): its savepoint takes the
    category away, so row 3 creates it again instead of naming a record that is gone."""
    data = suggestions(
        suggestion_row(world, "YJ2023-001", 类别="新类别", 提出人="张*三"),
        suggestion_row(world, "YJ2023-002", 类别="新类别"),
    )
    result = import_workbook(data, dry_run=True)
    assert result.error_lines() == [
        "工作表「意见建议」第2行「提出人」: 是脱敏后的内容，请使用命令行（系统）导出的台账导入新事项"
    ]
    sheet = result.sheets[0]
    assert (sheet.created, [(i.row, i.label) for i in sheet.items]) == (
        2,
        [(3, "类别 新类别"), (3, "YJ2023-002 修建公交车站台 YJ2023-002")],
    )
    assert not SuggestionCategory.objects.filter(name="新类别").exists()


@pytest.mark.django_db
def test_pending_notifications_hold_ids_not_records(world: World) -> None:
    """A long import holds every notification until it commits: each must keep an id, not the
    item with its relations (that was 90 % of an import's memory growth, ~7 KB a row)."""
    from functools import partial

    from django.db import connection, transaction

    from renda.suggestions import services as suggestion_services
    from renda.suggestions.tests.helpers import public_item

    with transaction.atomic():
        s = public_item(world)
        suggestion_services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                              lead_unit=world.unit)
        callbacks = [entry[1] for entry in connection.run_on_commit]
        assert callbacks
        assert all(isinstance(cb, partial) and all(isinstance(a, int) for a in cb.args) for cb in callbacks)
