"""Indicator tests with hand-computed fixtures built through the suggestion services.

The fixture (town ``world.town``, period 2023H1, as-of 2023-06-30 unless said otherwise):

Items (registered date: history → state at 2023-06-30):

- P1 public 交通出行, 03-01: u1 03-02 (deadline 04-01), reply A 03-10, 满意 03-12, close 03-15 → closed on time
- D1 deputy 农业农村, 03-01: u1 03-02 (deadline 06-02), key supervision 03-05, reply B 03-10,
  基本满意 03-12, close 07-05 → open, overdue
- P2 public, 04-01: u2 04-03 (deadline 05-03), extension to 05-20 approved 04-21, reply A 05-10,
  close 05-15 → closed on time thanks to the extension
- D2 deputy, 04-01: withdrawn 04-05.  P4 public, 04-02: merged into D1 04-03
- P5 public, 05-01: u1 05-02 (deadline 06-01), reply C 07-02 → open, overdue, not replied
- P6 public, 06-01: u1 06-05, returned 06-06, reassigned u2 07-03 → not assigned
- P7 public 交通出行, 06-20: nothing → not assigned
- P9 public, 02-01: u1 02-02, reply A 02-10, 不满意 02-12 (re-handle, deadline 03-12), reply A 02-20,
  满意 02-22, close 02-25 → closed on time, rehandled
- P10 public, 06-26: u2 06-28 (deadline 07-28), returned 07-03 → assigned to u2 (read from the audit)
- P8 public, 2022-12-31: closed 2023-01-10 → outside the period
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.support import World, make_deputy, make_unit, make_user

from renda.core import stats as core_stats
from renda.core.errors import InvalidInput
from renda.core.roles import Role
from renda.reports import metrics
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.units.models import Unit

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
H1 = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-06-30"))


class Fixture:
    def __init__(self, world: World) -> None:
        self.w = world
        self.staff = world.users[Role.STAFF]
        self.deputy_user = world.users[Role.DEPUTY]
        self.u1 = world.unit
        self.u1_user = world.users[Role.UNIT]
        self.u2 = make_unit(world.town, name="甲单位")
        self.u2_user = make_user(Role.UNIT, world.town, unit=self.u2)
        traffic = services.suggestion_category_create(actor=None, town=world.town, name="交通出行")
        farming = services.suggestion_category_create(actor=None, town=world.town, name="农业农村")
        st, dep = self.staff, self.deputy_user

        self.p1 = self.public("03-01", category=traffic)
        self.assign(self.p1, "03-02", self.u1)
        self.accept(self.p1, "03-03", self.u1_user)
        self.reply(self.p1, "03-10", "A", self.u1_user)
        services.suggestion_evaluate(actor=st, suggestion_id=self.p1.pk, result="satisfied", on=d("03-12"))
        services.suggestion_close(actor=st, suggestion_id=self.p1.pk, on=d("03-15"))

        self.d1 = services.suggestion_register(
            actor=st, town=world.town, kind="deputy", title="农田水利施工质量监督", lead_deputy=world.deputy,
            category=farming, on=d("03-01"))
        self.assign(self.d1, "03-02", self.u1)
        services.suggestion_set_key_supervision(actor=st, suggestion_id=self.d1.pk,
                                                supervisor=world.presidium_deputy, on=d("03-05"))
        self.accept(self.d1, "03-03", self.u1_user)
        self.reply(self.d1, "03-10", "B", self.u1_user)
        services.suggestion_evaluate(actor=dep, suggestion_id=self.d1.pk, result="basically_satisfied",
                                     on=d("03-12"))

        self.p2 = self.public("04-01")
        self.assign(self.p2, "04-03", self.u2)
        self.accept(self.p2, "04-04", self.u2_user)
        ext = services.suggestion_request_extension(actor=self.u2_user, suggestion_id=self.p2.pk, reason="施工中",
                                                    new_deadline=D("2023-05-20"), on=d("04-20"))
        services.suggestion_decide_extension(actor=st, extension_id=ext.pk, approve=True, on=d("04-21"))
        self.reply(self.p2, "05-10", "A", self.u2_user)
        services.suggestion_close(actor=st, suggestion_id=self.p2.pk, on=d("05-15"))

        self.d2 = services.suggestion_register(actor=st, town=world.town, kind="deputy", title="撤回的建议",
                                               lead_deputy=world.deputy, on=d("04-01"))
        services.suggestion_withdraw(actor=dep, suggestion_id=self.d2.pk, on=d("04-05"))

        self.p4 = self.public("04-02")
        services.suggestion_merge(actor=st, suggestion_id=self.p4.pk, into_id=self.d1.pk, on=d("04-03"))

        self.p5 = self.public("05-01")
        self.assign(self.p5, "05-02", self.u1)
        self.accept(self.p5, "05-03", self.u1_user)
        self.reply(self.p5, "07-02", "C", self.u1_user)

        self.p6 = self.public("06-01")
        self.assign(self.p6, "06-05", self.u1)
        services.suggestion_return(actor=self.u1_user, suggestion_id=self.p6.pk, reason="不属于本单位",
                                   on=d("06-06"))
        self.assign(self.p6, "07-03", self.u2)

        self.p7 = self.public("06-20", category=traffic)

        self.p9 = self.public("02-01")
        self.assign(self.p9, "02-02", self.u1)
        self.accept(self.p9, "02-03", self.u1_user)
        self.reply(self.p9, "02-10", "A", self.u1_user)
        services.suggestion_evaluate(actor=st, suggestion_id=self.p9.pk, result="dissatisfied", on=d("02-12"))
        self.reply(self.p9, "02-20", "A", self.u1_user)
        services.suggestion_evaluate(actor=st, suggestion_id=self.p9.pk, result="satisfied", on=d("02-22"))
        services.suggestion_close(actor=st, suggestion_id=self.p9.pk, on=d("02-25"))

        self.p10 = self.public("06-26")
        self.assign(self.p10, "06-28", self.u2)
        services.suggestion_return(actor=self.u2_user, suggestion_id=self.p10.pk, reason="不属于本单位",
                                   on=d("07-03"))

        self.p8 = services.suggestion_register(actor=st, town=world.town, kind="public", title="去年的",
                                               submitter_name="李四", on=D("2022-12-31"))
        self.assign(self.p8, "2022-12-31", self.u1)
        self.accept(self.p8, "2022-12-31", self.u1_user)
        self.reply(self.p8, "2023-01-05", "A", self.u1_user)
        services.suggestion_close(actor=st, suggestion_id=self.p8.pk, on=D("2023-01-10"))

        # D1 is closed after the as-of date.
        services.suggestion_close(actor=st, suggestion_id=self.d1.pk, on=d("07-05"))

    def public(self, on: str, **kw: Any) -> Suggestion:
        return services.suggestion_register(actor=self.staff, town=self.w.town, kind="public", title=f"意见{on}",
                                            submitter_name="张三", on=d(on), **kw)

    def assign(self, s: Suggestion, on: str, unit: Unit) -> None:
        services.suggestion_assign(actor=self.staff, suggestion_id=s.pk, lead_unit=unit, on=d(on))

    def accept(self, s: Suggestion, on: str, user: Any) -> None:
        services.suggestion_accept(actor=user, suggestion_id=s.pk, on=d(on))

    def reply(self, s: Suggestion, on: str, cls: str, user: Any) -> None:
        services.suggestion_reply(actor=user, suggestion_id=s.pk, reply_class=cls, text="已办理", on=d(on))


def d(text: str) -> dt.date:
    return D(text if len(text) == 10 else f"2023-{text}")


@pytest.fixture
def fx(world: World) -> Fixture:
    return Fixture(world)


def town_scope(world: World) -> metrics.Scope:
    return metrics.resolve_scope(world.town.code)


def test_every_key_of_the_suggestions_section(fx: Fixture, world: World) -> None:
    section = metrics.suggestions_section(H1, town_scope(world))
    assert section == {
        "received": 8,
        "by_kind": {"public": 7, "deputy": 1},
        "assigned": 6,
        "replied": 4,
        "closed": 3,
        "open": 5,
        "closure_rate": 0.375,
        "on_time_closed": 3,
        "on_time_rate": 1.0,
        "overdue_open": 2,
        "reply_class": {"A": 3, "B": 1, "C": 0, "D": 0},
        "resolved_rate": 0.75,
        "evaluated": 3,
        "satisfaction": {"satisfied": 2, "basically_satisfied": 1, "dissatisfied": 0},
        "satisfaction_rate": 1.0,
        "key_supervised": 1,
        "rehandled": 1,
        "closed_dissatisfied": 0,
        "withdrawn": 1,
        "merged": 1,
        "by_unit": [
            {"unit": fx.u1.name, "assigned": 4, "closed": 2, "on_time_closed": 2, "overdue_open": 2},
            {"unit": "甲单位", "assigned": 2, "closed": 1, "on_time_closed": 1, "overdue_open": 0},
        ],
        "by_category": {"交通出行": 2, "农业农村": 1},
    }


def test_later_as_of_sees_the_later_facts(fx: Fixture, world: World) -> None:
    """As of 07-10: D1 closed (07-05, after its 06-02 deadline), P5 replied C, P10 returned,
    P6 re-assigned to 甲单位."""
    period = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-07-10"))
    s = metrics.suggestions_section(period, town_scope(world))
    assert (s["received"], s["closed"], s["open"], s["on_time_closed"]) == (8, 4, 4, 3)
    assert s["on_time_rate"] == 0.75 and s["closure_rate"] == 0.5
    assert s["replied"] == 5 and s["reply_class"] == {"A": 3, "B": 1, "C": 1, "D": 0}
    assert s["resolved_rate"] == 0.6
    assert s["assigned"] == 6  # P10 returned, P6 re-assigned
    assert s["overdue_open"] == 1  # P5 (06-01); P6's deadline 08-02 is not yet past
    assert s["by_unit"] == [
        {"unit": fx.u1.name, "assigned": 4, "closed": 3, "on_time_closed": 2, "overdue_open": 1},
        {"unit": "甲单位", "assigned": 2, "closed": 1, "on_time_closed": 1, "overdue_open": 0},
    ]


def test_as_of_rule_closed_after_as_of_counts_as_open(fx: Fixture, world: World) -> None:
    early = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-03-14"))
    s = metrics.suggestions_section(early, town_scope(world))
    assert s["received"] == 3  # P9, P1, D1: items registered after the as-of date do not exist yet
    assert s["closed"] == 1 and s["open"] == 2  # only P9 (02-25); P1 closes 03-15
    assert s["replied"] == 3 and s["assigned"] == 3 and s["key_supervised"] == 1
    assert s["overdue_open"] == 0  # P1's deadline 04-01, D1's 06-02
    assert s["evaluated"] == 3 and s["satisfaction"] == {"satisfied": 2, "basically_satisfied": 1,
                                                         "dissatisfied": 0}
    # withdrawn/merged after the as-of date: the items are still in S
    spring = metrics.Period.make(D("2023-04-01"), D("2023-04-30"), D("2023-04-02"))
    s = metrics.suggestions_section(spring, town_scope(world))
    assert (s["received"], s["withdrawn"], s["merged"]) == (3, 0, 0)  # P2, D2, P4
    april = metrics.Period.make(D("2023-04-01"), D("2023-04-30"), D("2023-04-30"))
    s = metrics.suggestions_section(april, town_scope(world))
    assert (s["received"], s["withdrawn"], s["merged"]) == (1, 1, 1)


def test_on_time_uses_the_approved_extension(fx: Fixture, world: World) -> None:
    fx.p2.refresh_from_db()
    assert fx.p2.original_deadline == D("2023-05-03") and fx.p2.closed_at == D("2023-05-15")
    s = metrics.suggestions_section(H1, town_scope(world))
    unit2 = next(u for u in s["by_unit"] if u["unit"] == "甲单位")
    assert unit2["on_time_closed"] == 1


def test_deadline_in_force_at_as_of_before_an_extension(world: World) -> None:
    fx = Fixture.__new__(Fixture)
    fx.w, fx.staff = world, world.users[Role.STAFF]
    item = fx.public("04-01")
    fx.assign(item, "04-03", world.unit)
    fx.accept(item, "04-04", world.users[Role.UNIT])
    ext = services.suggestion_request_extension(actor=world.users[Role.UNIT], suggestion_id=item.pk, reason="慢",
                                                new_deadline=D("2023-06-20"), on=d("05-04"))
    services.suggestion_decide_extension(actor=fx.staff, extension_id=ext.pk, approve=True, on=d("05-10"))
    scope = town_scope(world)
    before = metrics.Period.make(D("2023-04-01"), D("2023-04-30"), D("2023-05-06"))
    after = metrics.Period.make(D("2023-04-01"), D("2023-04-30"), D("2023-05-12"))
    assert metrics.suggestions_section(before, scope)["overdue_open"] == 1  # 05-03 passed, not yet extended
    assert metrics.suggestions_section(after, scope)["overdue_open"] == 0


def test_empty_period_gives_null_rates_and_complete_fixed_objects(world: World) -> None:
    s = metrics.suggestions_section(H1, town_scope(world))
    assert s["received"] == 0 and s["open"] == 0
    for key in ("closure_rate", "on_time_rate", "resolved_rate", "satisfaction_rate"):
        assert s[key] is None
    assert s["by_kind"] == {"public": 0, "deputy": 0}
    assert s["reply_class"] == {"A": 0, "B": 0, "C": 0, "D": 0}
    assert s["satisfaction"] == {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}
    assert s["by_unit"] == [] and s["by_category"] == {}


def test_by_unit_orders_by_assigned_then_code_point(world: World) -> None:
    fx = Fixture.__new__(Fixture)
    fx.w, fx.staff = world, world.users[Role.STAFF]
    jia, yi, zz = make_unit(world.town, name="甲"), make_unit(world.town, name="乙"), make_unit(world.town, name="Z")
    for unit in (jia, yi, zz, yi):
        fx.assign(fx.public("03-01"), "03-02", unit)
    names = [u["unit"] for u in metrics.suggestions_section(H1, town_scope(world))["by_unit"]]
    assert names == ["乙", "Z", "甲"]  # 乙 has 2; then "Z" (U+005A) < "甲" (U+7532)


def test_rates_round_half_up_to_four_decimals() -> None:
    assert metrics.rate(1, 3) == 0.3333 and metrics.rate(2, 3) == 0.6667 and metrics.rate(37, 38) == 0.9737
    assert metrics.rate(1, 0) is None and metrics.rate(0, 5) == 0.0


def test_district_sums_two_towns_and_town_option(fx: Fixture, world: World) -> None:
    other_staff = world.other_staff
    other_unit_user = make_user(Role.UNIT, world.other_town, unit=world.other_unit)
    q = services.suggestion_register(actor=other_staff, town=world.other_town, kind="public", title="路灯",
                                     submitter_name="王五", on=d("03-01"))
    services.suggestion_assign(actor=other_staff, suggestion_id=q.pk, lead_unit=world.other_unit, on=d("03-02"))
    services.suggestion_accept(actor=other_unit_user, suggestion_id=q.pk, on=d("03-03"))
    services.suggestion_reply(actor=other_unit_user, suggestion_id=q.pk, reply_class="D", text="暂不能解决",
                              on=d("03-10"))
    services.suggestion_close(actor=other_staff, suggestion_id=q.pk, on=d("03-20"))

    district = metrics.resolve_scope(None)
    assert district.town is None and {t.pk for t in district.towns} == {world.town.pk, world.other_town.pk}
    whole = metrics.suggestions_section(H1, district)
    one = metrics.suggestions_section(H1, town_scope(world))
    other = metrics.suggestions_section(H1, metrics.resolve_scope(world.other_town.code))
    for key in ("received", "assigned", "replied", "closed", "open", "on_time_closed", "overdue_open", "evaluated",
                "key_supervised", "rehandled", "withdrawn", "merged"):
        assert whole[key] == one[key] + other[key], key
    assert whole["received"] == 9 and whole["closed"] == 4
    assert whole["closure_rate"] == 0.4444  # recomputed: 4/9, not the mean of 0.375 and 1.0
    assert whole["reply_class"] == {"A": 3, "B": 1, "C": 0, "D": 1} and whole["resolved_rate"] == 0.6
    assert whole["by_kind"] == {"public": 8, "deputy": 1}
    assert [(u["unit"], u["assigned"]) for u in whole["by_unit"]] == [
        (fx.u1.name, 4), ("甲单位", 2), (world.other_unit.name, 1)]
    assert other["by_unit"] == [{"unit": world.other_unit.name, "assigned": 1, "closed": 1, "on_time_closed": 1,
                                 "overdue_open": 0}]


def test_one_town_in_the_database_is_that_town(db: None) -> None:
    from tests.support import make_town

    town = make_town()
    scope = metrics.resolve_scope(None)
    assert scope.town == town and scope.as_dict() == {"scope": "town", "town": town.code, "town_name": town.name}
    with pytest.raises(InvalidInput):
        metrics.resolve_scope("340399999000")


def test_grids_and_deputies_sections(world: World) -> None:
    make_deputy(world.town, level="district")
    from renda.people.services import deputy_create

    deputy_create(actor=None, name="已卸任", phone="13900000001", level="town", town=world.town,
                  serving_from=D("2018-01-01"), serving_to=D("2022-12-31"))
    deputy_create(actor=None, name="新任", phone="13900000002", level="town", town=world.town,
                  serving_from=D("2023-07-01"))
    scope = town_scope(world)
    assert metrics.grids_section(H1, scope) == {"grids": 1, "grid_workers": 1, "full_time": 1, "part_time": 0,
                                                "deputies_in_grids": 1}
    # town: world.deputy, presidium_deputy, plain_deputy + the district-level one; the other two not serving
    # (liaison: no contact records, so all four are without a presidium contact and below the voter target)
    assert metrics.deputies_section(H1, scope) == {"total": 4, "district": 1, "town": 3, "reports_to_voters": 0,
                                                   "voter_contacts": 0, "presidium_contacts": 0,
                                                   "without_contact": 4, "below_voter_target": 4}
    later = metrics.Period.make(D("2023-07-01"), D("2023-07-31"), D("2023-07-31"))
    assert metrics.deputies_section(later, scope)["total"] == 5
    district = metrics.resolve_scope(None)
    assert metrics.grids_section(H1, district)["grids"] == 2
    assert metrics.deputies_section(H1, district)["total"] == 6


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2023", "2023-01-01", "2023-12-31"),
    ("2023H1", "2023-01-01", "2023-06-30"),
    ("2023h2", "2023-07-01", "2023-12-31"),
    ("2023Q1", "2023-01-01", "2023-03-31"),
    ("2023Q3", "2023-07-01", "2023-09-30"),
    ("2024Q4", "2024-10-01", "2024-12-31"),
    ("2023-07", "2023-07-01", "2023-07-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
])
def test_period_parsing(text: str, first: str, last: str) -> None:
    assert core_stats.parse_period(text) == (D(first), D(last))


@pytest.mark.parametrize("text", ["", "23H1", "2023H3", "2023Q5", "2023-13", "2023-1-1", "H1"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        core_stats.parse_period(text)


def test_as_of_defaults_to_the_end_or_today() -> None:
    today = D("2023-08-15")
    assert metrics.Period.parse("2023H1", today=today).as_of == D("2023-06-30")
    assert metrics.Period.parse("2023", today=today).as_of == today
    assert metrics.Period.parse("2023", D("2023-03-01"), today=today).as_of == D("2023-03-01")
    with pytest.raises(InvalidInput):
        metrics.Period.make(D("2023-02-01"), D("2023-01-01"))


def test_by_month_sums_to_the_section(fx: Fixture, world: World) -> None:
    period = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-07-10"))
    months = metrics.suggestions_by_month(period, town_scope(world))
    assert [m["month"] for m in months] == [f"2023-{m:02d}" for m in range(1, 8)]
    assert {m["month"]: (m["registered"], m["closed"]) for m in months} == {
        "2023-01": (0, 0), "2023-02": (1, 1), "2023-03": (2, 1), "2023-04": (1, 0), "2023-05": (1, 1),
        "2023-06": (3, 0), "2023-07": (0, 1)}


def run_stats(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_prints_the_json(fx: Fixture, world: World) -> None:
    data = run_stats("--period", "2023H1", "--town", world.town.code, "--format", "json")
    assert set(data) == {"period", "suggestions", "petitions", "grids", "deputies", "projects",
                         "activities", "information", "motions"}
    assert data["period"] == {"from": "2023-01-01", "to": "2023-06-30", "as_of": "2023-06-30", "scope": "town",
                              "town": world.town.code, "town_name": world.town.name}
    assert data["suggestions"] == metrics.suggestions_section(H1, town_scope(world))
    assert data["suggestions"]["by_category"] == {"交通出行": 2, "农业农村": 1}
    same = run_stats("--from", "2023-01-01", "--to", "2023-06-30", "--as-of", "2023-06-30", "--town",
                     world.town.code)
    assert same == data
    later = run_stats("--period", "2023H1", "--as-of", "2023-07-10", "--town", world.town.code)
    assert later["suggestions"]["closed"] == 4
    district = run_stats("--period", "2023H1")
    assert district["period"]["scope"] == "district" and district["period"]["town"] is None


def test_command_output_is_utf8_not_escaped(fx: Fixture, world: World) -> None:
    out = io.StringIO()
    call_command("stats", "--period", "2023H1", "--town", world.town.code, stdout=out)
    assert "交通出行" in out.getvalue() and "\\u" not in out.getvalue()


@pytest.mark.parametrize("args", [
    (), ("--from", "2023-01-01"), ("--period", "2023H1", "--from", "2023-01-01"), ("--period", "2023H9"),
    ("--from", "2023-01-01", "--to", "2023-13-01"), ("--period", "2023", "--town", "000000000000"),
])
def test_command_refuses_bad_options(world: World, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run_stats(*args)
