"""The 工作要点, 信息报送 and 荣誉 ledger sheets: import through the services, errors naming row and
column, all or nothing, idempotent re-import, and export → import into an empty instance → same
export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.core.ledger import registry
from renda.core.ledger.cells import export_cell
from renda.core.roles import Role
from renda.duties import services as duty_services
from renda.duties.models import Award
from renda.ledger.exporter import write_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.presidium import services
from renda.presidium.ledger_sheets import HONOURS, INFO_ITEMS, PLAN_TASKS
from renda.presidium.models import InfoItem, Plan, PlanTask
from renda.presidium.tests.helpers import D, make_info, make_plan, make_task

pytestmark = pytest.mark.django_db
T_HEADERS = ["所属镇街代码", "年度", "工作要点标题", "序号", "工作板块", "任务内容", "牵头主席团成员", "配合工作人员",
             "完成时限", "完成日期", "上半年进展", "上半年进展说明", "下半年进展", "下半年进展说明"]
I_HEADERS = ["信息标题", "所属镇街代码", "报送日期", "报送对象", "其他报送对象", "是否采用", "采用日期", "刊发载体",
             "备注"]
H_HEADERS = ["荣誉名称", "所属镇街代码", "获奖对象", "代表", "授予单位", "授予日期"]


def t_row(world: World, **values: Any) -> list[Any]:
    base = {"所属镇街代码": world.town.code, "年度": "2023", "工作要点标题": "2023年工作要点", "序号": "1",
            "工作板块": "代表工作", "任务内容": "开展代表述职", "牵头主席团成员": world.presidium_deputy.name,
            "配合工作人员": str(world.users[Role.STAFF]), "完成时限": "2023H1", "上半年进展": "推进中",
            "上半年进展说明": "已完成5名代表述职"}
    base.update(values)
    return [base.get(h) for h in T_HEADERS]


def i_row(world: World, **values: Any) -> list[Any]:
    base = {"信息标题": "我镇代表述职", "所属镇街代码": world.town.code, "报送日期": "2023-05-10",
            "报送对象": "区人大常委会", "是否采用": "是", "采用日期": "2023-05-20", "刊发载体": "区人大工作动态"}
    base.update(values)
    return [base.get(h) for h in I_HEADERS]


def h_row(world: World, **values: Any) -> list[Any]:
    base = {"荣誉名称": "全区人大信息工作先进单位", "所属镇街代码": world.town.code, "获奖对象": "人大办",
            "授予单位": "区人大常委会", "授予日期": "2023-07-12"}
    base.update(values)
    return [base.get(h) for h in H_HEADERS]


def book(tasks: list[list[Any]], info: list[list[Any]], honours: list[list[Any]]) -> io.BytesIO:
    return workbook({"工作要点": [T_HEADERS, *tasks], "信息报送": [I_HEADERS, *info], "荣誉": [H_HEADERS, *honours]})


def export_bytes() -> bytes:
    buf = io.BytesIO()
    write_workbook(buf, [(spec.name, spec.headers, [[export_cell(v) for v in spec.row_values(r)]
                                                   for r in spec.export(None)])
                         for spec in (PLAN_TASKS, INFO_ITEMS, HONOURS)])
    return buf.getvalue()


def test_registered_after_the_other_sheets() -> None:
    assert registry.get("工作要点") is PLAN_TASKS and registry.get("信息报送") is INFO_ITEMS
    assert HONOURS.order > INFO_ITEMS.order > PLAN_TASKS.order > registry.ORDER_CONTACTS


def test_import_reimport_and_update(world: World) -> None:
    first = book([t_row(world)], [i_row(world)], [h_row(world), h_row(world, 获奖对象="代表", 代表=world.deputy.name,
                                                                     荣誉名称="优秀人大代表")])
    result = import_workbook(first)
    assert result.ok, result.error_lines()
    assert result.summary == "新增 4 条, 更新 0 条"
    task = PlanTask.objects.get()
    assert task.plan.title == "2023年工作要点" and task.reviews.get().status == "under_way"
    assert list(task.supporters.all()) == [world.users[Role.STAFF]]
    assert Award.objects.get(recipient="deputy").deputy == world.deputy
    first.seek(0)
    assert import_workbook(first).summary == "新增 0 条, 更新 0 条"
    later = import_workbook(book([t_row(world, 上半年进展="已完成", 上半年进展说明="")],
                                 [i_row(world, 刊发载体="区人大常委会门户网站")], [h_row(world, 授予单位="区人大")]))
    assert later.ok and later.summary == "新增 0 条, 更新 3 条", later.error_lines()
    assert task.reviews.get().status == "done"


@pytest.mark.parametrize(("sheet", "values", "column", "message"), [
    ("工作要点", {"牵头主席团成员": "DEP"}, "牵头主席团成员", "没有名为"),
    ("工作要点", {"完成时限": "2024H1"}, "完成时限", "完成时限应在2023年度内"),
    ("工作要点", {"完成时限": "2023H3"}, "完成时限", "半年度格式"),
    ("工作要点", {"序号": "0"}, "序号", "1 至 999"),
    ("信息报送", {"采用日期": "2023-05-09"}, "采用日期", "不能早于报送日期"),
    ("荣誉", {"获奖对象": "代表"}, "代表", "请填写代表姓名"),
])
def test_errors_name_the_sheet_row_and_column_and_nothing_is_written(
        world: World, sheet: str, values: dict[str, Any], column: str, message: str) -> None:
    values = {k: world.deputy.name if v == "DEP" else v for k, v in values.items()}
    rows: dict[str, list[list[Any]]] = {"工作要点": [t_row(world, 序号="9")], "信息报送": [i_row(world, 信息标题="甲")],
                                        "荣誉": [h_row(world, 荣誉名称="乙")]}
    rows[sheet].append({"工作要点": t_row, "信息报送": i_row, "荣誉": h_row}[sheet](world, **values))
    result = import_workbook(book(rows["工作要点"], rows["信息报送"], rows["荣誉"]))
    assert not result.ok
    assert any(line.startswith(f"工作表「{sheet}」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Plan.objects.exists() and not InfoItem.objects.exists() and not Award.objects.exists()


def test_round_trip_export_import_into_empty_export_is_identical(world: World) -> None:
    with transaction.atomic():
        plan = make_plan(world)
        done = make_task(world, plan, supporters=[world.users[Role.STAFF]])
        services.task_review(actor=None, task=done, half="2023H1", status="done", on=D("2023-06-30"))
        make_task(world, plan, due_half="2023H2", due_on=D("2023-12-31"), text="推进民生实事项目\n第二行")
        make_task(world, other=True)
        make_info(world, adopted=True, adopted_on=D("2023-05-20"), published_in="区人大工作动态")
        make_info(world, other=True, recipient="other", recipient_other="市人大研究室")
        duty_services.award_create(actor=None, recipient="presidium", town=world.town, title="先进", body="区人大",
                                   on=D("2023-07-12"))
        duty_services.award_create(actor=None, deputy=world.deputy, title="优秀代表", body="区人大", on=D("2023-07-12"))
        exported = export_bytes()
        transaction.set_rollback(True)
    assert not Plan.objects.exists() and not Award.objects.exists()
    sheets = read(exported)
    assert (len(sheets["工作要点"]), len(sheets["信息报送"]), len(sheets["荣誉"])) == (4, 3, 3)
    result = import_workbook(io.BytesIO(exported))
    assert result.ok, result.error_lines()
    assert read(export_bytes()) == sheets
    again = import_workbook(io.BytesIO(exported))
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
