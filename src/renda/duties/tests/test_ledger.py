"""The 履职活动 ledger sheet: replay through the services, row-level errors (nothing written),
idempotent re-import, later progress as an update, round trip."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from tests.support import World

from renda.duties import services
from renda.duties.models import Activity, ActivityTransition, Attendance
from renda.duties.tests.helpers import make_activity
from renda.ledger.exporter import ledger_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook

pytestmark = pytest.mark.django_db
#: A date to come (plans are allowed up to the end of next year).
SOON = timezone.localdate() + dt.timedelta(days=30)

HEADERS = ["编号", "所属镇街代码", "活动类型", "活动名称", "活动日期", "开始时间", "结束时间", "活动地点", "组织单位",
           "组织方类别", "代表小组", "出席代表", "请假代表", "缺席代表", "待签到代表", "活动内容", "活动成果", "状态"]


def row(world: World, **values: Any) -> list[Any]:
    base = {"编号": "HD2023-003", "所属镇街代码": world.town.code, "活动类型": "司法见证",
            "活动名称": "区检察院案件公开听证", "活动日期": "2023-02-23", "开始时间": "09:00", "结束时间": "11:00",
            "活动地点": "区人民检察院听证室", "组织单位": "区人民检察院", "组织方类别": "检察院",
            "出席代表": world.deputy.name, "请假代表": world.presidium_deputy.name, "活动成果": "发表听证意见",
            "状态": "已归档"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"履职活动": [HEADERS, *rows]})


SHEETS = {"镇街", "村社区", "网格", "网格员", "承办单位", "代表", "履职活动"}


def export_bytes() -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, [s for s in ledger_sheets() if s[0] in SHEETS])
    return buf.getvalue()


def test_rows_are_replayed_through_the_services(world: World) -> None:
    result = import_workbook(sheet(
        row(world),
        row(world, 编号="HD2023-004", 活动类型="座谈会", 状态="已开展", 请假代表=None),
        row(world, 编号="HD2023-005", 活动类型="学习", 状态="计划中", 请假代表=None, 出席代表=None,
            活动成果=None, 活动日期=SOON.isoformat()),
        row(world, 编号="HD2023-006", 状态="已取消", 请假代表=None),
    ))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 4 条, 更新 0 条"
    assert dict(Activity.objects.values_list("code", "state")) == {
        "HD2023-003": "archived", "HD2023-004": "held", "HD2023-005": "planned", "HD2023-006": "cancelled"}
    a = Activity.objects.get(code="HD2023-003")
    assert a.type == "judicial_witness" and a.organizer_kind == "procuratorate" and a.outcome == "发表听证意见"
    assert dict(a.participations.values_list("deputy_id", "attendance")) == {
        world.deputy.pk: Attendance.ATTENDED, world.presidium_deputy.pk: Attendance.LEAVE}
    assert list(ActivityTransition.objects.filter(activity=a).values_list("action", flat=True)) == [
        "plan", "hold", "archive"]


@pytest.mark.parametrize(("values", "column", "message"), [
    ({"活动类型": "开会"}, "活动类型", ""),
    ({"开始时间": "9点"}, "开始时间", "应为 时:分"),
    ({"结束时间": "08:59"}, "结束时间", "早于开始时间"),
    ({"出席代表": "没有这个人"}, "出席代表", "没有名为"),
    ({"请假代表": "DEPUTY"}, "请假代表", "已列在出席代表中"),
    ({"所属镇街代码": "340399999000"}, "所属镇街代码", "不存在"),
    ({"活动日期": "2099-01-01"}, "状态", "活动日期未到"),
    ({"活动名称": None}, "活动名称", ""),
])
def test_errors_name_row_and_column_and_nothing_is_written(world: World, values: dict[str, Any], column: str,
                                                          message: str) -> None:
    values = {k: (world.deputy.name if v == "DEPUTY" else v) for k, v in values.items()}
    result = import_workbook(sheet(row(world, 编号="HD2023-009"), row(world, **values)))
    assert not result.ok
    assert any(line.startswith(f"工作表「履职活动」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Activity.objects.exists()


def test_the_edges_of_the_times_are_accepted(world: World) -> None:
    result = import_workbook(sheet(row(world, 开始时间="00:00", 结束时间="23:59")))
    assert result.ok, result.error_lines()
    bad = import_workbook(sheet(row(world, 编号="HD2023-010", 开始时间="24:00")))
    assert not bad.ok


def test_reimport_is_idempotent_and_later_progress_updates(world: World) -> None:
    first = sheet(row(world, 状态="计划中", 请假代表=None, 出席代表=world.deputy.name, 活动成果=None))
    assert import_workbook(first).ok
    first.seek(0)
    again = import_workbook(first)
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
    later = import_workbook(sheet(row(world)))  # held and archived, the presidium member on leave
    assert later.ok and later.summary == "新增 0 条, 更新 1 条", later.error_lines()
    a = Activity.objects.get()
    assert a.state == "archived" and a.participations.count() == 2
    changed = import_workbook(sheet(row(world, 活动名称="别的名称")))
    assert not changed.ok and "「活动名称」" in changed.error_lines()[0]
    back = import_workbook(sheet(row(world, 状态="已开展")))
    assert not back.ok and "导入不能改为" in " ".join(back.error_lines())
    fewer = import_workbook(sheet(row(world, 请假代表=None)))
    assert not fewer.ok and "不能通过导入移除" in " ".join(fewer.error_lines())


def _build(world: World) -> None:
    staff = world.users["staff"]
    a = make_activity(world, code="HD2023-001")
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.deputy, attendance="attended")
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.presidium_deputy, attendance="leave")
    services.activity_hold(actor=staff, activity_id=a.pk, outcome="发表听证意见")
    services.activity_archive(actor=staff, activity_id=a.pk)
    b = make_activity(world, code="HD2023-002", type="study", title="学习会", starts_at=None, ends_at=None,
                      organizer_kind="presidium", organizer="")
    services.activity_hold(actor=staff, activity_id=b.pk)
    make_activity(world, code="HD2023-003", type="symposium", title="座谈会", on=SOON)


def test_round_trip_export_import_export(world: World) -> None:
    _build(world)
    exported = export_bytes()
    before = read(io.BytesIO(exported))["履职活动"]
    assert len(before) == 4 and before[1][0] == "HD2023-001"
    with transaction.atomic():
        sid = transaction.savepoint()
        Activity.objects.all().delete()
        result = import_workbook(io.BytesIO(exported))
        assert result.ok, result.error_lines()
        after = read(io.BytesIO(export_bytes()))["履职活动"]
        transaction.savepoint_rollback(sid)
    assert after == before
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
