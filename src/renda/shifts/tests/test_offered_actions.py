"""Only the actions that make sense for a person on a shift are offered (#13 item 6): for every
state of the assignment table (and the guarded cases: a shift still to come, a person already
replaced), for every role, each person's row on the shift page offers exactly the actions the
workflow table has for the row's state, less what its guards rule out, to those who may change the
roster. Posting an action the row does not offer is refused with the reason, and nothing changes.

The shifts are built once for the module, in the shared world; every test reads them afresh and
runs in its own savepoint."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.support import World, assert_refused, from_the_table, make_deputy, offered_on_page

from renda.core.roles import Role
from renda.shifts import policy, services, workflow
from renda.shifts.models import DutyAssignment, DutyShift
from renda.shifts.tests.helpers import shift
from renda.shifts.workflow import Action, State

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AHEAD = TODAY + dt.timedelta(days=7)
ROLES = list(Role)


_days = itertools.count(10)


def _past(w: World) -> DutyAssignment:
    """One person on a shift of a day gone by (one shift a day)."""
    on = TODAY - dt.timedelta(days=next(_days))
    return shift(w, on=on, deputies=[make_deputy(w.town)]).assignments.get()


def _record(w: World, a: DutyAssignment, state: str) -> DutyAssignment:
    services.assignment_record(actor=w.users[Role.STAFF], assignment_id=a.pk, state=state)
    return a


def _swapped(w: World, a: DutyAssignment, *, replacement: Any = "new") -> DutyAssignment:
    """A swapped out: a replacement takes their place (or someone outside the roster: None)."""
    if replacement == "new":
        replacement = make_deputy(w.town)
    services.assignment_swap(actor=w.users[Role.STAFF], assignment_id=a.pk, replacement=replacement)
    return a


def _replacement(w: World, a: DutyAssignment) -> DutyAssignment:
    new = services.assignment_swap(actor=w.users[Role.STAFF], assignment_id=a.pk, replacement=make_deputy(w.town))
    assert new is not None
    return new


def _corrected(w: World, a: DutyAssignment) -> DutyAssignment:
    return _record(w, _record(w, _record(w, a, State.ATTENDED), State.SCHEDULED), State.ABSENT)


#: name → how to bring a person's row there (every state of the table; the guarded cases too).
BUILDERS: dict[str, Callable[[World], DutyAssignment]] = {
    "scheduled": lambda w: _past(w),
    "scheduled_ahead": lambda w: shift(w, on=AHEAD, deputies=[make_deputy(w.town)]).assignments.get(),
    "replacement": lambda w: _replacement(w, _past(w)),
    "attended": lambda w: _record(w, _past(w), State.ATTENDED),
    "absent": lambda w: _record(w, _past(w), State.ABSENT),
    "absent_after_correction": lambda w: _corrected(w, _past(w)),
    "swapped": lambda w: _swapped(w, _past(w)),
    "swapped_out_alone": lambda w: _swapped(w, _past(w), replacement=None),
}


@pytest.fixture(scope="module")
def _rows(shared_world: World, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        yield {name: build(shared_world).pk for name, build in BUILDERS.items()}


@pytest.fixture
def row(_rows: dict[str, int]) -> Callable[[str], DutyAssignment]:
    return lambda name: DutyAssignment.objects.select_related("shift", "deputy").get(pk=_rows[name])


def test_the_builders_reach_every_state(row: Callable[[str], DutyAssignment]) -> None:
    assert {row(name).state for name in BUILDERS} == {s.value for s in State}
    assert row("scheduled_ahead").shift.date > TODAY
    assert DutyAssignment.objects.filter(replaces=row("swapped")).exists()
    assert not DutyAssignment.objects.filter(replaces=row("swapped_out_alone")).exists()


def expected(world: World, user: Any, a: DutyAssignment) -> set[Action]:
    """From the table: the actions of the row's state, for the office staff of its town (the only
    ones who change a roster), less what the guards rule out."""
    facts = workflow.Facts(shift_date=a.shift.date, today=TODAY,
                           replaced=DutyAssignment.objects.filter(replaces=a).exists())
    return from_the_table(workflow.TABLE, a.state,
                          may=lambda _a: user.role == Role.STAFF and user.town_id == a.shift.town_id,
                          refusal=lambda action: workflow.refusal(a.state, action, facts))


def on_the_page(client: Client, a: DutyAssignment) -> set[Action]:
    page = client.get(f"/shifts/{a.shift_id}/")
    assert page.status_code in {200, 404}
    return offered_on_page(page.content.decode(), Action, row=a.pk) if page.status_code == 200 else set()


@pytest.mark.parametrize("name", list(BUILDERS))
def test_each_row_offers_what_the_table_allows(shared_world: World, row: Callable[[str], DutyAssignment],
                                               client: Client, name: str) -> None:
    a = row(name)
    for user in [*(shared_world.users[r] for r in ROLES), shared_world.other_staff]:
        client.force_login(user)
        assert on_the_page(client, a) == expected(shared_world, user, a), (name, user.role)
        assert set(policy.available_actions(user, a)) == expected(shared_world, user, a), (name, user.role)


def test_the_guards_show(shared_world: World, row: Callable[[str], DutyAssignment], client: Client) -> None:
    """A shift still to come offers no attendance; a replaced person cannot be removed; a swapped
    person is offered nothing; a corrected row offers the other attendance states again."""
    client.force_login(shared_world.users[Role.STAFF])
    assert on_the_page(client, row("scheduled_ahead")) == {Action.SWAP, Action.EXCHANGE, Action.REMOVE}
    assert on_the_page(client, row("scheduled")) == {Action.ATTEND, Action.ABSENT, Action.SWAP, Action.EXCHANGE,
                                                     Action.REMOVE}
    assert on_the_page(client, row("swapped")) == set()
    assert on_the_page(client, row("absent_after_correction")) == {Action.ATTEND, Action.RESET}
    page = client.get(f"/shifts/{row('scheduled_ahead').shift_id}/").content.decode()
    assert "登记当天考勤" not in page  # nor for the whole day, before it comes
    # 删除班次 only while every row is still a plan (the service's rule: workflow.check_shift_deletable)
    assert "删除班次" in client.get(f"/shifts/{row('scheduled').shift_id}/").content.decode()
    for name in ("attended", "swapped", "replacement"):
        assert "删除班次" not in client.get(f"/shifts/{row(name).shift_id}/").content.decode(), name


def _post(a: DutyAssignment, action: Action, world: World) -> tuple[str, dict[str, Any]]:
    """Where and what the page would post for ``action`` on row ``a``."""
    attendance = {Action.ATTEND: State.ATTENDED, Action.ABSENT: State.ABSENT, Action.RESET: State.SCHEDULED}
    if action in attendance:
        return f"/shifts/assignments/{a.pk}/attendance/", {"state": attendance[action].value}
    if action == Action.REMOVE:
        return f"/shifts/assignments/{a.pk}/remove/", {}
    if action == Action.SWAP:
        return f"/shifts/assignments/{a.pk}/swap/", {"replacement": world.plain_deputy.pk}
    other = DutyAssignment.objects.filter(shift__town=a.shift.town, state=State.SCHEDULED).exclude(
        shift=a.shift).order_by("id").first()
    assert other is not None
    return f"/shifts/assignments/{a.pk}/exchange/", {"other": other.pk}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_posted_action_that_is_not_offered_is_refused_with_the_reason(
        shared_world: World, row: Callable[[str], DutyAssignment], client: Client, name: str) -> None:
    a = row(name)
    people = DutyAssignment.objects.filter(shift=a.shift_id).count()
    for role in (Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.UNIT):
        user = shared_world.users[role]
        client.force_login(user)
        for action in sorted(set(Action) - set(policy.available_actions(user, a))):
            may = policy.can(user, "change", a)
            reason = workflow.refusal(a.state, action, policy.facts(a))
            assert reason is not None or not may, (name, role, action)  # the table or a guard says why
            url, data = _post(a, action, shared_world)
            assert_refused(client, url, data, a, may=may, status={302}, reason=reason, why=(name, role, action))
    assert DutyAssignment.objects.filter(shift=a.shift_id).count() == people
    assert DutyShift.objects.filter(pk=a.shift_id).exists()


def test_the_form_of_an_action_not_offered_is_not_shown(shared_world: World, row: Callable[[str], DutyAssignment],
                                                        client: Client) -> None:
    """调班 and 互换 of a row already swapped: back to the shift, with the reason."""
    client.force_login(shared_world.users[Role.STAFF])
    a = row("swapped")
    for what, label in (("swap", "调班"), ("exchange", "互换班次")):
        r = client.get(f"/shifts/assignments/{a.pk}/{what}/", follow=True)
        assert r.redirect_chain == [(f"/shifts/{a.shift_id}/", 302)]
        assert f"「已调换」的值班安排不能「{label}」" in r.content.decode()
