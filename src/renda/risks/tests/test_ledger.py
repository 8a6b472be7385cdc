"""The 信访隐患 ledger sheet: replay through the services, errors, idempotent re-import,
round trip, masked web export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.audit import context
from renda.ledger.exporter import ledger_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.risks import services
from renda.risks.models import Risk, RiskTransition
from renda.risks.tests.helpers import ID_NUMBER, D, make_risk

pytestmark = pytest.mark.django_db

HEADERS = ["编号", "登记日期", "所属镇街代码", "所属村社区代码", "所属网格编码", "标题", "情况", "等级", "涉及人员",
           "身份证号", "联系电话", "参与代表", "参与网格员", "代表作用", "状态", "化解日期", "备注"]


def row(world: World, **values: Any) -> list[Any]:
    base = {"编号": "YH2023-001", "登记日期": "2023-02-08", "所属镇街代码": world.town.code,
            "所属网格编码": world.grid.code, "标题": "驾校亡人事件赔偿纠纷", "情况": "家属与驾校分歧", "等级": "高",
            "涉及人员": "张小三;李四", "身份证号": f"{ID_NUMBER};", "联系电话": "13812345678;13900000002",
            "参与代表": world.deputy.name, "参与网格员": world.grid_worker.name, "代表作用": "全程参与调解",
            "状态": "已化解", "化解日期": "2023-03-12", "备注": "调解结案"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"信访隐患": [HEADERS, *rows]})


#: The organisation's sheets and this one (other apps' sheets are tested by their apps).
SHEETS = {"镇街", "村社区", "网格", "网格员", "承办单位", "代表", "信访隐患"}


def export_bytes() -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, [s for s in ledger_sheets() if s[0] in SHEETS])
    return buf.getvalue()


def test_rows_are_replayed_through_the_services(world: World) -> None:
    result = import_workbook(sheet(
        row(world),
        row(world, 编号="YH2023-002", 状态="化解中", 化解日期=None, 代表作用=None, 参与网格员=None),
        row(world, 编号="YH2023-003", 状态="已上报", 化解日期=None, 代表作用=None),
        row(world, 编号="YH2023-004", 状态="已登记", 化解日期=None, 代表作用=None, 涉及人员=None, 身份证号=None,
            联系电话=None),
    ))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 4 条, 更新 0 条"
    assert dict(Risk.objects.values_list("code", "state")) == {
        "YH2023-001": "resolved", "YH2023-002": "resolving", "YH2023-003": "escalated", "YH2023-004": "registered"}
    r = Risk.objects.get(code="YH2023-001")
    assert r.village == world.village and r.resolved_on == D("2023-03-12") and r.deputies_role == "全程参与调解"
    assert r.source == "import" and r.note == "调解结案"
    people = list(r.people.order_by("position"))
    assert [p.name for p in people] == ["张小三", "李四"] and people[0].id_number == ID_NUMBER
    assert people[1].id_number == "" and people[1].phone == "13900000002"
    assert list(RiskTransition.objects.filter(risk=r).values_list("action", "on")) == [
        ("register", D("2023-02-08")), ("resolve", D("2023-03-12"))]
    assert Risk.objects.resolved_between(D("2023-01-01"), D("2023-06-30")).with_deputies().count() == 1


@pytest.mark.parametrize(("values", "column", "message"), [
    ({"化解日期": None}, "化解日期", "状态为已化解时必填"),
    ({"状态": "化解中", "代表作用": None}, "化解日期", "只有已化解的隐患填写化解日期"),
    ({"化解日期": "2023-02-01"}, "化解日期", "早于登记日期"),
    ({"状态": "化解中", "化解日期": None}, "代表作用", "只有已化解"),
    ({"等级": "很高"}, "等级", ""),
    ({"身份证号": "110105194912310021;"}, "身份证号", ""),
    ({"联系电话": "12345;"}, "联系电话", ""),
    ({"身份证号": f"{ID_NUMBER};;{ID_NUMBER}"}, "身份证号", "比涉及人员多"),
    ({"参与代表": "没有这个人"}, "参与代表", "没有名为"),
    ({"参与网格员": "没有这个人"}, "参与网格员", "没有名为"),
    ({"所属网格编码": "OTHER"}, "所属网格编码", "不属于"),
    ({"所属镇街代码": "340399999000"}, "所属镇街代码", "不存在"),
    ({"涉及人员": "张*三;李*"}, "涉及人员", "脱敏"),
])
def test_errors_name_row_and_column_and_nothing_is_written(world: World, values: dict[str, Any], column: str,
                                                          message: str) -> None:
    values = {k: (world.other_grid.code if v == "OTHER" else v) for k, v in values.items()}
    result = import_workbook(sheet(row(world, 编号="YH2023-009"), row(world, **values)))
    assert not result.ok
    assert any(line.startswith(f"工作表「信访隐患」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Risk.objects.exists()


def test_reimport_is_idempotent_and_later_progress_updates(world: World) -> None:
    first = sheet(row(world, 状态="化解中", 化解日期=None, 代表作用=None, 参与网格员=None))
    assert import_workbook(first).ok
    first.seek(0)
    again = import_workbook(first)
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
    later = import_workbook(sheet(row(world)))  # now resolved, with the grid worker taking part
    assert later.ok and later.summary == "新增 0 条, 更新 1 条", later.error_lines()
    r = Risk.objects.get()
    assert r.state == "resolved" and r.participants.count() == 2
    changed = import_workbook(sheet(row(world, 标题="别的标题")))
    assert not changed.ok and "「标题」" in changed.error_lines()[0]
    back = import_workbook(sheet(row(world, 状态="化解中", 化解日期=None, 代表作用=None)))
    assert not back.ok and "不能撤销" in " ".join(back.error_lines())
    fewer = import_workbook(sheet(row(world, 参与代表=None)))
    assert not fewer.ok and "不能通过导入移除" in " ".join(fewer.error_lines())


def _build(world: World) -> None:
    staff = world.users["staff"]
    a = make_risk(world, code="YH2023-001")
    services.risk_resolve(actor=staff, risk_id=a.pk, resolved_on=D("2023-03-05"), deputies_role="调解")
    b = make_risk(world, code="YH2023-002", title="物业纠纷", participants=[], grid=None, village=world.village)
    services.risk_escalate(actor=staff, risk_id=b.pk, to="区信访局", reason="协调")
    c = make_risk(world, code="YH2023-003", title="欠薪", people=[], level="low")
    services.risk_start(actor=staff, risk_id=c.pk)


def test_round_trip_export_import_export(world: World) -> None:
    _build(world)
    exported = export_bytes()
    before = read(io.BytesIO(exported))["信访隐患"]
    assert len(before) == 4 and before[1][0] == "YH2023-001"
    # Import into an empty instance (the organization stays, the risks go) and export again.
    with transaction.atomic():
        sid = transaction.savepoint()
        Risk.objects.all().delete()
        result = import_workbook(io.BytesIO(exported))
        assert result.ok, result.error_lines()
        after = read(io.BytesIO(export_bytes()))["信访隐患"]
        transaction.savepoint_rollback(sid)
    assert after == before
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"


def test_masked_web_export_imports_back_as_unchanged(world: World) -> None:
    _build(world)
    with context.bind(source="web"):
        masked = export_bytes()
    rows = read(io.BytesIO(masked))["信访隐患"]
    assert "张*三" in rows[1] and "13812345678" not in str(rows)
    result = import_workbook(io.BytesIO(masked))
    assert result.ok, result.error_lines()
