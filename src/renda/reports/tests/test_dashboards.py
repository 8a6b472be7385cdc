"""The dashboards (reports.dashboards, the views mine/district/table): every number from
reports.metrics — the breakdowns sum to the sections, the page shows what ``renda stats`` prints —,
who sees which dashboard, the district ranking, the per-panel Excel export, constant queries."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from tests.support import World, make_town

from renda.core.roles import Role
from renda.reports import metrics, views
from renda.reports.tests.test_metrics import H1, Fixture, run_stats
from renda.suggestions import services

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "today", lambda: D("2023-08-01"))


@pytest.fixture
def fx(world: World) -> Fixture:
    return Fixture(world)


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


# --- the breakdowns are the section's numbers grouped another way -----------------------------------


@pytest.mark.parametrize("as_of", ["2023-06-30", "2023-07-04"])
def test_breakdowns_sum_to_the_section_on_both_paths(fx: Fixture, world: World, as_of: str) -> None:
    period = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D(as_of))
    scope = metrics.resolve_scope(world.town.code)
    facts = metrics.suggestion_facts(period, scope, grids=True)
    slow = metrics.suggestion_facts(period, scope, rebuild_all=True, grids=True)
    assert metrics.suggestions_section(period, scope, metrics.suggestion_facts(period, scope)) \
        == metrics.suggestions_section(period, scope, facts)
    section = metrics.suggestions_section(period, scope, facts)
    units = metrics.suggestions_by_unit(facts)
    assert units == metrics.suggestions_by_unit(slow)
    assert [{k: u[k] for k in ("unit", "assigned", "closed", "on_time_closed", "overdue_open")} for u in units] \
        == section["by_unit"]
    town = metrics.suggestions_by_town(facts, scope.towns)[world.town.pk]
    assert town == metrics.suggestions_by_town(slow, scope.towns)[world.town.pk]
    for key in ("received", "assigned", "closed", "on_time_closed", "overdue_open", "closure_rate", "on_time_rate",
                "satisfaction_rate"):
        assert town[key] == section[key], key
    assert town["evaluated"] == section["evaluated"]
    assert sum(u["evaluated"] for u in units) <= section["evaluated"]
    grids = metrics.suggestions_by_grid(facts)
    assert sum(g["received"] for g in grids.values()) == section["received"]
    assert grids == metrics.suggestions_by_grid(slow)


def test_unit_months_sum_to_the_units_items(fx: Fixture, world: World) -> None:
    scope = metrics.resolve_scope(world.town.code)
    months = metrics.suggestions_by_month(H1, scope, unit_id=fx.u2.pk)
    # p2 (registered in April, closed in May) and p6 (moved to it after as-of: it follows its current
    # unit here); p10, returned after as-of, has no unit now
    assert {m["month"]: (m["registered"], m["closed"]) for m in months if m["registered"] or m["closed"]} == {
        "2023-04": (1, 0), "2023-05": (0, 1), "2023-06": (1, 0)}


def test_town_comparison_is_the_sections_of_each_town(fx: Fixture, world: World) -> None:
    towns = [world.town, world.other_town]
    comparison = metrics.town_comparison(H1, towns)
    mine = comparison["rows"][0]
    section = metrics.suggestions_section(H1, metrics.Scope((world.town,), world.town))
    assert (mine["received"], mine["closure_rate"], mine["satisfaction_rate"]) == (
        section["received"], section["closure_rate"], section["satisfaction_rate"])
    other = comparison["rows"][1]
    assert other["received"] == 0 and other["closure_rate"] is None
    district = metrics.suggestions_section(H1, metrics.Scope(tuple(towns), None))
    assert comparison["total"]["received"] == district["received"]
    assert comparison["total"]["satisfaction_rate"] == district["satisfaction_rate"]


# --- ranking --------------------------------------------------------------------------------------


def test_rank_ties_share_a_rank_and_no_data_comes_last() -> None:
    rows = [{"t": "a", "closure_rate": 0.5}, {"t": "b", "closure_rate": None}, {"t": "c", "closure_rate": 0.9},
            {"t": "d", "closure_rate": 0.5}, {"t": "e", "closure_rate": 0.4999}]
    ranked = metrics.rank(rows, "closure_rate")
    assert [(r["t"], r["rank"]) for r in ranked] == [("c", 1), ("a", 2), ("d", 2), ("e", 4), ("b", None)]


def test_rank_fewer_overdue_is_better() -> None:
    rows = [{"t": "a", "overdue_open": 3}, {"t": "b", "overdue_open": 0}, {"t": "c", "overdue_open": 0}]
    assert [(r["t"], r["rank"]) for r in metrics.rank(rows, "overdue_open")] == [("b", 1), ("c", 1), ("a", 3)]


def test_district_view_ranks_every_town(fx: Fixture, world: World) -> None:
    make_town(district=world.district, name="空白镇")
    response = login(world, Role.DISTRICT_VIEWER).get("/reports/district/", {"period": "2023H1",
                                                                             "rank": "closure_rate"})
    assert response.status_code == 200
    rows = response.context["panels"][0].rows
    assert rows[0][0] == world.town.name and rows[0][1] == 1
    assert {r[1] for r in rows[1:]} == {None}  # the towns without items are not ranked
    html = response.content.decode()
    assert 'id="table-towns"' in html and "空白镇" in html
    # an unknown ranking key falls back to the closure rate
    assert login(world, Role.DISTRICT_VIEWER).get("/reports/district/", {"rank": "x<"}).context["rank"] \
        == "closure_rate"


# --- the dashboard shows what renda stats prints ----------------------------------------------------


def assert_shows_stats(html: str, stats: dict[str, Any]) -> int:
    """Every number the dashboard marks with ``data-key`` equals that key of ``renda stats``; the
    number of keys checked."""
    shown: dict[str, str] = {}
    for key, text in re.findall(r'data-key="([\w.]+)">([^<]*)<', html):
        assert shown.setdefault(key, text) == text, key  # one key, one number
    flat: dict[str, Any] = {}
    for section, values in stats.items():
        for key, value in values.items():
            flat.setdefault(key, value)
            flat[f"{section}.{key}"] = value
    for key, text in shown.items():
        value = flat[key]
        expected = (f"{value * 100:.2f}%" if isinstance(value, float) and "rate" in key
                    else "—" if value is None else str(value))
        if isinstance(value, float) and "total" in key:
            expected = f"{value:,.2f}".replace(",", "")
        assert text.split("（")[0].replace(",", "") == expected, key
    return len(shown)


def test_dashboard_numbers_are_renda_stats(fx: Fixture, world: World) -> None:
    stats = run_stats("--period", "2023H1", "--town", world.town.code, "--format", "json")
    html = login(world, Role.STAFF).get("/reports/", {"period": "2023H1"}).content.decode()
    assert assert_shows_stats(html, stats) > 30


# --- who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "mine", "district", "table"), [
    (Role.PRESIDIUM, 200, 403, 200), (Role.STAFF, 403, 403, 200), (Role.DEPUTY, 200, 403, 403),
    (Role.UNIT, 200, 403, 403), (Role.GRID_WORKER, 200, 403, 403), (Role.DISTRICT_VIEWER, 403, 200, 200),
    (Role.ADMIN, 403, 200, 200),
])
def test_policy_matrix(world: World, role: str, mine: int, district: int, table: int) -> None:
    client = login(world, role)
    assert client.get("/reports/mine/").status_code == mine
    assert client.get("/reports/district/").status_code == district
    assert client.get("/reports/table/", {"panel": "units"}).status_code == table
    assert client.get("/reports/table/", {"dashboard": "mine", "panel": "months"}).status_code in {
        200 if mine == 200 and role == Role.UNIT else 403, 404}
    assert client.get("/reports/table/", {"dashboard": "district"}).status_code == district


def test_unit_dashboard_is_its_own_against_the_town(fx: Fixture, world: World) -> None:
    response = login(world, Role.UNIT).get("/reports/mine/", {"period": "2023H1"})
    assert response.context["kind"] == "unit"
    own = response.context["mine"]
    section = metrics.suggestions_section(H1, metrics.Scope((world.town,), world.town))
    assert own["assigned"] == next(u["assigned"] for u in section["by_unit"] if u["unit"] == world.unit.name)
    assert response.context["compare"].rows[0][2] == section["assigned"]
    assert "甲单位" not in response.content.decode()  # another unit's name is not shown


def test_grid_worker_sees_their_grids_only(world: World) -> None:
    staff = world.users[Role.STAFF]
    services.suggestion_register(actor=staff, town=world.town, kind="public", title="网格里的", submitter_name="张三",
                                 grid=world.grid, on=D("2023-03-01"))
    response = login(world, Role.GRID_WORKER).get("/reports/mine/", {"period": "2023H1"})
    rows = response.context["panels"][0].rows
    assert [r[0] for r in rows] == [world.grid.name] and rows[0][4] == 1
    assert world.other_grid.name not in response.content.decode()


def test_deputy_sees_their_own_figures(fx: Fixture, world: World) -> None:
    response = login(world, Role.DEPUTY).get("/reports/mine/", {"period": "2023H1"})
    figures = response.context["figures"]
    assert figures["suggestions"] == 1  # d1 (d2 withdrawn)
    assert figures["suggestions_closed"] == 0  # d1 closed after the period


def test_town_user_cannot_read_another_towns_tables(fx: Fixture, world: World) -> None:
    response = Client()
    response.force_login(world.other_staff)
    r = response.get("/reports/table/", {"panel": "units", "period": "2023H1", "town": world.town.code})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    assert list(wb.active.iter_rows(min_row=2, values_only=True)) == []


# --- export ---------------------------------------------------------------------------------------


def test_panel_export_is_the_table_and_formula_safe(fx: Fixture, world: World) -> None:
    fx.u2.name = "=HYPERLINK(1)"
    fx.u2.save()
    r = login(world, Role.STAFF).get("/reports/table/", {"panel": "units", "period": "2023H1"})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("承办单位", "交办", "办结", "办结率")
    by_name = {row[0]: row for row in rows[1:]}
    # p2 (p10's assignment, cleared after as-of, is read from its audit event: the old name)
    assert by_name["=HYPERLINK(1)"][1] == 1
    assert all(c.data_type == "s" for c in wb.active["A"][1:])
    everything = login(world, Role.STAFF).get("/reports/table/", {"period": "2023H1"})
    book = load_workbook(io.BytesIO(b"".join(everything.streaming_content)))  # type: ignore[attr-defined]
    assert len(book.sheetnames) == 9
    assert login(world, Role.STAFF).get("/reports/table/", {"panel": "nope"}).status_code == 404


# --- constant queries -------------------------------------------------------------------------------


def _queries(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def _more(world: World) -> None:
    staff = world.users[Role.STAFF]
    for i in range(3):
        s = services.suggestion_register(actor=staff, town=world.town, kind="public", title=f"更多{i}",
                                         submitter_name="张三", grid=world.grid, on=D("2023-03-01"))
        services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=D("2023-03-02"))


@pytest.mark.parametrize(("role", "url"), [(Role.STAFF, "/reports/"), (Role.UNIT, "/reports/mine/"),
                                           (Role.GRID_WORKER, "/reports/mine/"), (Role.DEPUTY, "/reports/mine/"),
                                           (Role.DISTRICT_VIEWER, "/reports/district/")])
def test_constant_query_count(world: World, role: str, url: str) -> None:
    client = login(world, role)
    params = {"period": "2023H1"}
    client.get(url, params)  # warm caches (settings, menus)
    before = _queries(client, url, params)
    _more(world)
    assert _queries(client, url, params) == before


# --- METRICS.md: every key of every section (motions and information are added by their apps) -------

METRICS_KEYS = {
    "suggestions": {"received", "by_kind", "assigned", "replied", "closed", "open", "closure_rate", "on_time_closed",
                    "on_time_rate", "overdue_open", "reply_class", "resolved_rate", "evaluated", "satisfaction",
                    "satisfaction_rate", "key_supervised", "rehandled", "closed_dissatisfied", "withdrawn", "merged",
                    "by_unit", "by_category"},
    "petitions": {"received", "by_channel", "letters_reviewed", "accepted", "declined", "closed", "overdue_open",
                  "duty_shifts", "risks_registered", "risks_resolved", "risks_resolved_with_deputies"},
    "grids": {"grids", "grid_workers", "full_time", "part_time", "deputies_in_grids"},
    "projects": {"candidates", "adopted", "count", "by_stage", "budget_total", "bid_total", "paid_total",
                 "overdue_stages", "evaluated", "grades", "deputy_inspections"},
    "activities": {"total", "by_type", "deputy_attendances", "receptions"},
    "deputies": {"total", "district", "town", "voter_contacts", "presidium_contacts", "without_contact",
                 "below_voter_target", "reports_to_voters"},
}


def test_stats_has_every_key_of_metrics_md(world: World) -> None:
    data = metrics.stats(H1, metrics.resolve_scope(world.town.code))
    for section, keys in METRICS_KEYS.items():
        assert keys <= set(data[section]), (section, keys - set(data[section]))
