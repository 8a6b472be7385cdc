"""The 信访值班 ledger sheet: import through the services, errors naming row and column, all or
nothing, idempotent re-import, and export → import into an empty instance → same export."""

from __future__ import annotations

import datetime as dt
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
from renda.shifts import services
from renda.shifts.ledger_sheets import DUTY_SHIFTS
from renda.shifts.models import DutyAssignment, DutyShift
from renda.shifts.tests.helpers import D, shift

pytestmark = pytest.mark.django_db

HEADERS = ["值班日期", "时段", "所属镇街代码", "值班人员", "状态", "替换人员", "地点", "备注"]


def row(world: World, **values: Any) -> list[Any]:
    base = {"值班日期": "2023-03-01", "时段": "全天", "所属镇街代码": world.town.code,
            "值班人员": world.presidium_deputy.name, "状态": "已到岗", "地点": "信访接待室"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"信访值班": [HEADERS, *rows]})


def export_bytes() -> bytes:
    """The export of this sheet alone (other apps' sheets are tested by their apps)."""
    spec = DUTY_SHIFTS
    buf = io.BytesIO()
    rows = ([export_cell(v) for v in spec.row_values(r)] for r in spec.export(None))
    write_workbook(buf, [(spec.name, spec.headers, rows)])
    return buf.getvalue()


def test_registered_after_suggestions_and_before_petitions() -> None:
    spec = registry.get("信访值班")
    assert spec is DUTY_SHIFTS and spec.order == registry.ORDER_DUTY_SHIFTS
    assert spec.order > registry.ORDER_SUGGESTIONS
    petitions = registry.get("信访件")
    if petitions is not None:
        assert petitions.order > spec.order


def test_import_creates_shifts_people_swaps_and_attendance(world: World) -> None:
    result = import_workbook(sheet(
        row(world),
        row(world, 值班人员=world.deputy.name, 状态="缺勤", 备注="因公外出"),
        row(world, 值班日期="2023-03-02", 状态="已调换", 备注="外出开会"),
        row(world, 值班日期="2023-03-02", 值班人员=world.plain_deputy.name, 替换人员=world.presidium_deputy.name),
        row(world, 值班日期="2023-03-03", 时段="上午", 状态="已排班", 地点="便民服务中心"),
    ))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 8 条, 更新 0 条"  # 5 rows and 3 shifts
    assert DutyShift.objects.filter(town=world.town).count() == 3
    swapped = DutyAssignment.objects.get(shift__date=D("2023-03-02"), deputy=world.presidium_deputy)
    stand_in = DutyAssignment.objects.get(shift__date=D("2023-03-02"), deputy=world.plain_deputy)
    assert swapped.state == "swapped" and stand_in.replaces_id == swapped.pk and stand_in.state == "attended"
    assert DutyAssignment.objects.get(deputy=world.deputy).note == "因公外出"
    assert DutyShift.objects.get(date=D("2023-03-03")).location == "便民服务中心"


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"值班人员": "没有这个人"}, "值班人员", "没有名为「没有这个人」的代表"),
        ({"时段": "晚上"}, "时段", "应为"),
        ({"状态": "请假"}, "状态", "应为"),
        ({"值班日期": "2023/03/01"}, "值班日期", "日期格式不正确"),
        ({"所属镇街代码": "340399888000"}, "所属镇街代码", "不存在"),
        ({"替换人员": "PRES"}, "替换人员", "不能是值班人员本人"),
        ({"值班人员": "DEP", "替换人员": "PRES"}, "替换人员", "不是已调换"),
        ({"地点": "别处"}, "地点", "与同一班次第2行的地点"),
        ({"值班日期": f"{dt.date.today().year + 1}-01-05"}, "状态", "尚未到来"),
        ({"值班日期": "2099-01-05"}, "值班日期", "之间"),
        ({"值班人员": "OTHER"}, "值班人员", "没有名为"),
    ],
)
def test_errors_name_the_sheet_row_and_column_and_nothing_is_written(
        world: World, values: dict[str, Any], column: str, message: str) -> None:
    names = {"PRES": world.presidium_deputy.name, "DEP": world.deputy.name, "OTHER": world.other_deputy.name}
    values = {k: names.get(v, v) for k, v in values.items()}
    result = import_workbook(sheet(row(world, 状态="已排班"), row(world, **values)))
    assert not result.ok
    assert any(line.startswith(f"工作表「信访值班」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not DutyShift.objects.exists() and not DutyAssignment.objects.exists()


def test_reimport_changes_nothing_and_a_later_status_updates(world: World) -> None:
    first = sheet(row(world, 状态="已排班"), row(world, 值班人员=world.deputy.name, 状态="已排班"))
    assert import_workbook(first).summary == "新增 3 条, 更新 0 条"
    first.seek(0)
    assert import_workbook(first).summary == "新增 0 条, 更新 0 条"
    later = import_workbook(sheet(row(world), row(world, 值班人员=world.deputy.name, 状态="缺勤", 备注="病假")))
    assert later.ok and later.summary == "新增 0 条, 更新 2 条", later.error_lines()
    assert set(DutyAssignment.objects.values_list("state", flat=True)) == {"attended", "absent"}
    # A swap is not undone, and the person replaced is not rewritten, by an import.
    a = DutyAssignment.objects.get(deputy=world.presidium_deputy)
    services.assignment_record(actor=None, assignment_id=a.pk, state="scheduled")
    services.assignment_swap(actor=None, assignment_id=a.pk, replacement=world.plain_deputy)
    undo = import_workbook(sheet(row(world)))
    assert not undo.ok and "不能撤销" in undo.error_lines()[0]
    wrong = import_workbook(sheet(row(world, 值班人员=world.plain_deputy.name, 状态="已排班")))
    assert not wrong.ok and "「替换人员」" in wrong.error_lines()[0]


def _build(world: World) -> None:
    shift(world, on=D("2023-03-01"), deputies=[world.presidium_deputy, world.deputy], location="镇信访接待室")
    s2 = shift(world, on=D("2023-03-02"), deputies=[world.presidium_deputy])
    shift(world, on=D("2023-03-02"), period="morning", deputies=[world.plain_deputy])
    shift(world, town=world.other_town, on=D("2023-03-01"), deputies=[world.other_deputy])
    for a in DutyAssignment.objects.filter(shift__date=D("2023-03-01")):
        services.assignment_record(actor=None, assignment_id=a.pk, state="attended")
    a = s2.assignments.get()
    new = services.assignment_swap(actor=None, assignment_id=a.pk, replacement=world.deputy, note="外出开会")
    assert new is not None
    services.assignment_record(actor=None, assignment_id=new.pk, state="absent", note="临时有事")


def test_round_trip_export_import_into_empty_export_is_identical(world: World) -> None:
    with transaction.atomic():
        _build(world)
        exported = export_bytes()
        transaction.set_rollback(True)
    assert not DutyShift.objects.exists()
    rows = read(exported)["信访值班"]
    assert rows[0] == tuple(HEADERS)
    body = [r for r in rows[1:] if r[2] == world.town.code]
    assert [(r[1], r[3], r[4], r[5]) for r in body] == [
        ("全天", world.presidium_deputy.name, "已到岗", None) if body[0][3] == world.presidium_deputy.name else
        ("全天", world.deputy.name, "已到岗", None),
        *[(r[1], r[3], r[4], r[5]) for r in body[1:]],
    ]
    assert [r[1] for r in body if str(r[0])[:10] == "2023-03-02"] == ["全天", "全天", "上午"]
    assert [(r[3], r[4], r[5]) for r in body if str(r[0])[:10] == "2023-03-02" and r[1] == "全天"] == [
        (world.presidium_deputy.name, "已调换", None), (world.deputy.name, "缺勤", world.presidium_deputy.name)]
    result = import_workbook(io.BytesIO(exported))
    assert result.ok, result.error_lines()
    assert read(export_bytes()) == read(exported)
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"


def test_town_scoped_import(world: World) -> None:
    from renda.core.roles import Role

    result = import_workbook(sheet(row(world, 所属镇街代码=world.other_town.code, 值班人员=world.other_deputy.name)),
                             actor=world.users[Role.STAFF])
    assert not result.ok and "不属于您所在的镇街" in result.error_lines()[0]
