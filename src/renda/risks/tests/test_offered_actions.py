"""Only the actions that make sense in the risk's state are offered (#13 item 6): for every state
(and a risk taken back after escalation), for every role, the detail page offers exactly the
actions the workflow table allows the user's parts in that state (computed here from
``workflow.TABLE`` and ``ROLES_FOR_ACTION``): the action forms, 移除 beside each participant and
查看个人信息. Posting an action it does not offer is refused with the table's reason, and nothing
changes.

The risks are built once for the module, in the shared world; every test reads them afresh and
runs in its own savepoint."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from tests.support import World, assert_refused, from_the_table, offered_on_page

from renda.core.roles import Role
from renda.risks import policy, services, views, workflow
from renda.risks.models import Risk
from renda.risks.tests.helpers import D, make_risk
from renda.risks.workflow import Action, State

pytestmark = pytest.mark.django_db


def _staff(w: World) -> Any:
    return w.users[Role.STAFF]


def _started(w: World, r: Risk) -> Risk:
    return services.risk_start(actor=_staff(w), risk_id=r.pk, on=D("2023-03-02"))


def _escalated(w: World, r: Risk) -> Risk:
    return services.risk_escalate(actor=_staff(w), risk_id=r.pk, to="镇党委", reason="涉及多个部门", on=D("2023-03-03"))


#: name → how to bring a fresh risk there (every state of the table; back from escalation too).
BUILDERS: dict[str, Callable[[World, Risk], Any]] = {
    "registered": lambda w, r: r,
    "resolving": _started,
    "escalated": lambda w, r: _escalated(w, _started(w, r)),
    "escalated_at_once": _escalated,
    "reopened": lambda w, r: services.risk_reopen(actor=_staff(w), risk_id=_escalated(w, r).pk, reason="退回本镇化解",
                                                  on=D("2023-03-04")),
    "resolved": lambda w, r: services.risk_resolve(actor=_staff(w), risk_id=_started(w, r).pk,
                                                   resolved_on=D("2023-03-05")),
    "resolved_on_the_spot": lambda w, r: services.risk_resolve(actor=_staff(w), risk_id=r.pk,
                                                               resolved_on=D("2023-03-01")),
}


@pytest.fixture(scope="module")
def _risks(shared_world: World, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        out = {}
        for name, build in BUILDERS.items():
            r = make_risk(shared_world)
            build(shared_world, r)
            out[name] = r.pk
        yield out


@pytest.fixture
def risk(_risks: dict[str, int]) -> Callable[[str], Risk]:
    return lambda name: Risk.objects.get(pk=_risks[name])


def test_the_builders_reach_every_state(risk: Callable[[str], Risk]) -> None:
    assert {risk(name).state for name in BUILDERS} == {s.value for s in State}


def test_what_the_office_and_a_participant_see(shared_world: World, risk: Callable[[str], Risk],
                                               client: Client) -> None:
    """The matrix below, in a few words: the office does everything while the risk is open and
    only reads its people once it is resolved; a participant works on it but never reveals."""
    client.force_login(shared_world.users[Role.STAFF])
    assert on_the_page(client, risk("registered")) == {Action.START, Action.RESOLVE, Action.ESCALATE, Action.LOG_STEP,
                                                       Action.ASSIGN, Action.UNASSIGN, Action.REVEAL}
    assert on_the_page(client, risk("escalated")) == {Action.REOPEN, Action.LOG_STEP, Action.ASSIGN, Action.UNASSIGN,
                                                      Action.REVEAL}
    assert on_the_page(client, risk("resolved")) == {Action.REVEAL}
    client.force_login(shared_world.users[Role.DEPUTY])
    assert on_the_page(client, risk("resolving")) == {Action.RESOLVE, Action.LOG_STEP}
    assert on_the_page(client, risk("resolved")) == set()


def users(w: World) -> list[Any]:
    """Every role (the deputy and the grid worker take part in each risk and it lies in their
    grid), a deputy who has nothing to do with it, and another town's staff."""
    return [*(w.users[r] for r in Role), w.extra_user, w.other_staff]


def expected(user: Any, r: Risk) -> set[Action]:
    roles = policy.roles_on(user, r)
    return from_the_table(workflow.TABLE, r.state, may=lambda a: bool(roles & workflow.ROLES_FOR_ACTION[a]))


def on_the_page(client: Client, r: Risk) -> set[Action]:
    page = client.get(f"/risks/{r.pk}/")
    assert page.status_code in {200, 404}
    if page.status_code == 404:
        return set()
    html = page.content.decode()
    offered = offered_on_page(html, Action)
    if re.search(rf"/risks/{r.pk}/participants/\d+/remove/", html):
        offered.add(Action.UNASSIGN)
    if 'id="reveal-form"' in html:
        offered.add(Action.REVEAL)
    return offered


@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_page_offers_what_the_table_allows(shared_world: World, risk: Callable[[str], Risk], client: Client,
                                               name: str) -> None:
    r = risk(name)
    for user in users(shared_world):
        client.force_login(user)
        assert on_the_page(client, r) == expected(user, r), (name, user.username)
        assert set(policy.available_actions(user, r)) == expected(user, r), (name, user.username)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_posted_action_that_is_not_offered_is_refused_with_the_reason(
        shared_world: World, risk: Callable[[str], Risk], client: Client, name: str) -> None:
    r = risk(name)
    participant = r.participants.order_by("id").first()
    assert participant is not None
    for user in users(shared_world):
        client.force_login(user)
        offered = set(policy.available_actions(user, r))
        for action in sorted(set(views.ACTIONS) - offered):
            may = policy.can(user, action, r)
            reason = workflow.refusal_for(r.state, action)
            assert reason is not None or not may, (name, user.username, action)
            assert_refused(client, f"/risks/{r.pk}/do/{action.value}/", {"state": r.state}, r, may=may,
                           status={400}, reason=reason, why=(name, user.username, action))
        if Action.UNASSIGN not in offered:
            assert_refused(client, f"/risks/{r.pk}/participants/{participant.pk}/remove/", {}, participant,
                           may=policy.can(user, Action.UNASSIGN, r), status={302},
                           reason=workflow.refusal_for(r.state, Action.UNASSIGN), why=(name, user.username))
