"""The statistics page as an Excel workbook: one sheet per section of ``renda stats``, with the
same numbers as its JSON; safe cells; a district-sized period as a background job."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from tests.support import World

from renda.core.roles import Role
from renda.reports import exports, views, workbook
from renda.reports.tests.test_metrics import Fixture
from renda.suggestions import services

D = dt.date.fromisoformat
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "today", lambda: D("2023-08-01"))


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def run_stats(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return json.loads(out.getvalue())


def flat(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The stats JSON as {section: {dotted key: value}}, lists of objects keyed by their name."""
    out: dict[str, dict[str, Any]] = {}

    def walk(section: str, value: Any, path: list[str]) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(section, v, [*path, k])
        elif isinstance(value, list):
            for item in value:
                name = next(v for v in item.values() if isinstance(v, str))
                for k, v in item.items():
                    if v != name:
                        walk(section, v, [*path, name, k])
        else:
            out.setdefault(section, {})[".".join(path)] = value

    for key, value in data.items():
        walk(key, value, [])
    return out


def sheets_of(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


TITLES = {"period": "统计期间", "suggestions": "意见建议", "petitions": "信访", "grids": "网格", "deputies": "代表",
          "projects": "民生实事", "activities": "履职活动", "information": "信息与荣誉",
          "motions": "议案"}


@pytest.mark.django_db
def test_workbook_has_a_sheet_per_section_with_the_numbers_of_renda_stats(world: World) -> None:
    Fixture(world)
    expected = run_stats("--period", "2023H1", "--as-of", "2023-06-30", "--town", world.town.code)
    response = login(world, Role.STAFF).get("/reports/export/", {"period": "2023H1", "as_of": "2023-06-30"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "2023%E5%B9%B4%E4%B8%8A%E5%8D%8A%E5%B9%B4" in response["Content-Disposition"]  # 2023年上半年
    got = sheets_of(response.content)
    assert list(got) == [TITLES[k] for k in expected]
    numbers = flat(expected)
    assert numbers["suggestions"]["by_unit.甲单位.closed"] >= 1  # the fixture fills the groups
    assert numbers["suggestions"]["by_category.交通出行"] == 2
    for key, title in TITLES.items():
        rows = got[title]
        assert rows[0] == ("指标", "键", "数值")
        values = {k: v for _label, k, v in rows[1:]}
        if key == "period":
            values.pop("scope")
            numbers[key].pop("scope")
        assert values == numbers[key], title
    # labels say what each number is
    labels = {k: label for label, k, _v in got["意见建议"][1:]}
    assert labels["closure_rate"] == "办结率"
    assert labels["by_unit.甲单位.closed"] == "按承办单位 · 甲单位 · 办结"
    assert labels["satisfaction.dissatisfied"] == "测评结果 · 不满意"
    assert {k: v for _l, k, v in got["统计期间"][1:]}["scope"] == "镇街"


@pytest.mark.django_db
def test_workbook_shows_rates_as_percentages_header_frozen_and_widths() -> None:
    data = {"period": {"from": "2023-01-01"},
            "suggestions": {"closure_rate": 0.6667, "on_time_rate": None, "received": 3,
                            "by_category": {"=HYPERLINK(\"http://x\",\"y\")": 1}}}
    wb = load_workbook(io.BytesIO(workbook.to_bytes(data)))
    ws = wb["意见建议"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["A"].width >= 30
    cells = {ws.cell(r, 2).value: ws.cell(r, 3) for r in range(2, ws.max_row + 1)}
    assert cells["closure_rate"].value == 0.6667 and cells["closure_rate"].number_format == "0.00%"
    assert cells["on_time_rate"].value is None
    # a category someone typed as a formula is text, never a live formula
    formula_like = [ws.cell(r, c) for r in range(1, ws.max_row + 1) for c in (1, 2)
                    if str(ws.cell(r, c).value).find("=HYPERLINK") >= 0]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


@pytest.mark.django_db
def test_district_viewer_exports_the_district_or_one_town(world: World) -> None:
    for staff, town, unit in ((world.users[Role.STAFF], world.town, world.unit),
                              (world.other_staff, world.other_town, world.other_unit)):
        services.suggestion_register(actor=staff, town=town, kind="public", title="路灯", submitter_name="张三",
                                     on=D("2023-03-01"))
    client = login(world, Role.DISTRICT_VIEWER)
    district = sheets_of(client.get("/reports/export/", {"period": "2023H1"}).content)
    assert {k: v for _l, k, v in district["意见建议"][1:]}["received"] == 2
    one = sheets_of(client.get("/reports/export/", {"period": "2023H1", "town": world.other_town.code}).content)
    assert {k: v for _l, k, v in one["意见建议"][1:]}["received"] == 1
    # a town's staff cannot widen the export to another town: the page says so instead
    response = login(world, Role.STAFF).get("/reports/export/", {"period": "2023H1", "town": world.other_town.code})
    assert response.status_code == 302 and response["Location"].startswith("/reports/")


@pytest.mark.django_db
def test_a_wrong_period_is_not_exported(world: World) -> None:
    client = login(world, Role.STAFF)
    response = client.get("/reports/export/", {"period": "2023H3"}, follow=True)
    assert "统计期间「2023H3」格式不正确" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [(Role.STAFF, 200), (Role.DISTRICT_VIEWER, 200), (Role.DEPUTY, 403),
                                              (Role.UNIT, 403), (Role.GRID_WORKER, 403)])
def test_export_policy(world: World, role: str, status: int) -> None:
    assert login(world, role).get("/reports/export/", {"period": "2023"}).status_code == status


@pytest.mark.django_db(transaction=True)
def test_a_large_period_is_exported_in_the_background(world: World, settings: Any, tmp_path: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DATA_DIR = tmp_path
    services.suggestion_register(actor=world.users[Role.STAFF], town=world.town, kind="public", title="路灯",
                                 submitter_name="张三", on=D("2023-03-01"))
    monkeypatch.setattr(exports, "SYNC_LIMIT", 0)
    client = login(world, Role.DISTRICT_VIEWER)
    response = client.get("/reports/export/", {"period": "2023H1"})
    assert response.status_code == 302
    status_url = response["Location"]
    assert client.get(status_url, {"format": "json"}).json()["status"] == "READY"
    assert "hx-trigger" in client.get(status_url).content.decode()
    other = login(world, Role.ADMIN)
    assert other.get(status_url, {"format": "json"}).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    state = client.get(status_url, {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["download"]
    assert other.get(state["download"]).status_code == 404
    download = client.get(state["download"])
    assert download.status_code == 200
    got = sheets_of(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert {k: v for _l, k, v in got["意见建议"][1:]}["received"] == 1
    assert {k: v for _l, k, v in got["统计期间"][1:]}["to"] == "2023-06-30"
    # an id of another kind of job is not found here
    assert client.get(status_url.replace(status_url.split("/")[-2], "00000000-0000-0000-0000-000000000000"),
                      {"format": "json"}).status_code == 404
