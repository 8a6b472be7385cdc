from __future__ import annotations

import datetime as dt

import pytest
from tests.support import World

from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain
from renda.core.ledger import cells
from renda.core.roles import Role
from renda.ledger.importer import import_workbook
from renda.ledger.tests.helpers import GOOD, import_path, with_rows, workbook  # noqa: F401 (import_path: a fixture)
from renda.people.models import Deputy
from renda.places.models import GridWorker, Kind, Level, Region
from renda.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_path")]


def counts() -> tuple[int, int, int, int, int]:
    return (
        Region.objects.count(),
        GridWorker.objects.count(),
        Unit.objects.count(),
        Deputy.objects.count(),
        AuditEvent.objects.count(),
    )


def test_good_import_creates_everything_through_services() -> None:
    result = import_workbook(workbook(GOOD))
    assert result.ok, result.error_lines()
    assert result.committed
    assert result.summary == "新增 12 条, 更新 0 条"  # district + 11 rows
    by_sheet = {s.name: (s.created, s.updated, s.unchanged) for s in result.sheets}
    assert by_sheet == {
        "镇街": (3, 0, 0),
        "村社区": (2, 0, 0),
        "网格": (2, 0, 0),
        "网格员": (1, 0, 0),
        "承办单位": (2, 0, 0),
        "代表": (2, 0, 0),
    }

    district = Region.objects.get(code="340302000000")
    assert (district.level, district.name) == (Level.DISTRICT, "示例区")
    town = Region.objects.get(code="340302100000")
    assert (town.level, town.kind, town.parent) == (Level.TOWN, Kind.TOWN, district)
    assert Region.objects.get(code="340302001000").kind == Kind.STREET
    village = Region.objects.get(code="340302100002")
    assert (village.name, village.kind, village.town) == ("二社区", Kind.COMMUNITY, town)  # stripped
    worker = GridWorker.objects.get(phone="13800000001")
    assert worker.town == town
    assert sorted(g.code for g in worker.grids.all()) == ["340302100001001", "340302100002001"]
    unit = Unit.objects.get(name="市场所")
    assert (unit.kind, unit.contact_person, unit.contact_phone) == ("district_unit", "", "")
    wang = Deputy.objects.get(name="王五")
    assert wang.is_presidium and wang.village is not None and wang.village.code == "340302100001"
    assert wang.grids.count() == 2
    zhao = Deputy.objects.get(name="赵六")
    assert (zhao.phone, zhao.level, zhao.is_presidium, zhao.village) == (
        "13900000002",
        "district",
        False,
        None,
    )

    events = AuditEvent.objects.order_by("id")
    assert events.count() == 12
    assert {e.source for e in events} == {"import"}
    assert {e.actor_label for e in events} == {"系统"}
    assert verify_chain() is None


def test_bad_import_names_every_error_and_changes_nothing() -> None:
    bad = {
        "镇街": [["区划代码", "名称"], ["34030210000", "坏镇"], ["340302100000", None]],
        "村社区": [
            ["区划代码", "名称", "类型", "所属镇街代码"],
            ["340302100001", "一村", "乡", "340302100000"],
            ["340302999001", "三村", "村", "340302999000"],
        ],
        "网格员": [["姓名", "手机号", "类型", "负责网格"], ["张三", "12345", "专职", "123;340302100001001"]],
        "承办单位": [
            ["名称", "类型", "所属镇街代码", "联系电话"],
            ["市场所", "其它", "340302100000", "8888"],
        ],
        "代表": [
            ["姓名", "手机号", "层级", "所属镇街代码", "主席团成员", "联系网格"],
            ["王五", "13900000001", None, "340302100000", "可能", None],
            ["赵六", "13900000002", "镇人大代表", "340302888000", "否", "340302100001999"],
        ],
    }
    before = counts()
    result = import_workbook(workbook(bad))
    assert not result.ok and not result.committed
    lines = result.error_lines()
    expected = [
        "工作表「镇街」第2行「区划代码」: 区划代码应为12位数字",
        "工作表「镇街」第3行「名称」: 不能为空",
        "工作表「村社区」第2行「类型」: 应为 村、社区",
        "工作表「村社区」第3行「所属镇街代码」: 镇街代码 340302999000 不存在",
        "工作表「网格员」第2行「手机号」: 电话号码格式不正确（手机号11位，或固定电话如 0552-1234567）",
        "工作表「网格员」第2行「负责网格」: 「123」网格编码应为15位数字（村社区代码+3位）",
        "工作表「承办单位」第2行「类型」: 应为 镇直部门、区直单位、其他",
        "工作表「承办单位」第2行「联系电话」: 电话号码格式不正确（手机号11位，或固定电话如 0552-1234567）",
        "工作表「代表」第2行「层级」: 不能为空",
        "工作表「代表」第2行「主席团成员」: 应为「是」或「否」",
        "工作表「代表」第3行「所属镇街代码」: 镇街代码 340302888000 不存在",
        "工作表「代表」第3行「联系网格」: 网格编码 340302100001999 不存在",
    ]
    for line in expected:
        assert line in lines, f"{line!r} not in {lines}"
    assert len(lines) == len(expected), lines
    assert counts() == before


def test_one_bad_row_rolls_back_the_good_ones_and_their_audit_events() -> None:
    before = counts()
    data = with_rows(
        GOOD, "代表", ["钱七", "13900000003", "镇人大代表", "", "", "340302100000", "340302100099", "", ""]
    )
    result = import_workbook(workbook(data))
    assert result.error_lines() == ["工作表「代表」第4行「所属村社区代码」: 村社区代码 340302100099 不存在"]
    assert counts() == before
    assert not Region.objects.exists()


def test_service_errors_are_reported_on_their_column() -> None:
    # A village whose code does not start with its town's 9 digits: the service's rule.
    data = with_rows(GOOD, "村社区", ["340302200001", "外村", "村", "340302100000"])
    result = import_workbook(workbook(data))
    assert result.error_lines() == [
        "工作表「村社区」第4行「区划代码」: 村社区代码的前9位应为所属镇街代码的前9位 340302100"
    ]


def test_duplicate_keys_in_a_sheet_are_errors() -> None:
    data = with_rows(GOOD, "网格员", ["张三三", "13800000001", "兼职", "340302100001001"])
    result = import_workbook(workbook(data))
    assert result.error_lines() == ["工作表「网格员」第3行「手机号」: 与第2行重复"]


def test_missing_required_column_is_an_error() -> None:
    data = {
        "村社区": [["区划代码", "名称", "所属镇街代码"], ["340302100001", "一村", "340302100000"]],
        "网格": [["网格编码", "名称"]],
    }
    result = import_workbook(workbook(data))
    assert result.error_lines() == [
        "工作表「村社区」第1行「类型」: 缺少必填列",
        "工作表「网格」第1行「所属村社区代码」: 缺少必填列",
    ]
    assert not Region.objects.exists()


def test_unknown_sheets_and_columns_are_reported_and_skipped() -> None:
    data = dict(GOOD)
    data["镇街"] = [
        ["区划代码", "名称", "所属区县", "备注"],
        ["340302100000", "示例镇", "示例区", "随便写"],
        ["340302001000", "东风街道", "示例区", ""],
    ]
    data["草稿"] = [["随手记的"]]
    data["说明"] = [["这是说明"]]  # the template's own 说明 and 代码表 sheets are skipped silently
    data["代码表"] = [["镇街代码"], ["340302100000"]]
    result = import_workbook(workbook(data))
    assert result.ok, result.error_lines()
    assert result.warning_lines() == [
        "工作表「草稿」: 无法识别的工作表，已跳过",
        "工作表「镇街」第1行「备注」: 无法识别的列，已跳过",
    ]
    assert Region.objects.filter(code="340302100000").exists()


def test_workbook_without_known_sheets_or_not_a_workbook() -> None:
    result = import_workbook(workbook({"Sheet": [["a"]]}))
    assert not result.ok
    assert "工作簿中没有可导入的工作表" in result.error_lines()[0]
    import io

    result = import_workbook(io.BytesIO(b"not a zip"))
    assert result.error_lines() == ["无法读取文件：请上传 Excel 工作簿（.xlsx）。"]


def test_dry_run_writes_nothing_and_reports_what_it_would_do() -> None:
    result = import_workbook(workbook(GOOD), dry_run=True)
    assert result.ok and not result.committed
    assert result.summary == "新增 12 条, 更新 0 条"
    villages = next(s for s in result.sheets if s.name == "村社区")
    assert [(i.action, i.row, i.label) for i in villages.items] == [
        ("created", 2, "340302100001 一村"),
        ("created", 3, "340302100002 二社区"),
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_reimport_changes_nothing() -> None:
    assert import_workbook(workbook(GOOD)).ok
    before = counts()
    result = import_workbook(workbook(GOOD))
    assert result.ok
    assert result.summary == "新增 0 条, 更新 0 条"
    assert result.unchanged == 11
    assert counts() == before


def test_changed_rows_update_through_services() -> None:
    assert import_workbook(workbook(GOOD)).ok
    data = {k: [list(r) for r in v] for k, v in GOOD.items()}
    data["承办单位"][1][3] = "李四四"  # 联系人
    data["代表"][1][7] = "否"  # 主席团成员
    data["代表"][1][8] = "340302100001001"  # 联系网格
    data["村社区"][1][1] = "一村（新）"
    events = AuditEvent.objects.count()
    result = import_workbook(workbook(data))
    assert result.ok, result.error_lines()
    assert result.summary == "新增 0 条, 更新 3 条"
    deputies = next(s for s in result.sheets if s.name == "代表")
    assert deputies.items[0].detail == "主席团成员、联系网格"
    assert Unit.objects.get(name="镇经济发展中心").contact_person == "李四四"
    wang = Deputy.objects.get(name="王五")
    assert not wang.is_presidium
    assert [g.code for g in wang.grids.all()] == ["340302100001001"]
    assert Region.objects.get(code="340302100001").name == "一村（新）"
    new = list(AuditEvent.objects.order_by("id")[events:])
    assert [e.verb for e in new] == ["region.update", "unit.update", "deputy.update"]


def test_absent_optional_columns_are_left_alone() -> None:
    assert import_workbook(workbook(GOOD)).ok
    data = {"承办单位": [["名称", "类型", "所属镇街代码"], ["镇经济发展中心", "镇直部门", "340302100000"]]}
    result = import_workbook(workbook(data))
    assert result.summary == "新增 0 条, 更新 0 条"
    assert Unit.objects.get(name="镇经济发展中心").contact_person == "李四"


def test_rows_may_refer_to_the_database(world: World) -> None:
    staff = world.users[Role.STAFF]
    data = {
        "网格": [
            ["网格编码", "名称", "所属村社区代码"],
            [f"{world.village.code}777", "新网格", world.village.code],
        ]
    }
    result = import_workbook(workbook(data), actor=staff)
    assert result.ok, result.error_lines()
    grid = Region.objects.get(code=f"{world.village.code}777")
    assert grid.town == world.town
    event = AuditEvent.objects.get(verb="region.create", target_id=str(grid.pk))
    assert event.actor == staff


def test_town_scoped_users_import_only_into_their_town(world: World) -> None:
    staff = world.users[Role.STAFF]
    data = {
        "网格": [
            ["网格编码", "名称", "所属村社区代码"],
            [f"{world.village.code}777", "本镇网格", world.village.code],
            [f"{world.other_village.code}777", "外镇网格", world.other_village.code],
        ],
        "承办单位": [["名称", "类型", "所属镇街代码"], ["外镇单位", "其他", world.other_town.code]],
        "镇街": [
            ["区划代码", "名称"],
            [world.town.code, world.town.name],
            [world.other_town.code, world.other_town.name],
        ],
    }
    before = counts()
    result = import_workbook(workbook(data), actor=staff)
    assert result.error_lines() == [
        "工作表「镇街」第3行「区划代码」: 不属于您所在的镇街",
        "工作表「网格」第3行「所属村社区代码」: 不属于您所在的镇街",
        "工作表「承办单位」第2行「所属镇街代码」: 不属于您所在的镇街",
    ]
    assert counts() == before


def test_staff_may_not_change_their_town_record(world: World) -> None:
    staff = world.users[Role.STAFF]
    data = {"镇街": [["区划代码", "名称"], [world.town.code, "改名镇"]]}
    result = import_workbook(workbook(data), actor=staff)
    assert result.error_lines() == ["工作表「镇街」第2行「区划代码」: 您没有执行此操作的权限。"]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.PRESIDIUM, Role.DISTRICT_VIEWER])
def test_only_staff_and_admins_import(world: World, role: str) -> None:
    result = import_workbook(workbook(GOOD), actor=world.users[role])
    assert result.error_lines() == ["您没有导入台账的权限。"]


def test_district_mismatch_is_an_error(world: World) -> None:
    data = {"镇街": [["区划代码", "名称", "所属区县"], ["340399555000", "新镇", "别的区"]]}
    result = import_workbook(workbook(data))
    assert result.error_lines() == [
        "工作表「镇街」第2行「所属区县」: 区县代码 340399000000 的名称为「测试区」，与「别的区」不符"
    ]


# -- cell parsers ---------------------------------------------------------------------------


def test_dates_accept_date_cells_and_iso_text() -> None:
    assert cells.parse_date(dt.datetime(2024, 3, 5, 0, 0)) == dt.date(2024, 3, 5)
    assert cells.parse_date(dt.date(2024, 3, 5)) == dt.date(2024, 3, 5)
    assert cells.parse_date(" 2024-03-05 ") == dt.date(2024, 3, 5)
    for bad in ("2024/03/05", "2024-02-30", "昨天", 45000):
        with pytest.raises(cells.CellError):
            cells.parse_date(bad)


def test_yes_no_and_lists() -> None:
    assert cells.parse_yes_no("是") is True
    assert cells.parse_yes_no(" 否 ") is False
    with pytest.raises(cells.CellError):
        cells.parse_yes_no("Y")
    assert cells.split_list(" a ;b；；c ") == ["a", "b", "c"]
    spec = cells.list_of("x", cells.grid_code_item)
    assert spec.parse("340302100001001；340302100001001; 340302100001002") == [
        "340302100001001",
        "340302100001002",
    ]


def test_text_numbers_and_id_numbers() -> None:
    assert cells.as_text(13900000002.0) == "13900000002"
    assert cells.as_text(340302100000) == "340302100000"
    id_spec = cells.id_number("身份证号")
    assert id_spec.parse("11010519491231002x") == "11010519491231002X"
    with pytest.raises(cells.CellError):
        id_spec.parse("110105194912310021")
    with pytest.raises(cells.CellError):
        cells.text("名称", max_length=3).parse("四个字啊")
