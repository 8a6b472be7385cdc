"""The 意见建议 ledger sheet: validation, state from the dates, history through the services,
idempotent re-import, round trip, masked web export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.audit import context
from renda.ledger.exporter import export_workbook
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import import_path, read, workbook  # noqa: F401 (import_path: a fixture)
from renda.suggestions import services
from renda.suggestions.models import Suggestion, Transition
from renda.suggestions.tests.helpers import D, assigned, deputy_item, public_item, replied

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_path")]

HEADERS = ["编号", "类型", "来源", "登记日期", "所属镇街代码", "提出人", "联系电话", "提出代表", "所属村社区代码",
           "所属网格编码", "类别", "标题", "内容", "主办单位", "协办单位", "交办日期", "办理期限", "重点督办",
           "督办领导", "答复日期", "答复类别", "答复内容", "测评结果", "测评日期", "办结日期", "备注"]


def row(world: World, **values: Any) -> list[Any]:
    base = {"编号": "YJ2023-001", "类型": "群众意见", "来源": "来访", "登记日期": "2023-01-05",
            "所属镇街代码": world.town.code, "提出人": "张小三", "联系电话": "13812345678", "标题": "修建公交车站台",
            "所属网格编码": world.grid.code}
    base.update(values)
    return [base.get(h) for h in HEADERS]


def sheet(*rows: list[Any]) -> io.BytesIO:
    return workbook({"意见建议": [HEADERS, *rows]})


def export_bytes() -> bytes:
    buf = io.BytesIO()
    export_workbook(buf)
    return buf.getvalue()


def full(world: World, **values: Any) -> list[Any]:
    """A deputy suggestion with every step: closed."""
    v = {"类型": "代表建议", "提出人": None, "联系电话": None,
         "提出代表": f"{world.deputy.name};{world.plain_deputy.name}",
         "类别": "交通出行", "主办单位": world.unit.name, "交办日期": "2023-01-10", "办理期限": "2023-04-10",
         "重点督办": "是", "督办领导": world.presidium_deputy.name, "答复日期": "2023-03-01", "答复类别": "A",
         "答复内容": "已建成", "测评结果": "满意", "测评日期": "2023-03-05", "办结日期": "2023-03-08",
         "备注": "代表联名"}
    v.update(values)
    return row(world, **v)


def test_each_row_gets_the_state_of_its_last_date_with_history_dated_by_the_row(world: World) -> None:
    result = import_workbook(sheet(
        row(world, 编号="YJ2023-001"),
        row(world, 编号="YJ2023-002", 主办单位=world.unit.name, 交办日期="2023-01-06", 办理期限="2023-02-05"),
        row(world, 编号="YJ2023-003", 主办单位=world.unit.name, 交办日期="2023-01-06", 办理期限="2023-02-05",
            答复日期="2023-01-20", 答复类别="B"),
        row(world, 编号="YJ2023-004", 提出人=None, 联系电话=None, 主办单位=world.unit.name, 交办日期="2023-01-06",
            办理期限="2023-02-05", 答复日期="2023-01-20", 答复类别="A", 测评结果="基本满意", 测评日期="2023-01-25"),
        full(world, 编号="YJ2023-005"),
    ))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 6 条, 更新 0 条"  # 5 items and the new category 交通出行
    states = dict(Suggestion.objects.values_list("code", "state"))
    assert states == {"YJ2023-001": "registered", "YJ2023-002": "assigned", "YJ2023-003": "replied",
                      "YJ2023-004": "evaluated", "YJ2023-005": "closed"}
    s = Suggestion.objects.get(code="YJ2023-005")
    assert s.key_supervision and s.supervisor == world.presidium_deputy
    assert s.lead_deputy == world.deputy and list(s.co_deputies.all()) == [world.plain_deputy]
    assert s.category is not None and s.category.name == "交通出行"
    steps = list(Transition.objects.filter(suggestion=s).order_by("on", "id").values_list("action", "on"))
    assert steps == [("register", D("2023-01-05")), ("assign", D("2023-01-10")), ("supervise", D("2023-01-10")),
                     ("accept", D("2023-01-10")), ("reply", D("2023-03-01")), ("evaluate", D("2023-03-05")),
                     ("close", D("2023-03-08"))]
    anonymous = Suggestion.objects.get(code="YJ2023-004")
    assert anonymous.anonymous and anonymous.submitter_name == ""


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"主办单位": "X", "交办日期": "2023-01-01", "办理期限": "2023-02-01"}, "交办日期", "早于登记日期"),
        ({"答复日期": "2023-01-20", "答复类别": "A"}, "答复日期", "没有交办日期"),
        ({"主办单位": "UNIT", "交办日期": "2023-01-06", "办理期限": "2023-02-05", "答复日期": "2023-01-20",
          "答复类别": "A", "测评结果": "满意", "测评日期": "2023-01-19"}, "测评日期", "早于答复日期"),
        ({"主办单位": "UNIT", "交办日期": "2023-01-06", "办理期限": "2023-02-05", "办结日期": "2023-01-20"},
         "办结日期", "没有答复日期"),
        ({"主办单位": "UNIT", "交办日期": "2023-01-06", "办理期限": "2023-02-05", "答复日期": "2023-01-20",
          "答复类别": "A", "办结日期": "2023-01-19"}, "办结日期", "早于答复日期"),
        ({"交办日期": "2023-01-06", "办理期限": "2023-02-05"}, "主办单位", "填写了交办日期时必填"),
        ({"主办单位": "UNIT", "交办日期": "2023-01-06"}, "办理期限", "填写了交办日期时必填"),
        ({"主办单位": "UNIT", "交办日期": "2023-01-06", "办理期限": "2023-02-05", "答复日期": "2023-01-20"},
         "答复类别", "填写了答复日期时必填"),
        ({"重点督办": "是"}, "督办领导", "重点督办为「是」时必填"),
        ({"测评结果": "满意"}, "测评日期", "填写了测评结果时必填"),
        ({"类型": "代表建议", "提出人": None, "联系电话": None}, "提出代表", "代表建议必填"),
        ({"主办单位": "没有这个单位", "交办日期": "2023-01-06", "办理期限": "2023-02-05"}, "主办单位", "没有名为"),
    ],
)
def test_errors_name_the_sheet_row_and_column_and_nothing_is_written(
    world: World, values: dict[str, Any], column: str, message: str
) -> None:
    values = {k: (world.unit.name if v == "UNIT" else v) for k, v in values.items()}
    result = import_workbook(sheet(row(world, 编号="YJ2023-009"), row(world, **values)))
    assert not result.ok
    assert any(line.startswith(f"工作表「意见建议」第3行「{column}」: ") and message in line
               for line in result.error_lines()), result.error_lines()
    assert not Suggestion.objects.exists()


def test_reimport_changes_nothing_and_a_later_step_updates(world: World) -> None:
    first = sheet(row(world), full(world, 编号="YJ2023-002"))
    assert import_workbook(first).ok
    first.seek(0)
    again = import_workbook(first)
    assert again.ok and again.summary == "新增 0 条, 更新 0 条"
    # The ledger now records the assignment of the first item: an update through the services.
    later = import_workbook(sheet(row(world, 主办单位=world.unit.name, 交办日期="2023-01-07",
                                      办理期限="2023-02-06")))
    assert later.ok and later.summary == "新增 0 条, 更新 1 条"
    s = Suggestion.objects.get(code="YJ2023-001")
    assert s.state == "assigned" and s.assigned_at == D("2023-01-07")
    # Registered content is not rewritten by an import.
    changed = import_workbook(sheet(row(world, 标题="别的标题", 主办单位=world.unit.name, 交办日期="2023-01-07",
                                        办理期限="2023-02-06")))
    assert not changed.ok and "「标题」" in changed.error_lines()[0]


def _build(world: World) -> None:
    services.suggestion_category_create(actor=None, town=world.town, name="交通出行")
    public_item(world, code="YJ2023-001")
    replied(world, public_item(world, code="YJ2023-002", title="路灯"), reply_class="B")
    d = replied(world, deputy_item(world, code="YJ2023-003"))
    services.suggestion_set_key_supervision(actor=None, suggestion_id=d.pk, supervisor=world.presidium_deputy,
                                            on=D("2023-03-04"))
    services.suggestion_evaluate(actor=None, suggestion_id=d.pk, result="satisfied", on=D("2023-03-12"))
    services.suggestion_close(actor=None, suggestion_id=d.pk, on=D("2023-03-15"))
    anon = assigned(world, public_item(world, code="YJ2023-004", anonymous=True, title="匿名"))
    withdrawn = deputy_item(world, code="YJ2023-005", title="撤回的")
    services.suggestion_withdraw(actor=None, suggestion_id=withdrawn.pk, on=D("2023-03-02"))
    assert anon.state == "assigned"


def test_round_trip_export_import_into_empty_export_is_identical(world: World) -> None:
    with transaction.atomic():
        _build(world)
        exported = export_bytes()
        transaction.set_rollback(True)
    assert not Suggestion.objects.exists()
    result = import_workbook(io.BytesIO(exported))
    assert result.ok, result.error_lines()
    assert read(export_bytes()) == read(exported)
    rows = read(exported)["意见建议"]
    assert [r[0] for r in rows[1:]] == ["YJ2023-001", "YJ2023-002", "YJ2023-003", "YJ2023-004"]  # no withdrawn
    again = import_workbook(io.BytesIO(exported))
    assert again.summary == "新增 0 条, 更新 0 条"


def test_web_export_masks_submitters_and_reimports_as_unchanged(world: World) -> None:
    _build(world)
    clear = read(export_bytes())["意见建议"]
    with context.bind(source="web"):
        masked = export_bytes()
    rows = read(masked)["意见建议"]
    header = list(rows[0])
    name, phone = header.index("提出人"), header.index("联系电话")
    assert clear[1][name] == "张小三" and clear[1][phone] == "13812345678"
    assert rows[1][name] == "张*三" and rows[1][phone] == "138****5678"
    result = import_workbook(io.BytesIO(masked))
    assert result.ok and result.summary == "新增 0 条, 更新 0 条", result.error_lines()
    assert Suggestion.objects.get(code="YJ2023-001").submitter_name == "张小三"
