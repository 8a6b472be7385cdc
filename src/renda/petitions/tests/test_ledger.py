"""The 信访件 ledger sheet: steps replayed through the services with the row's dates, errors
per row and column (all or nothing), idempotent re-import, round trip, masked web export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from tests.support import World

from renda.audit import context
from renda.core.ledger import registry
from renda.ledger.exporter import export_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import read, workbook
from renda.petitions.ledger_sheets import PETITIONS, SHEET
from renda.petitions.models import Petition, ReviewInstruction
from renda.petitions.tests.helpers import ID_NUMBER, NAME, PHONE, D, other_id
from renda.petitions.workflow import State
from renda.shifts.models import DutyShift

pytestmark = pytest.mark.django_db
HEADERS = PETITIONS.headers


def row(world: World, **values: Any) -> list[Any]:
    base = {"编号": "XF2023-001", "渠道": "来信", "登记日期": "2023-03-01", "所属镇街代码": world.town.code,
            "信访人": NAME, "身份证号": ID_NUMBER, "联系电话": PHONE, "标题": "反映征地补偿款未足额发放",
            "内容": "补偿款未发", "所属网格编码": world.grid.code}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({SHEET: [HEADERS, *rows]})


def export_bytes() -> bytes:
    buf = io.BytesIO()
    export_workbook(buf)
    return buf.getvalue()


def full(world: World, **values: Any) -> list[Any]:
    v = {"受理日期": "2023-03-03", "延期日期": "2023-04-20", "延期天数": 20, "延期理由": "需委托鉴定",
         "处理意见日期": "2023-05-10", "处理意见": "已足额发放", "复查申请日期": "2023-05-20",
         "复查答复日期": "2023-06-10", "复查意见": "维持", "复核申请日期": "2023-06-20", "复核答复日期": "2023-07-10",
         "复核意见": "维持", "阅批领导": world.presidium_deputy.name, "阅批日期": "2023-03-02",
         "阅批意见": "请核实办理"}
    v.update(values)
    return row(world, **v)


def test_sheet_comes_after_duty_shifts_and_suggestions() -> None:
    order = [s.name for s in registry.sheets()]
    assert order.index("意见建议") < order.index(SHEET)
    assert PETITIONS.order == registry.ORDER_PETITIONS > registry.ORDER_DUTY_SHIFTS
    if "信访值班" in order:
        assert order.index("信访值班") < order.index(SHEET)


def test_rows_are_replayed_through_the_services(world: World) -> None:
    DutyShift.objects.create(town=world.town, date=D("2023-03-07"))
    result = import_workbook(sheet(
        full(world),
        row(world, 编号="XF2023-002", 渠道="来访", 登记日期="2023-03-07", 值班日期="2023-03-07", 信访人="甲;乙",
            身份证号=f";{other_id(3)}", 联系电话="13700000000;", 人数=8, 标题="集体反映拖欠工资", 内容="工资未发"),
        row(world, 编号="XF2023-003", 渠道="上级转交", 信访人="丙", 身份证号=None, 联系电话=None, 标题="民间借贷",
            内容="借款纠纷", 不予受理日期="2023-03-05", 不予受理理由="应通过诉讼解决"),
    ), actor=None)
    assert result.ok, result.error_lines()
    assert result.created == 3
    p = Petition.objects.get(code="XF2023-001")
    assert p.state == State.FINAL and p.handling_due == D("2023-05-22")  # 03-03 + 80 = 05-22
    assert [(t.action, t.on) for t in p.transitions.order_by("on", "id")][:4] == [
        ("register", D("2023-03-01")), ("route", D("2023-03-01")), ("instruct", D("2023-03-02")),
        ("accept", D("2023-03-03"))]
    assert ReviewInstruction.objects.get(petition=p).instructed_on == D("2023-03-02")
    group = Petition.objects.get(code="XF2023-002")
    assert group.head_count == 8 and group.duty_shift is not None
    assert [(x.name, x.id_number, x.phone) for x in group.petitioners.order_by("position")] == [
        ("甲", "", "13700000000"), ("乙", other_id(3), "")]
    assert Petition.objects.get(code="XF2023-003").state == State.DECLINED
    again = import_workbook(sheet(full(world)), actor=None)
    assert again.ok and (again.created, again.updated) == (0, 0)


def test_later_steps_are_added_on_reimport(world: World) -> None:
    assert import_workbook(sheet(row(world, 受理日期="2023-03-03")), actor=None).ok
    result = import_workbook(sheet(row(world, 受理日期="2023-03-03", 处理意见日期="2023-04-01", 处理意见="已解决")),
                             actor=None)
    assert result.ok and result.updated == 1
    assert Petition.objects.get().state == State.CLOSED


@pytest.mark.parametrize(("values", "column"), [
    ({"身份证号": "340302198505121230"}, "身份证号"),
    ({"受理日期": "2023-02-27"}, "受理日期"),
    ({"处理意见日期": "2023-04-01", "处理意见": "x"}, "处理意见日期"),
    ({"受理日期": "2023-03-02", "处理意见日期": "2023-04-01", "处理意见": "x", "复查申请日期": "2023-06-01"},
     "复查申请日期"),
    ({"受理日期": "2023-03-02", "延期日期": "2023-03-20", "延期天数": 31, "延期理由": "x"}, "延期天数"),
    ({"值班日期": "2023-03-01"}, "值班日期"),
    ({"阅批日期": "2023-03-02", "阅批意见": "x", "阅批领导": "没有这个人"}, "阅批领导"),
    ({"所属镇街代码": "340399999000"}, "所属镇街代码"),
    ({"渠道": "传真"}, "渠道"),
])
def test_errors_name_row_and_column_and_nothing_is_written(world: World, values: dict[str, Any],
                                                            column: str) -> None:
    result = import_workbook(sheet(row(world, 编号="XF2023-009", 标题="好的一行"), row(world, **values)),
                             actor=None)
    assert not result.ok
    assert any(e.column == column and e.row == 3 for e in result.errors), result.error_lines()
    assert not Petition.objects.exists()


def test_round_trip_and_masked_web_export(world: World) -> None:
    assert import_workbook(sheet(full(world), row(world, 编号="XF2023-002", 标题="另一件", 内容="别的",
                                                  信访人="丁", 身份证号=None, 联系电话=None)), actor=None).ok
    first = read(export_bytes())[SHEET]
    assert any(NAME in str(v) for r in first for v in r)  # the system's export is in clear
    for p in Petition.objects.all():
        p.instructions.all().delete()
        p.transitions.all().delete()
        p.petitioners.all().delete()
    Petition.objects.all().delete()
    assert import_workbook(io.BytesIO(export_bytes_of(first)), actor=None).ok
    assert read(export_bytes())[SHEET] == first
    with context.bind(source="web"):
        web = read(export_bytes())[SHEET]
    flat = " ".join(str(v) for r in web for v in r)
    assert NAME not in flat and ID_NUMBER not in flat and PHONE not in flat
    # Re-importing the masked export onto the same petitions changes nothing.
    result = import_workbook(io.BytesIO(export_bytes_of(web)), actor=None)
    assert result.ok and (result.created, result.updated) == (0, 0)


def export_bytes_of(rows: list[tuple[Any, ...]]) -> bytes:
    return workbook({SHEET: [list(r) for r in rows]}).getvalue()
