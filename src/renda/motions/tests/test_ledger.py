"""The 议案 ledger sheet: rows replayed through the services (the signers' rule and the time limit
apply), row-level errors with nothing written, idempotent re-import, round trip."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.ledger.exporter import ledger_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.motions import services
from renda.motions.ledger_sheets import MOTIONS
from renda.motions.models import Motion
from renda.motions.tests.helpers import D, deputies, presidium, session, staff, submitted

pytestmark = pytest.mark.django_db
HEADERS = MOTIONS.headers


def row(world: World, names: list[str], **values: Any) -> list[Any]:
    base = {"编号": "YA2023-001", "所属镇街代码": world.town.code, "届次": "18", "会次": "3",
            "案由": "关于加快农村饮水安全巩固提升的议案", "提出方式": "代表联名", "领衔代表": names[0],
            "联名代表": ";".join(names), "状态": "已落实", "提交时间": "2023-01-12 14:20",
            "主席团决定": "列入会议议程", "决定日期": "2023-01-12", "决议": "大会通过决议", "决议日期": "2023-01-13",
            "落实单位": world.unit.name, "落实情况": "新建加压泵站2座", "落实完毕日期": "2023-06-20"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"议案": [HEADERS, *rows]})


def names(world: World, n: int = 5) -> list[str]:
    return [d.name for d in deputies(world, n)]


def test_rows_are_replayed_through_the_services(world: World) -> None:
    session(world)
    result = import_workbook(sheet(row(world, names(world)),
                                   row(world, names(world), 编号="YA2023-002", 案由="关于村道硬化的议案",
                                       状态="作为代表建议处理", 主席团决定="作为代表建议处理", 决议="", 决议日期="",
                                       落实单位="", 落实情况="", 落实完毕日期="")), actor=staff(world))
    assert result.ok, result.error_lines()
    m = Motion.objects.get(code="YA2023-001")
    assert m.state == "finished" and m.signatures.count() == 5 and list(m.follow_units.all()) == [world.unit]
    assert [t.action for t in m.transitions.order_by("id")][-4:] == ["submit", "put_on_agenda", "adopt", "finish"]
    assert Motion.objects.get(code="YA2023-002").suggestion is not None


@pytest.mark.parametrize(("values", "n", "column", "message"), [
    ({}, 4, "联名代表", "5 名以上代表联名"),
    ({"提交时间": "2023-01-13 08:00"}, 5, "提交时间", "截止时间"),
    ({"主席团决定": "不列入会议议程", "状态": "不列入会议议程"}, 5, "决定理由", "须说明理由"),
    ({"会次": "7"}, 5, "会次", "人代会"),
    ({"领衔代表": "没有这个人"}, 5, "领衔代表", "代表"),
])
def test_errors_name_row_and_column_and_nothing_is_written(world: World, values: dict[str, Any], n: int,
                                                          column: str, message: str) -> None:
    session(world)
    result = import_workbook(sheet(row(world, names(world), 编号="YA2023-009"), row(world, names(world, n), **values)),
                             actor=staff(world))
    assert not result.ok
    assert any(line.startswith(f"工作表「议案」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Motion.objects.exists()


def test_round_trip_and_idempotent(world: World) -> None:
    m = services.motion_put_on_agenda(actor=presidium(world), motion_id=submitted(world).pk, on=D("2023-01-12"))
    services.motion_adopt(actor=staff(world), motion_id=m.pk, resolution="决议", on=D("2023-01-13"),
                          units=[world.unit])

    def export() -> bytes:
        buf = io.BytesIO()
        write_workbook(buf, [s for s in ledger_sheets() if s[0] == "议案"])
        return buf.getvalue()

    exported = export()
    before = read(io.BytesIO(exported))["议案"]
    assert len(before) == 2 and before[1][0] == m.code
    again = import_workbook(io.BytesIO(exported), actor=staff(world))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条", again.error_lines()
    with transaction.atomic():
        sid = transaction.savepoint()
        Motion.objects.all().delete()
        result = import_workbook(io.BytesIO(exported), actor=staff(world))
        assert result.ok, result.error_lines()
        after = read(io.BytesIO(export()))["议案"]
        transaction.savepoint_rollback(sid)
    assert after == before
