"""The 代表小组 and 联系记录 ledger sheets: import through the services, errors naming row and
column, all or nothing, idempotent re-import, and export → import into an empty instance →
same export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.core.ledger import registry
from renda.core.ledger.cells import export_cell
from renda.ledger.exporter import write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.liaison.ledger_sheets import CONTACTS, DEPUTY_GROUPS
from renda.liaison.models import DeputyGroup, PresidiumContact, VoterContact
from renda.liaison.tests.helpers import D, make_group, make_presidium_contact, make_voter_contact

pytestmark = pytest.mark.django_db

G_HEADERS = ["小组名称", "所属镇街代码", "组长", "组员", "联系村社区网格", "备注"]
C_HEADERS = ["类型", "所属镇街代码", "联系日期", "代表", "主席团成员", "联系方式", "联系选民户数", "地点", "内容"]


def g_row(world: World, **values: Any) -> list[Any]:
    base = {"小组名称": "东片代表小组", "所属镇街代码": world.town.code, "组长": world.deputy.name,
            "组员": world.plain_deputy.name, "联系村社区网格": f"{world.village.code};{world.grid.code}"}
    base.update(values)
    return [base.get(h) for h in G_HEADERS]


def c_row(world: World, **values: Any) -> list[Any]:
    base = {"类型": "联系选民", "所属镇街代码": world.town.code, "联系日期": "2023-03-01", "代表": world.deputy.name,
            "联系方式": "走访", "联系选民户数": "3", "地点": "东湖村", "内容": "路灯损坏"}
    base.update(values)
    return [base.get(h) for h in C_HEADERS]


def p_row(world: World, **values: Any) -> list[Any]:
    base = {"类型": "主席团成员联系代表", "代表": world.plain_deputy.name, "主席团成员": world.presidium_deputy.name,
            "联系方式": "电话", "联系选民户数": "", "地点": "", "内容": "了解履职情况"}
    base.update(values)
    return c_row(world, **base)


def book(groups: list[list[Any]] | None = None, contacts: list[list[Any]] | None = None) -> io.BytesIO:
    sheets: dict[str, Any] = {}
    if groups is not None:
        sheets["代表小组"] = [G_HEADERS, *groups]
    if contacts is not None:
        sheets["联系记录"] = [C_HEADERS, *contacts]
    return workbook(sheets)


def export_bytes() -> bytes:
    buf = io.BytesIO()
    sheets = []
    for spec in (DEPUTY_GROUPS, CONTACTS):
        sheets.append((spec.name, spec.headers, [[export_cell(v) for v in spec.row_values(r)]
                                                 for r in spec.export(None)]))
    write_workbook(buf, sheets)
    return buf.getvalue()


def test_registered_after_the_organization_sheets() -> None:
    assert registry.get("代表小组") is DEPUTY_GROUPS and registry.get("联系记录") is CONTACTS
    assert CONTACTS.order > DEPUTY_GROUPS.order > registry.ORDER_DEPUTIES


def test_import_creates_groups_and_contacts(world: World) -> None:
    result = import_workbook(book([g_row(world)], [c_row(world), p_row(world)]))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 3 条, 更新 0 条"
    g = DeputyGroup.objects.get()
    assert g.leader == world.deputy and set(g.members.all()) == {world.deputy, world.plain_deputy}
    assert set(g.regions.all()) == {world.village, world.grid}
    c = VoterContact.objects.get()
    assert (c.deputy, c.on, c.way, c.households, c.issues) == (world.deputy, D("2023-03-01"), "visit", 3, "路灯损坏")
    assert PresidiumContact.objects.get().presidium_member == world.presidium_deputy


@pytest.mark.parametrize(
    ("sheet", "values", "column", "message"),
    [
        ("联系记录", {"代表": "没有这个人"}, "代表", "没有名为「没有这个人」的代表"),
        ("联系记录", {"联系方式": "写信"}, "联系方式", "应为"),
        ("联系记录", {"类型": "拜访"}, "类型", "应为"),
        ("联系记录", {"联系选民户数": "0"}, "联系选民户数", "1 至 10000"),
        ("联系记录", {"联系日期": "2023/03/01"}, "联系日期", "日期格式不正确"),
        ("联系记录", {"类型": "主席团成员联系代表"}, "主席团成员", "须填写主席团成员"),
        ("联系记录", {"类型": "主席团成员联系代表", "主席团成员": "PRES", "代表": "DEP"}, "代表", "没有联系代表"),
        ("联系记录", {"代表": "OTHER"}, "代表", "没有名为"),
        ("代表小组", {"组员": "没有这个人"}, "组员", "没有名为"),
        ("代表小组", {"联系村社区网格": "340399888001"}, "联系村社区网格", "没有村社区或网格"),
        ("代表小组", {"所属镇街代码": "340399888000"}, "所属镇街代码", "不存在"),
    ],
)
def test_errors_name_the_sheet_row_and_column_and_nothing_is_written(
        world: World, sheet: str, values: dict[str, Any], column: str, message: str) -> None:
    names = {"PRES": world.presidium_deputy.name, "DEP": world.deputy.name, "OTHER": world.other_deputy.name}
    values = {k: names.get(v, v) for k, v in values.items()}
    if sheet == "联系记录":
        wb = book([g_row(world)], [c_row(world, 联系日期="2023-02-01"), c_row(world, **values)])
    else:
        wb = book([g_row(world, 小组名称="西片"), g_row(world, **values)], [c_row(world)])
    result = import_workbook(wb)
    assert not result.ok
    assert any(line.startswith(f"工作表「{sheet}」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not DeputyGroup.objects.exists() and not VoterContact.objects.exists()


def test_reimport_changes_nothing_and_a_change_updates(world: World) -> None:
    first = book([g_row(world)], [c_row(world), p_row(world)])
    assert import_workbook(first).summary == "新增 3 条, 更新 0 条"
    first.seek(0)
    assert import_workbook(first).summary == "新增 0 条, 更新 0 条"
    later = import_workbook(book([g_row(world, 组员="", 备注="调整")],
                                 [c_row(world, 联系选民户数="5"), p_row(world, 内容="谈心谈话")]))
    assert later.ok and later.summary == "新增 0 条, 更新 3 条", later.error_lines()
    assert set(DeputyGroup.objects.get().members.all()) == {world.deputy}  # the leader stays a member
    assert VoterContact.objects.get().households == 5
    assert PresidiumContact.objects.get().content == "谈心谈话"


def test_round_trip_export_import_into_empty_export_is_identical(world: World) -> None:
    with transaction.atomic():
        make_group(world)
        make_group(world, other=True)
        make_voter_contact(world)
        make_voter_contact(world, on=D("2023-04-02"), way="phone", households=4, place="村委会")
        make_voter_contact(world, other=True)
        make_presidium_contact(world)
        make_presidium_contact(world, other=True)
        exported = export_bytes()
        transaction.set_rollback(True)
    assert not DeputyGroup.objects.exists() and not VoterContact.objects.exists()
    sheets = read(exported)
    assert len(sheets["联系记录"]) == 1 + 5 and len(sheets["代表小组"]) == 1 + 2
    result = import_workbook(io.BytesIO(exported))
    assert result.ok, result.error_lines()
    assert read(export_bytes()) == sheets
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
