"""The suggestion facts are counted by the database for the items whose row is exact at as-of and
rebuilt from the timeline for the others (``metrics.suggestion_facts``). These tests prove that
both paths give the numbers of the former implementation, which rebuilt every item in Python —
kept below, unchanged, as ``Reference`` — on timelines that mix facts dated before and after the
as-of date, for many as-of dates, periods and scopes, on whichever database the suite runs
(SQLite and PostgreSQL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from tests.support import World, make_unit

from renda.core.errors import ApplicationError
from renda.core.roles import Role
from renda.reports import metrics
from renda.reports.tests.test_metrics import Fixture
from renda.suggestions import rules, services
from renda.suggestions.models import (
    Evaluation,
    Extension,
    ExtensionStatus,
    Kind,
    Reply,
    ReplyClass,
    Result,
    Suggestion,
    Transition,
)
from renda.suggestions.workflow import TABLE, Action, State

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


# --- the former implementation, as it was ------------------------------------------------------


class Reference:
    """``suggestion_facts``, ``suggestions_section`` and ``suggestions_by_month`` as they were before
    the database counted the items: every item of the period loaded and rebuilt in Python."""

    _DEADLINE_ACTIONS = (Action.ASSIGN.value, Action.RETURN.value, Action.APPROVE_EXTENSION.value,
                         Action.REHANDLE.value)
    _EXIT = {Action.WITHDRAW.value: State.WITHDRAWN.value, Action.MERGE.value: State.MERGED.value}

    @dataclass
    class Item:
        pk: int
        kind: str
        category: str | None
        registered_at: dt.date
        town_id: int
        closed_at: dt.date | None
        unit_key: tuple[int, str] | None = None
        deadline: dt.date | None = None
        reply_class: str | None = None
        result: str | None = None
        rehandled: bool = False
        key_supervised: bool = False

    @dataclass
    class Tally:
        assigned: int = 0
        closed: int = 0
        on_time_closed: int = 0
        overdue_open: int = 0

    @dataclass
    class Facts:
        period: metrics.Period
        items: list[Any] = field(default_factory=list)
        withdrawn: int = 0
        merged: int = 0

    @classmethod
    def facts(cls, period: metrics.Period, scope: metrics.Scope) -> Facts:
        as_of = period.as_of
        in_period = Suggestion.objects.filter(town_id__in=scope.town_ids, registered_at__gte=period.from_,
                                              registered_at__lte=min(period.to, as_of))
        rows = list(
            in_period
            .values("pk", "town_id", "kind", "state", "category__name", "registered_at", "closed_at", "deadline",
                    "original_deadline", "assigned_at", "lead_unit_id", "lead_unit__name", "key_supervision",
                    "key_supervision_since")
        )
        facts = cls.Facts(period)
        if not rows:
            return facts
        ids = in_period.values("pk")
        history: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in (Transition.objects.filter(suggestion_id__in=ids)
                    .filter(Q(action__in=cls._DEADLINE_ACTIONS) | Q(action=Action.WITHDRAW, to_state=State.WITHDRAWN)
                            | Q(action=Action.MERGE, to_state=State.MERGED))
                    .order_by("suggestion_id", "on", "id").values("suggestion_id", "action", "on", "id")):
            history[row["suggestion_id"]].append(dict(row))
        extensions: dict[int, list[dt.date]] = defaultdict(list)
        for e in (Extension.objects.filter(suggestion_id__in=ids, status=ExtensionStatus.APPROVED,
                                           decided_at__lte=as_of)
                  .order_by("suggestion_id", "decided_at", "id").values("suggestion_id", "new_deadline")):
            extensions[e["suggestion_id"]].append(e["new_deadline"])
        last_reply: dict[int, str] = {}
        replies = (Reply.objects.filter(suggestion_id__in=ids, replied_at__lte=as_of)
                   .order_by("suggestion_id", "replied_at", "id").values_list("suggestion_id", "reply_class"))
        for sid, reply_class in replies:
            last_reply[sid] = reply_class
        last_eval: dict[int, str] = {}
        for sid, result in (Evaluation.objects.filter(suggestion_id__in=ids, evaluated_at__lte=as_of)
                            .order_by("suggestion_id", "evaluated_at", "id").values_list("suggestion_id", "result")):
            last_eval[sid] = result

        stale: list[tuple[Any, int]] = []
        for r in rows:
            item = cls.Item(pk=r["pk"], kind=r["kind"], category=r["category__name"],
                            registered_at=r["registered_at"], town_id=r["town_id"],
                            closed_at=r["closed_at"] if r["closed_at"] and r["closed_at"] <= as_of else None,
                            reply_class=last_reply.get(r["pk"]), result=last_eval.get(r["pk"]),
                            key_supervised=bool(r["key_supervision"] and r["key_supervision_since"]
                                                and r["key_supervision_since"] <= as_of))
            events = history.get(r["pk"], [])
            upto = [t for t in events if t["on"] <= as_of]
            exits = [t for t in upto if t["action"] in cls._EXIT]
            if exits:
                if cls._EXIT[exits[-1]["action"]] == State.WITHDRAWN:
                    facts.withdrawn += 1
                else:
                    facts.merged += 1
                continue
            assign_ids = [t["id"] for t in events if t["action"] == Action.ASSIGN]
            in_force: dict[str, Any] | None = None
            extensions_seen = 0
            for t in upto:
                action = t["action"]
                if action == Action.ASSIGN:
                    in_force = t
                    item.deadline = r["original_deadline"] if t["id"] == assign_ids[-1] else None
                    if item.deadline is None:
                        item.deadline = rules.deadline_for(r["kind"], t["on"])
                elif action == Action.RETURN:
                    in_force, item.deadline = None, None
                elif action == Action.APPROVE_EXTENSION and in_force is not None:
                    approved = extensions.get(r["pk"], [])
                    if extensions_seen < len(approved):
                        item.deadline = approved[extensions_seen]
                    extensions_seen += 1
                elif action == Action.REHANDLE and in_force is not None:
                    item.rehandled = True
                    item.deadline = max(rules.rehandle_deadline(t["on"], rules.rules_for(None)), in_force["on"])
            if in_force is None:
                item.deadline = None
            elif in_force["id"] == assign_ids[-1] and r["lead_unit_id"] is not None:
                item.unit_key = (r["town_id"], r["lead_unit__name"])
                if len(upto) == len(events):
                    item.deadline = r["deadline"]
            else:
                stale.append((item, assign_ids.index(in_force["id"])))
            facts.items.append(item)
        cls.fill_from_audit(stale)
        return facts

    @staticmethod
    def fill_from_audit(stale: Sequence[tuple[Any, int]]) -> None:
        if not stale:
            return
        from renda.audit.models import AuditEvent

        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in (AuditEvent.objects.filter(verb=f"suggestion.{Action.ASSIGN.value}",
                                            target_type=Suggestion._meta.label_lower,
                                            target_id__in=[str(i.pk) for i, _k in stale])
                  .order_by("id").values("target_id", "after")):
            events[e["target_id"]].append(e["after"] or {})
        for item, index in stale:
            found = events.get(str(item.pk), [])
            if index < len(found):
                after = found[index]
                item.unit_key = (item.town_id, after.get("lead_unit") or "")
                if after.get("deadline"):
                    item.deadline = dt.date.fromisoformat(after["deadline"])

    @staticmethod
    def on_time(item: Any) -> bool:
        return item.closed_at is not None and item.deadline is not None and item.closed_at <= item.deadline

    @staticmethod
    def overdue(item: Any, as_of: dt.date) -> bool:
        return item.closed_at is None and item.deadline is not None and item.deadline < as_of

    @classmethod
    def section(cls, period: metrics.Period, facts: Facts) -> dict[str, Any]:
        items, as_of = facts.items, period.as_of
        by_kind = {Kind.PUBLIC.value: 0, Kind.DEPUTY.value: 0}
        reply_class = dict.fromkeys(ReplyClass.values, 0)
        satisfaction = dict.fromkeys(Result.values, 0)
        units: dict[tuple[int, str], Any] = {}
        categories: dict[str, int] = defaultdict(int)
        n = {"assigned": 0, "replied": 0, "closed": 0, "on_time_closed": 0, "overdue_open": 0, "evaluated": 0,
             "key_supervised": 0, "rehandled": 0, "closed_dissatisfied": 0}
        for item in items:
            by_kind[item.kind] = by_kind.get(item.kind, 0) + 1
            if item.category:
                categories[item.category] += 1
            tally = None
            if item.unit_key is not None:
                n["assigned"] += 1
                tally = units.setdefault(item.unit_key, cls.Tally())
                tally.assigned += 1
            if item.reply_class is not None:
                n["replied"] += 1
                reply_class[item.reply_class] += 1
            if item.result is not None:
                n["evaluated"] += 1
                satisfaction[item.result] += 1
            n["key_supervised"] += item.key_supervised
            n["rehandled"] += item.rehandled
            closed, on_time, overdue = item.closed_at is not None, cls.on_time(item), cls.overdue(item, as_of)
            n["closed"] += closed
            n["closed_dissatisfied"] += closed and item.result == Result.DISSATISFIED.value
            n["on_time_closed"] += on_time
            n["overdue_open"] += overdue
            if tally is not None:
                tally.closed += closed
                tally.on_time_closed += on_time
                tally.overdue_open += overdue
        received = len(items)
        ordered = sorted(units.items(), key=lambda kv: (-kv[1].assigned, kv[0][1], kv[0][0]))
        by_unit = [{"unit": name, "assigned": t.assigned, "closed": t.closed, "on_time_closed": t.on_time_closed,
                    "overdue_open": t.overdue_open} for (_town, name), t in ordered]
        rate = metrics.rate
        return {
            "received": received,
            "by_kind": by_kind,
            "assigned": n["assigned"],
            "replied": n["replied"],
            "closed": n["closed"],
            "open": received - n["closed"],
            "closure_rate": rate(n["closed"], received),
            "on_time_closed": n["on_time_closed"],
            "on_time_rate": rate(n["on_time_closed"], n["closed"]),
            "overdue_open": n["overdue_open"],
            "reply_class": reply_class,
            "resolved_rate": rate(reply_class[ReplyClass.A.value], n["replied"]),
            "evaluated": n["evaluated"],
            "satisfaction": satisfaction,
            "satisfaction_rate": rate(satisfaction[Result.SATISFIED.value]
                                      + satisfaction[Result.BASICALLY_SATISFIED.value], n["evaluated"]),
            "key_supervised": n["key_supervised"],
            "rehandled": n["rehandled"],
            "closed_dissatisfied": n["closed_dissatisfied"],
            "withdrawn": facts.withdrawn,
            "merged": facts.merged,
            "by_unit": by_unit,
            "by_category": dict(sorted(categories.items())),
        }

    @classmethod
    def by_month(cls, period: metrics.Period, facts: Facts) -> list[dict[str, Any]]:
        last = max(period.to, period.as_of)
        months: list[str] = []
        y, m = period.from_.year, period.from_.month
        while (y, m) <= (last.year, last.month):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        registered: dict[str, int] = defaultdict(int)
        closed: dict[str, int] = defaultdict(int)
        for item in facts.items:
            registered[item.registered_at.strftime("%Y-%m")] += 1
            if item.closed_at is not None:
                closed[item.closed_at.strftime("%Y-%m")] += 1
        return [{"month": k, "registered": registered.get(k, 0), "closed": closed.get(k, 0)} for k in months]


# --- comparing ----------------------------------------------------------------------------------


def fact_dates() -> list[dt.date]:
    """Every date on which something happened to an item, and the day before: as-of dates on both
    sides of every change."""
    days: set[dt.date] = set()
    days.update(Transition.objects.values_list("on", flat=True))
    days.update(Reply.objects.values_list("replied_at", flat=True))
    days.update(Evaluation.objects.values_list("evaluated_at", flat=True))
    days.update(d for d in Extension.objects.values_list("decided_at", flat=True) if d)
    days.update(d for d in Suggestion.objects.values_list("key_supervision_since", flat=True) if d)
    return sorted(days | {d - dt.timedelta(days=1) for d in days})


def as_of_dates(first: str, last: str, step: int) -> list[dt.date]:
    day, end, out = D(first), D(last), []
    while day <= end:
        out.append(day)
        day += dt.timedelta(days=step)
    return out


def compare(period: metrics.Period, scope: metrics.Scope) -> tuple[int, int]:
    """The new facts, on both paths, against the reference; returns (items rebuilt, items counted by
    the database) on the fast path."""
    reference = Reference.facts(period, scope)
    expected = Reference.section(period, reference)
    facts = metrics.suggestion_facts(period, scope)
    assert metrics.suggestions_section(period, scope, facts) == expected, period
    slow = metrics.suggestion_facts(period, scope, rebuild_all=True)
    assert metrics.suggestions_section(period, scope, slow) == expected, period
    months = Reference.by_month(period, reference)
    assert metrics.suggestions_by_month(period, scope, facts) == months, period
    assert metrics.suggestions_by_month(period, scope, slow) == months, period
    counted = sum(g.received for g in facts.groups) - len(facts.items)
    return len(facts.items), counted


def scopes(world: World) -> list[metrics.Scope]:
    return [metrics.resolve_scope(world.town.code), metrics.resolve_scope(world.other_town.code),
            metrics.resolve_scope(None)]


# --- the hand-computed fixture of test_metrics ---------------------------------------------------


def test_fixture_of_test_metrics_at_every_as_of_date(world: World) -> None:
    """The items of ``test_metrics`` (returns, re-assignment, extension, re-handling, withdrawal,
    merge, key supervision, facts after 06-30), as of each day something happened and the day before."""
    Fixture(world)
    rebuilt = counted = 0
    for as_of in fact_dates():
        for scope in scopes(world):
            for from_, to in (("2023-01-01", "2023-06-30"), ("2023-04-01", "2023-06-30"), ("2023-01-01", "2023-12-31")):
                r, c = compare(metrics.Period.make(D(from_), D(to), as_of), scope)
                rebuilt, counted = rebuilt + r, counted + c
    assert rebuilt and counted  # both paths were taken


def test_the_hand_computed_numbers_come_from_both_paths(world: World) -> None:
    """At 2023-06-30 the fixture's D1 (closed 07-05), P6 (returned, re-assigned 07-03) and P10
    (returned 07-03) changed after as-of and are rebuilt, like the returned and the withdrawn or
    merged items; the others are counted by the database."""
    fx = Fixture(world)
    period = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-06-30"))
    facts = metrics.suggestion_facts(period, metrics.resolve_scope(world.town.code))
    assert {i.pk for i in facts.items} == {fx.p6.pk, fx.p10.pk}  # D1's close is not a deadline-setting event
    assert (facts.withdrawn, facts.merged) == (1, 1)
    assert sum(g.received for g in facts.groups) == 8
    assert metrics.suggestions_section(period, metrics.resolve_scope(world.town.code), facts)["by_unit"] == [
        {"unit": fx.u1.name, "assigned": 4, "closed": 2, "on_time_closed": 2, "overdue_open": 2},
        {"unit": "甲单位", "assigned": 2, "closed": 1, "on_time_closed": 1, "overdue_open": 0},
    ]


# --- random timelines through the services -------------------------------------------------------


class Walk:
    """Items whose timelines are random walks through the workflow (every step through the services,
    at increasing random dates), in both towns, with several units and categories per town."""

    MAIN = {State.REGISTERED: Action.ASSIGN, State.ASSIGNED: Action.ACCEPT, State.ACCEPTED: Action.REPLY,
            State.REPLIED: Action.EVALUATE, State.EVALUATED: Action.CLOSE}

    def __init__(self, world: World, seed: int, items: int) -> None:
        self.w, self.rng = world, random.Random(seed)
        self.towns = {
            world.town.pk: {
                "town": world.town, "deputy": world.deputy, "supervisor": world.presidium_deputy,
                "units": [world.unit, make_unit(world.town, name="甲单位"), make_unit(world.town, name="乙单位")],
                "categories": [services.suggestion_category_create(actor=None, town=world.town, name=n)
                               for n in ("交通出行", "农业农村")] + [None],
            },
            world.other_town.pk: {
                "town": world.other_town, "deputy": world.other_deputy, "supervisor": world.other_presidium_deputy,
                # a unit named like one of the first town: by_unit keeps them apart
                "units": [world.other_unit, make_unit(world.other_town, name="甲单位")],
                "categories": [services.suggestion_category_create(actor=None, town=world.other_town, name="交通出行"),
                               None],
            },
        }
        self.items: list[Suggestion] = []
        for i in range(items):
            self.walk(i)

    def day(self, after: dt.date, most: int = 25) -> dt.date:
        return after + dt.timedelta(days=self.rng.randint(0, most))

    def walk(self, i: int) -> None:
        rng = self.rng
        town = self.towns[rng.choice(list(self.towns))]
        on = D("2023-01-01") + dt.timedelta(days=rng.randint(0, 240))
        kind = rng.choice(["public", "deputy"])
        s = services.suggestion_register(
            actor=None, town=town["town"], kind=kind, title=f"随机{i}", category=rng.choice(town["categories"]),
            submitter_name="张三" if kind == "public" else "", lead_deputy=town["deputy"] if kind == "deputy" else None,
            on=on)
        self.items.append(s)
        for _step in range(rng.randint(0, 14)):
            s.refresh_from_db()
            if s.state in {State.CLOSED, State.DECLINED, State.WITHDRAWN, State.MERGED}:
                return
            if s.state == State.ASSIGNED and rng.random() < 0.2:
                action = Action.RETURN
            elif rng.random() < 0.6:  # mostly along the main path, else any move the workflow allows
                action = self.MAIN[State(s.state)]
            else:
                action = rng.choice([a for (state, a) in TABLE if state == s.state])
            on = self.day(on, 3 if action == Action.RETURN else 25)  # a return comes within 5 working days
            with contextlib.suppress(ApplicationError):  # a guard refused this step: the walk goes on
                self.step(s, action, on, town)

    def step(self, s: Suggestion, action: str, on: dt.date, town: dict[str, Any]) -> None:
        rng, sid = self.rng, s.pk
        if action == Action.ASSIGN:
            services.suggestion_assign(actor=None, suggestion_id=sid, lead_unit=rng.choice(town["units"]), on=on)
        elif action == Action.ACCEPT:
            services.suggestion_accept(actor=None, suggestion_id=sid, on=on)
        elif action == Action.RETURN:
            services.suggestion_return(actor=None, suggestion_id=sid, reason="不属于本单位", on=on)
        elif action == Action.REPLY:
            services.suggestion_reply(actor=None, suggestion_id=sid, reply_class=rng.choice("ABCD"), text="已办理",
                                      on=on)
        elif action == Action.EVALUATE:
            services.suggestion_evaluate(actor=None, suggestion_id=sid, on=on,
                                         result=rng.choice(["satisfied", "basically_satisfied", "dissatisfied"]))
        elif action == Action.CLOSE:
            services.suggestion_close(actor=None, suggestion_id=sid, on=on)
        elif action in {Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION}:
            assert s.deadline is not None
            ext = services.suggestion_request_extension(actor=None, suggestion_id=sid, reason="施工中", on=on,
                                                        new_deadline=s.deadline + dt.timedelta(days=rng.randint(5, 40)))
            services.suggestion_decide_extension(actor=None, extension_id=ext.pk, on=self.day(on, 10),
                                                 approve=action != Action.REFUSE_EXTENSION)
        elif action == Action.DECLINE:
            services.suggestion_decline(actor=None, suggestion_id=sid, reason="不予受理", on=on)
        elif action == Action.WITHDRAW:
            services.suggestion_withdraw(actor=None, suggestion_id=sid, reason="撤回", on=on)
        elif action == Action.MERGE:
            others = [o for o in self.items if o.town_id == s.town_id and o.pk != sid]
            if others:
                services.suggestion_merge(actor=None, suggestion_id=sid, into_id=rng.choice(others).pk, on=on)
        elif action == Action.SUPERVISE:
            services.suggestion_set_key_supervision(actor=None, suggestion_id=sid, supervisor=town["supervisor"],
                                                    on=on)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_timelines_at_every_as_of_date(world: World, seed: int) -> None:
    walk = Walk(world, seed, items=40)
    actions = set(Transition.objects.filter(suggestion__in=walk.items).values_list("action", flat=True))
    assert {Action.ASSIGN, Action.RETURN, Action.REHANDLE, Action.APPROVE_EXTENSION, Action.CLOSE} <= actions
    rebuilt = counted = 0
    for as_of in as_of_dates("2023-01-15", "2024-03-31", 11):
        for scope in scopes(world):
            for from_, to in (("2023-01-01", "2023-12-31"), ("2023-04-01", "2023-06-30")):
                r, c = compare(metrics.Period.make(D(from_), D(to), as_of), scope)
                rebuilt, counted = rebuilt + r, counted + c
    assert rebuilt and counted


# --- rows that disagree with their history --------------------------------------------------------


def _transition(s: Suggestion, action: str, on: str, to_state: str = State.ASSIGNED) -> None:
    Transition.objects.create(suggestion=s, action=action, from_state=State.ASSIGNED, to_state=to_state,
                              actor_label="系统", on=D(on), at=dt.datetime.fromisoformat(f"{on}T09:00+08:00"))


def _no_assignment_left(fx: Fixture, s: Suggestion) -> None:
    Transition.objects.filter(suggestion=s, action=Action.ASSIGN).delete()


DISAGREEING = {
    # a lead unit on the row, no assignment in the history
    "unit_without_history": lambda fx, s: _no_assignment_left(fx, s),
    # an assignment in the history, no lead unit on the row
    "history_without_unit": lambda fx, s: Suggestion.objects.filter(pk=s.pk).update(
        state=State.REGISTERED, lead_unit=None, assigned_at=None, deadline=None, original_deadline=None),
    # an extension approved, no assignment in the history, a lead unit on the row
    "extension_without_assignment": lambda fx, s: (_no_assignment_left(fx, s),
                                                   _transition(s, Action.APPROVE_EXTENSION, "2023-03-20")),
    # a withdrawal transition that did not withdraw: not an exit
    "exit_that_did_not_exit": lambda fx, s: _transition(s, Action.WITHDRAW, "2023-03-20"),
    # a re-handling dated before the assignment: not while assigned
    "rehandling_before_assignment": lambda fx, s: _transition(s, Action.REHANDLE, "2023-03-09", State.ACCEPTED),
    # an assignment dated after as-of that the row does not show
    "assignment_the_row_does_not_show": lambda fx, s: _transition(s, Action.ASSIGN, "2023-05-02"),
}


@pytest.mark.parametrize("case", list(DISAGREEING))
def test_rows_that_disagree_with_their_history_give_the_reference_numbers(world: World, case: str) -> None:
    """The services never write these, but the numbers stay those of the timeline, whether the item
    is rebuilt or everything is read again on the slow path. Beside it, ordinary items: closed on
    their deadline, overdue, not assigned."""
    fx = Fixture.__new__(Fixture)
    fx.w, fx.staff = world, world.users[Role.STAFF]
    unit_user = world.users[Role.UNIT]
    odd = fx.public("03-08")
    fx.assign(odd, "03-10", world.unit)
    fx.accept(odd, "03-11", unit_user)
    DISAGREEING[case](fx, odd)

    on_deadline = fx.public("03-01")
    fx.assign(on_deadline, "03-02", world.unit)
    fx.accept(on_deadline, "03-03", unit_user)
    fx.reply(on_deadline, "03-20", "A", unit_user)
    on_deadline.refresh_from_db()
    assert on_deadline.deadline is not None
    services.suggestion_close(actor=None, suggestion_id=on_deadline.pk, on=on_deadline.deadline)
    overdue = fx.public("03-05")
    fx.assign(overdue, "03-06", world.unit)
    fx.public("03-07")

    days = {*fact_dates(), *(d for d in Suggestion.objects.values_list("deadline", flat=True) if d)}
    for as_of in sorted(days | {d + dt.timedelta(days=1) for d in days}):
        for scope in scopes(world):
            compare(metrics.Period.make(D("2023-01-01"), D("2023-06-30"), as_of), scope)


def _reads(ctx: CaptureQueriesContext) -> int:
    """Statements that read data (not a savepoint or PostgreSQL's per-query settings)."""
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SET ", "SAVEPOINT", "RELEASE")))


def test_one_statement_whatever_the_number_of_items(world: World) -> None:
    """One query for the facts (one more, for the audit, when an assignment in force at as-of was
    cleared from its row by a later return)."""
    Walk(world, 3, items=30)
    period = metrics.Period.make(D("2023-01-01"), D("2023-12-31"), D("2024-06-30"))
    district, town = metrics.resolve_scope(None), metrics.resolve_scope(world.town.code)
    with CaptureQueriesContext(connection) as ctx:
        facts = metrics.suggestion_facts(period, district)
    assert _reads(ctx) == 1
    assert sum(g.received for g in facts.groups) > len(facts.items) > 0
    returned = services.suggestion_register(actor=None, town=world.town, kind="public", title="退回的",
                                            submitter_name="张三", on=D("2023-06-26"))
    services.suggestion_assign(actor=None, suggestion_id=returned.pk, lead_unit=world.unit, on=D("2023-06-28"))
    services.suggestion_return(actor=None, suggestion_id=returned.pk, reason="不属于本单位", on=D("2023-07-03"))
    early = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-06-30"))
    with CaptureQueriesContext(connection) as ctx:
        facts = metrics.suggestion_facts(early, town)
    assert _reads(ctx) == 2
    assert next(i for i in facts.items if i.pk == returned.pk).unit_key == (world.town.pk, world.unit.name)
