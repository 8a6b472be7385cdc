"""Only the actions that make sense in the item's state are offered (#13 item 6): for every state
of the workflow (and the states after 不满意), for every role, the actions on the detail page are
exactly those the workflow table allows that role in that state, less what its guards rule out
(computed here from ``workflow.TABLE``, ``ROLES_FOR_ACTION`` and ``GUARDS``); 转为信访件 is one of
them. A posted action that is not offered is refused with the reason, and nothing changes.

The items (one per state and kind) are built once for the module, in the shared world; every test
reads them afresh and runs in its own savepoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from tests.support import World, assert_refused, from_the_table, offered_on_page

from renda.core.roles import Role
from renda.petitions.models import Petition
from renda.suggestions import policy, services, views, workflow
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import D, assigned, deputy_item, public_item, replied
from renda.suggestions.workflow import Action, State

pytestmark = pytest.mark.django_db

ROLES = [Role.STAFF, Role.PRESIDIUM, Role.ADMIN, Role.UNIT, Role.DEPUTY, Role.GRID_WORKER, Role.DISTRICT_VIEWER]


def _accepted(w: World, s: Suggestion) -> Suggestion:
    assigned(w, s)
    services.suggestion_accept(actor=w.users[Role.UNIT], suggestion_id=s.pk, on=D("2023-03-03"))
    return s


def _evaluate(w: World, s: Suggestion, result: str, on: str = "2023-03-12") -> Suggestion:
    who = w.users[Role.DEPUTY] if s.kind == "deputy" else w.users[Role.STAFF]
    services.suggestion_evaluate(actor=who, suggestion_id=s.pk, result=result, on=D(on))
    return s


def _dissatisfied_twice(w: World, s: Suggestion) -> Suggestion:
    _evaluate(w, replied(w, s, reply_class="D"), "dissatisfied")
    services.suggestion_reply(actor=w.users[Role.UNIT], suggestion_id=s.pk, reply_class="D", text="再次答复",
                              on=D("2023-04-01"))
    return _evaluate(w, s, "dissatisfied", "2023-04-05")


def _other(w: World) -> Suggestion:
    return public_item(w, title="另一件事项")


#: name → how to bring a fresh item there (every state of the table; the guarded variants too).
BUILDERS: dict[str, Callable[[World, Suggestion], Any]] = {
    "registered": lambda w, s: s,
    "assigned": lambda w, s: assigned(w, s),
    "accepted": _accepted,
    "accepted_extension_pending": lambda w, s: services.suggestion_request_extension(
        actor=w.users[Role.UNIT], suggestion_id=_accepted(w, s).pk, reason="需协调", days=10, on=D("2023-03-05")),
    "replied_a": lambda w, s: replied(w, s, reply_class="A"),
    "replied_b": lambda w, s: replied(w, s, reply_class="B"),
    "evaluated_a": lambda w, s: _evaluate(w, replied(w, s, reply_class="A"), "satisfied"),
    "evaluated_c": lambda w, s: _evaluate(w, replied(w, s, reply_class="C"), "basically_satisfied"),
    "rehandling_first": lambda w, s: _evaluate(w, replied(w, s, reply_class="D"), "dissatisfied"),
    "rehandling_again": _dissatisfied_twice,
    "closed": lambda w, s: services.suggestion_close(
        actor=w.users[Role.STAFF], suggestion_id=_evaluate(w, replied(w, s), "satisfied").pk, on=D("2023-03-20")),
    "closed_dissatisfied": lambda w, s: services.suggestion_close_dissatisfied(
        actor=w.users[Role.STAFF], suggestion_id=_dissatisfied_twice(w, s).pk, reason="仍不满意", on=D("2023-04-10")),
    "declined": lambda w, s: services.suggestion_decline(actor=w.users[Role.STAFF], suggestion_id=s.pk,
                                                         reason="属信访事项"),
    "withdrawn": lambda w, s: services.suggestion_withdraw(actor=None, suggestion_id=s.pk, on=D("2023-03-02")),
    "merged": lambda w, s: services.suggestion_merge(actor=w.users[Role.STAFF], suggestion_id=s.pk,
                                                     into_id=_other(w).pk, on=D("2023-03-02")),
}


def _make(world: World, name: str, kind: str) -> Suggestion:
    s = public_item(world) if kind == "public" else deputy_item(world)
    BUILDERS[name](world, s)
    s.refresh_from_db()
    return s


KINDS = ("public", "deputy")


@pytest.fixture(scope="module")
def _items(shared_world: World, django_db_blocker: Any) -> Iterator[dict[tuple[str, str], int]]:
    """Every state × kind, built once for the module (in the shared world's transaction)."""
    with django_db_blocker.unblock():
        yield {(name, kind): _make(shared_world, name, kind).pk for name in BUILDERS for kind in KINDS}


@pytest.fixture
def item(_items: dict[tuple[str, str], int]) -> Callable[[str, str], Suggestion]:
    return lambda name, kind: Suggestion.objects.get(pk=_items[(name, kind)])


def test_the_builders_reach_every_state(item: Callable[[str, str], Suggestion]) -> None:
    for kind in KINDS:
        assert {item(name, kind).state for name in BUILDERS} == {s.value for s in State}, kind


def expected(user: Any, s: Suggestion) -> set[Action]:
    """The actions the table allows ``user``'s parts in ``s``'s state, less those a guard rules out."""
    roles = policy.roles_on(user, s)
    facts = policy.facts(s)

    def may(action: Action) -> bool:
        if action == Action.EVALUATE and s.kind == "deputy" and workflow.Role.DEPUTY not in roles:
            return False  # only the deputy evaluates the answer to their own suggestion
        return bool(roles & workflow.ROLES_FOR_ACTION[action])

    return from_the_table(workflow.TABLE, s.state, may=may,
                          refusal=lambda action: workflow.refusal(s.state, action, facts))


def on_the_page(client: Client, s: Suggestion) -> set[Action]:
    page = client.get(f"/suggestions/{s.pk}/")
    assert page.status_code in {200, 404}
    if page.status_code == 404:
        return set()
    html = page.content.decode()
    offered = offered_on_page(html, Action)
    if "转为信访件</button>" in html:
        offered.add(Action.TO_PETITION)
    return offered


#: What the page shows: a form per action, the 转为信访件 button; re-handling happens by itself,
#: 不同意延期 is the other answer of the 审批延期申请 form.
ON_PAGE = set(views.ACTIONS) | {Action.TO_PETITION}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(BUILDERS))
def test_the_page_offers_what_the_table_allows(shared_world: World, item: Callable[[str, str], Suggestion],
                                               client: Client, name: str, kind: str) -> None:
    s = item(name, kind)
    for role in ROLES:
        user = shared_world.users[role]
        client.force_login(user)
        assert on_the_page(client, s) == expected(user, s) & ON_PAGE, (name, kind, role)
        assert set(policy.available_actions(user, s)) == expected(user, s), (name, kind, role)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_posted_action_that_is_not_offered_is_refused_with_the_reason(
        shared_world: World, item: Callable[[str, str], Suggestion], client: Client, name: str) -> None:
    s = item(name, "deputy" if name.startswith("registered") else "public")
    for role in (Role.STAFF, Role.UNIT, Role.DEPUTY):
        user = shared_world.users[role]
        client.force_login(user)
        for action in sorted(set(views.ACTIONS) - set(policy.available_actions(user, s))):
            reason = workflow.refusal(s.state, action, policy.facts(s))
            may = policy.can(user, action, s)
            assert reason is not None or not may, (name, role, action)  # the table or a guard says why
            assert_refused(client, f"/suggestions/{s.pk}/do/{action.value}/", {"version": s.version}, s, may=may,
                           status={409}, reason=reason, why=(name, role, action))


def test_the_reported_cases(shared_world: World, item: Callable[[str, str], Suggestion], client: Client) -> None:
    """Seen on main: 转为信访件 on a closed suggestion, 撤回 after the evaluation."""
    staff, deputy = shared_world.users[Role.STAFF], shared_world.users[Role.DEPUTY]
    closed = item("closed", "public")
    client.force_login(staff)
    assert "转为信访件" not in client.get(f"/suggestions/{closed.pk}/").content.decode()
    r = client.post(f"/petitions/from-suggestion/{closed.pk}/", {"channel": "visit"}, follow=True)
    assert "「已办结」的事项不能「转为信访件」" in r.content.decode()
    assert not Petition.objects.filter(suggestion=closed).exists()
    evaluated = item("evaluated_a", "deputy")
    client.force_login(deputy)
    page = client.get(f"/suggestions/{evaluated.pk}/").content.decode()
    assert 'id="action-withdraw"' not in page
    r = client.post(f"/suggestions/{evaluated.pk}/do/withdraw/", {"withdraw-version": evaluated.version,
                                                                  "withdraw-confirm": "on"})
    assert r.status_code == 409 and "「已测评」的事项不能「撤回」" in r.content.decode()
    # still open and not yet answered: both are offered
    open_item = item("accepted", "public")
    client.force_login(staff)
    assert "转为信访件</button>" in client.get(f"/suggestions/{open_item.pk}/").content.decode()
    rehandling = item("rehandling_first", "deputy")
    client.force_login(deputy)
    assert 'id="action-withdraw"' not in client.get(f"/suggestions/{rehandling.pk}/").content.decode()
