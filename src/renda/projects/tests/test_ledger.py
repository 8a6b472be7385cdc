"""The 民生实事 ledger sheet: replay through the services, row-level errors (nothing written),
idempotent re-import, later progress as an update, round trip, money as Decimal."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.ledger.exporter import ledger_sheets, write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.projects import services
from renda.projects.ledger_sheets import PROJECTS
from renda.projects.models import Project, ProjectTransition
from renda.projects.tests.helpers import project, staff

pytestmark = pytest.mark.django_db
HEADERS = PROJECTS.headers


def row(world: World, **values: Any) -> list[Any]:
    base = {"编号": "MS2023-001", "项目年度": "2023", "所属镇街代码": world.town.code,
            "项目名称": "XX路绿化亮化工程", "票决日期": "2023-01-13", "牵头单位": world.unit.name,
            "建设目标": "新建路灯126盏", "完成时限": "2023-11-30", "资金来源": "镇财政", "计划投资（元）": "3150000",
            "督办主席团成员": world.presidium_deputy.name, "督办代表": world.deputy.name,
            "预算总造价（元）": "3126500.00", "招标控制价（元）": 3050000, "中标价（元）": 2876412.35,
            "采购方式": "公开招标", "交易平台": "蚌埠市公共资源交易中心", "施工单位": "安徽XX建设工程有限公司",
            "立项实际完成": "2023-02-08", "招标计划完成": "2023-05-10", "招标实际完成": "2023-05-12",
            "状态": "实施中"}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"民生实事": [HEADERS, *rows]})


SHEETS = {"镇街", "村社区", "网格", "网格员", "承办单位", "代表", "民生实事"}


def export_bytes() -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, [s for s in ledger_sheets() if s[0] in SHEETS])
    return buf.getvalue()


def test_rows_are_replayed_through_the_services(world: World) -> None:
    result = import_workbook(sheet(row(world), row(world, 编号="MS2023-002", 项目名称="提升改造", 状态="已票决",
                                                   中标价="", 招标实际完成="")))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 2 条, 更新 0 条"
    p = Project.objects.get(code="MS2023-001")
    assert p.state == "implementing" and p.lead_unit == world.unit and p.supervisor == world.presidium_deputy
    assert p.bid_price == Decimal("2876412.35") and isinstance(p.bid_price, Decimal)
    assert p.tender_ceiling == Decimal("3050000.00") and p.procurement == "public_tender"
    assert list(p.deputies.all()) == [world.deputy]
    assert p.stages.get(stage="tender").actual_end.isoformat() == "2023-05-12"
    assert list(ProjectTransition.objects.filter(project=p).values_list("action", flat=True)) == ["adopt", "start"]
    assert Project.objects.get(code="MS2023-002").state == "adopted"


@pytest.mark.parametrize(("values", "column", "message"), [
    ({"中标价（元）": "1.234"}, "中标价（元）", "最多两位小数"),
    ({"已支付（元）": "-5"}, "已支付（元）", "不是有效的金额"),
    ({"已支付（元）": "一百"}, "已支付（元）", "不是有效的金额"),
    ({"完成时限": "2024-01-01"}, "完成时限", "完成时限应在 2023 年内"),
    ({"牵头单位": "没有这个单位"}, "牵头单位", "没有名为"),
    ({"督办主席团成员": "OTHER"}, "督办主席团成员", "不是主席团成员"),
    ({"状态": "已测评", "测评结果": "满意"}, "状态", "新项目只能导入为已票决或实施中"),
    ({"测评结果": "满意"}, "测评结果", "只有已测评"),
    ({"所属镇街代码": "340399999000"}, "所属镇街代码", "不存在"),
    ({"招标实际完成": "2099-01-01"}, "招标实际完成", "不能晚于今天"),
])
def test_errors_name_row_and_column_and_nothing_is_written(world: World, values: dict[str, Any], column: str,
                                                          message: str) -> None:
    values = {k: (world.deputy.name if v == "OTHER" else v) for k, v in values.items()}
    result = import_workbook(sheet(row(world, 编号="MS2023-009"), row(world, **values)))
    assert not result.ok
    assert any(line.startswith(f"工作表「民生实事」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Project.objects.exists()


def test_reimport_is_idempotent_and_later_progress_updates(world: World) -> None:
    first = sheet(row(world))
    assert import_workbook(first).ok
    first.seek(0)
    again = import_workbook(first)
    assert again.ok and again.summary == "新增 0 条, 更新 0 条", again.error_lines()
    later = import_workbook(sheet(row(world, **{"已支付（元）": "862923.71", "施工实际完成": ""})))
    assert later.ok and later.summary == "新增 0 条, 更新 1 条", later.error_lines()
    assert Project.objects.get().paid == Decimal("862923.71")
    renamed = import_workbook(sheet(row(world, 项目名称="别的名称")))
    assert not renamed.ok and "「项目名称」" in renamed.error_lines()[0]
    graded = import_workbook(sheet(row(world, 测评结果="满意", 状态="已测评")))
    assert not graded.ok


def test_round_trip_export_import_export(world: World) -> None:
    p = project(world)
    services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="目标",
                          deadline=None, supervisor=world.presidium_deputy, deputies=[world.deputy])
    services.project_money_set(actor=staff(world), project_id=p.pk, bid_price=Decimal("2876412.35"),
                               paid=Decimal("0.10"), procurement="invited")
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="design", planned_end=services.dt.date(
        2023, 3, 31), actual_start=services.dt.date(2023, 2, 1), actual_end=services.dt.date(2023, 3, 30))
    services.project_start(actor=staff(world), project_id=p.pk, on=services.dt.date(2023, 2, 1))
    exported = export_bytes()
    before = read(io.BytesIO(exported))["民生实事"]
    assert len(before) == 2 and before[1][0] == p.code
    with transaction.atomic():
        sid = transaction.savepoint()
        Project.objects.all().delete()
        result = import_workbook(io.BytesIO(exported))
        assert result.ok, result.error_lines()
        after = read(io.BytesIO(export_bytes()))["民生实事"]
        transaction.savepoint_rollback(sid)
    assert after == before
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条", again.error_lines()
