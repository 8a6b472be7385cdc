"""The ledger template (台账导入模板): example rows from the user's own town that import
unchanged with no error, drop-down lists on the coded columns, widths, a frozen header and a
说明 sheet; without a town, no example rows and a note."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from tests.support import World

from renda.core.ledger import registry
from renda.core.roles import Role
from renda.duties.services import award_create
from renda.duties.tests.helpers import make_activity
from renda.ledger import template
from renda.ledger.importer import import_workbook
from renda.liaison.tests.helpers import make_group, make_voter_contact
from renda.motions.tests.helpers import session, submitted
from renda.petitions.tests.helpers import petition, through
from renda.presidium.tests.helpers import make_info, make_task
from renda.projects.tests.helpers import project
from renda.reports.tests.test_metrics import Fixture
from renda.risks.tests.helpers import make_risk
from renda.suggestions.tests.helpers import public_item

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(world: World) -> World:
    """The town's suggestions in many states (with masked submitters), a petition with an
    opinion, a risk, a livelihood project, a duty activity, a deputy group, a voter contact, a
    motion, a plan task, an information item and an honour; no duty shift."""
    Fixture(world)
    public_item(world)
    through(world, petition(world), "closed")
    make_risk(world)
    project(world)
    make_activity(world)
    make_group(world)
    make_voter_contact(world)
    submitted(world, session(world, number=7))  # a motion (议案)
    make_task(world)  # 工作要点
    make_info(world)  # 信息报送
    award_create(actor=world.users[Role.STAFF], title="全区人大信息工作先进单位", body="区人大常委会",
                 on=dt.date(2023, 7, 12), recipient="office", town=world.town)  # 荣誉
    return world


def download(client: Client, **params: str) -> bytes:
    response = client.get("/ledger/template/", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response.content


def data_rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [row for row in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in row)]


def validations(ws: Worksheet) -> dict[str, Any]:
    """The data validations of a sheet by the header of the column they cover."""
    headers = {c.column_letter: c.value for c in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            letter = rng.coord.split(":")[0].rstrip("0123456789")
            out[headers[letter]] = dv
    return out


def test_town_users_template_imports_unchanged_with_no_error(records: World) -> None:
    staff = records.users[Role.STAFF]
    content = download(login(staff))
    wb = load_workbook(io.BytesIO(content))
    # every sheet the town has records of has the town's example row; none names another town
    for spec in registry.sheets():
        ws = wb[spec.name]
        assert tuple(c.value for c in ws[1]) == tuple(spec.headers)
        rows = data_rows(ws)
        assert len(rows) == (0 if spec.name == "信访值班" else 1), spec.name
        if not rows:
            continue
        if "所属镇街代码" in spec.headers:
            assert rows[0][spec.headers.index("所属镇街代码")] == records.town.code, spec.name
    assert data_rows(wb["镇街"])[0][:2] == (records.town.code, records.town.name)
    # personal data is masked as the web export masks it
    petitions = str(list(wb["信访件"].values))
    assert "13812345678" not in petitions and "11010519491231002X" not in petitions and "****" in petitions

    result = import_workbook(io.BytesIO(content), actor=staff, dry_run=True)
    assert result.ok, result.error_lines()
    assert result.summary == "新增 0 条, 更新 0 条"
    assert result.warnings == []  # 说明 and 代码表 are skipped silently


def test_template_has_drop_downs_widths_a_frozen_header_and_a_help_sheet(records: World) -> None:
    wb: Workbook = load_workbook(io.BytesIO(download(login(records.users[Role.STAFF]))))
    assert wb.sheetnames[0] == "说明" and wb.sheetnames[-1] == "代码表"
    assert wb["代码表"].sheet_state == "hidden"
    codes = wb["代码表"]
    for spec in registry.sheets():
        ws = wb[spec.name]
        assert ws.freeze_panes == "A2", spec.name
        dvs = validations(ws)
        for index, column in enumerate(spec.columns):
            letter = ws.cell(1, index + 1).column_letter
            width = ws.column_dimensions[letter].width
            assert width >= len(column.header) * 2, (spec.name, column.header, width)
            if column.choices:
                dv = dvs[column.header]
                assert dv.type == "list" and dv.errorStyle == "stop"
                # the list on 代码表, referenced by range, holds exactly the column's codes
                assert dv.formula1.startswith("'代码表'!$")
                col = dv.formula1.split("!$")[1].split("$")[0]
                listed = [c.value for c in codes[col][1:] if c.value is not None]
                assert tuple(listed) == column.choices, (spec.name, column.header)
    # the coded columns named in the issue
    assert {"类型", "来源", "重点督办", "答复类别", "测评结果"} <= set(validations(wb["意见建议"]))
    assert {"渠道"} <= set(validations(wb["信访件"]))
    assert {"等级", "状态"} <= set(validations(wb["信访隐患"]))
    assert {"时段", "状态"} <= set(validations(wb["信访值班"]))
    # the town's villages, grids and units as lists that only warn
    village = validations(wb["意见建议"])["所属村社区代码"]
    assert village.errorStyle == "warning"
    col = village.formula1.split("!$")[1].split("$")[0]
    assert records.village.code in [c.value for c in codes[col]]
    assert records.other_village.code not in [c.value for c in codes[col]]
    assert "主办单位" in validations(wb["意见建议"])
    # a key column gets no list: new records are what a template is for
    assert "区划代码" not in validations(wb["村社区"])
    # 说明: one row per column of every sheet
    help_rows = list(wb["说明"].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(help_rows) if r[:3] == ("工作表", "列", "必填"))
    described = {(r[0], r[1]) for r in help_rows[header_at + 1:] if r[0]}
    assert described == {(s.name, c.header) for s in registry.sheets() for c in s.columns}
    row = next(r for r in help_rows if r[:2] == ("意见建议", "答复类别"))
    assert "A、B、C、D" in row[3]
    assert any("原样上传不会新增或修改任何数据" in str(r[0]) for r in help_rows[:header_at])


@pytest.mark.parametrize("role", [Role.DISTRICT_VIEWER, Role.ADMIN])
def test_district_user_picks_a_town_or_gets_no_examples_with_a_note(records: World, role: str) -> None:
    client = login(records.users[role])
    page = client.get("/ledger/")
    assert 'id="template-town"' in page.content.decode() and records.other_town.name in page.content.decode()
    bare = load_workbook(io.BytesIO(download(client)))
    for spec in registry.sheets():
        assert data_rows(bare[spec.name]) == [], spec.name
    notes = [r[0] for r in bare["说明"].iter_rows(values_only=True, max_row=8)]
    assert any("未选择镇街，本模板不含示例行" in str(n) for n in notes)
    content = download(client, town=records.other_town.code)
    chosen = load_workbook(io.BytesIO(content))
    assert data_rows(chosen["镇街"])[0][0] == records.other_town.code
    assert client.get("/ledger/template/", {"town": "999999999999"}).status_code == 404
    # the bare template imports with 0 rows and 0 errors
    staff = records.users[Role.STAFF]
    result = import_workbook(io.BytesIO(download(client)), actor=staff, dry_run=True)
    assert result.ok and result.summary == "新增 0 条, 更新 0 条"


def test_a_town_user_cannot_pick_another_town(records: World) -> None:
    wb = load_workbook(io.BytesIO(download(login(records.users[Role.STAFF]), town=records.other_town.code)))
    assert data_rows(wb["镇街"])[0][0] == records.town.code


def test_a_sheet_the_town_has_no_record_of_gets_no_example_and_a_note(world: World) -> None:
    wb = load_workbook(io.BytesIO(download(login(world.users[Role.STAFF]))))
    assert data_rows(wb["意见建议"]) == [] and len(data_rows(wb["代表"])) == 1
    notes = " ".join(str(r[0]) for r in wb["说明"].iter_rows(values_only=True, max_row=10))
    assert "尚无以下工作表的记录，未附示例行" in notes and "意见建议" in notes
    assert import_workbook(io.BytesIO(download(login(world.users[Role.STAFF]))), actor=world.users[Role.STAFF],
                           dry_run=True).summary == "新增 0 条, 更新 0 条"


def test_formula_like_text_is_written_as_text(world: World) -> None:
    public_item(world, title="=HYPERLINK(\"http://example.com\",\"点我\")")
    wb = load_workbook(io.BytesIO(download(login(world.users[Role.STAFF]))))
    ws = wb["意见建议"]
    title = ws.cell(2, registry.get("意见建议").headers.index("标题") + 1)  # type: ignore[union-attr]
    assert title.value.startswith("=HYPERLINK") and title.data_type == "s"


def test_command_writes_the_template(records: World, tmp_path: Any) -> None:
    path = tmp_path / "模板.xlsx"
    call_command("ledger_template", str(path), "--town", records.town.code, stdout=io.StringIO())
    wb = load_workbook(path)
    assert wb.sheetnames[0] == template.HELP_SHEET and data_rows(wb["镇街"])[0][0] == records.town.code
    assert import_workbook(path, dry_run=True).summary == "新增 0 条, 更新 0 条"
