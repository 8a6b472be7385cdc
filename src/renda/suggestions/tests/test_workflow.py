"""Every (state, action) pair for every role, against an expectation written out here
independently of ``workflow.TABLE``. Pure: no database."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from renda.core.errors import IllegalTransition
from renda.suggestions import workflow
from renda.suggestions.workflow import Action, Role, State

#: state -> {action: next state}; every pair not listed is refused.
EXPECTED: dict[str, dict[str, str]] = {
    "registered": {"assign": "assigned", "decline": "declined", "merge": "merged", "withdraw": "withdrawn",
                   "supervise": "registered", "to_petition": "registered"},
    "assigned": {"accept": "accepted", "return": "registered", "co_opinion": "assigned", "remind": "assigned",
                 "supervise": "assigned", "merge": "merged", "withdraw": "withdrawn", "to_petition": "assigned"},
    "accepted": {"reply": "replied", "co_opinion": "accepted", "request_extension": "accepted",
                 "approve_extension": "accepted", "refuse_extension": "accepted", "remind": "accepted",
                 "supervise": "accepted", "merge": "merged", "withdraw": "withdrawn",
                 "close_dissatisfied": "closed", "to_petition": "accepted"},
    # answered: no withdrawal (#13: 撤回 was offered after the evaluation), no merge
    "replied": {"evaluate": "evaluated", "reply": "replied", "close": "closed", "remind": "replied",
                "supervise": "replied", "to_petition": "replied"},
    "evaluated": {"close": "closed", "rehandle": "accepted", "reply": "replied", "remind": "evaluated",
                  "supervise": "evaluated", "to_petition": "evaluated"},
    # closed: nothing at all (#13: 转为信访件 was offered on a closed item)
    "closed": {},
    "declined": {},
    "withdrawn": {},
    "merged": {},
}

OFFICE = {"staff", "admin"}
#: action -> roles that may take it.
WHO: dict[str, set[str]] = {
    "register": {"staff", "admin", "presidium", "deputy", "grid_worker", "public"},
    "assign": OFFICE, "close": OFFICE, "rehandle": OFFICE, "decline": OFFICE, "merge": OFFICE,
    "approve_extension": OFFICE, "refuse_extension": OFFICE,
    "remind": OFFICE | {"presidium"}, "supervise": OFFICE | {"presidium"},
    "close_dissatisfied": OFFICE | {"presidium"},
    "accept": {"unit"}, "return": {"unit"}, "reply": {"unit"}, "request_extension": {"unit"},
    "co_opinion": {"co_unit"},
    "evaluate": {"deputy", "public", "staff"},
    "withdraw": {"deputy"},
    "to_petition": {"staff"},
}


def test_expectation_covers_every_state_action_and_role() -> None:
    assert set(EXPECTED) == {s.value for s in State}
    assert set(WHO) == {a.value for a in Action}
    assert {r for roles in WHO.values() for r in roles} <= {r.value for r in Role}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_next_state(state: State, action: Action) -> None:
    expected = EXPECTED[state.value].get(action.value)
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            workflow.next_state(state, action)
        assert info.value.message == f"「{workflow.label(state)}」的事项不能「{workflow.label(action)}」"
        assert info.value.status == 409
    else:
        assert workflow.next_state(state, action) == State(expected)


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(State, Action, Role)))
def test_allowed_for_role(state: State, action: Action, role: Role) -> None:
    expected = action.value in EXPECTED[state.value] and role.value in WHO[action.value]
    assert workflow.is_allowed(state, action, role) is expected
    assert (action in workflow.allowed_actions(state, role)) is expected


def test_message_example() -> None:
    with pytest.raises(IllegalTransition, match="「已办结」的事项不能「交办」"):
        workflow.next_state("closed", "assign")


def test_terminal_states_allow_nothing() -> None:
    for state in workflow.TERMINAL:
        assert all(workflow.allowed_actions(state, role) == [] for role in Role)


def test_return_guard() -> None:
    limit = dt.date(2023, 10, 10)
    workflow.check_return(on=limit, limit=limit)
    with pytest.raises(IllegalTransition, match="已超过退回期限"):
        workflow.check_return(on=limit + dt.timedelta(days=1), limit=limit)


@pytest.mark.parametrize(("state", "last", "ok"), [
    ("accepted", None, True), ("replied", "B", True), ("replied", "C", True), ("evaluated", "B", True),
    ("replied", "A", False), ("replied", "D", False), ("evaluated", "A", False),
])
def test_reply_again_guard(state: str, last: str | None, ok: bool) -> None:
    if ok:
        workflow.check_reply_again(state=state, last_class=last)
    else:
        with pytest.raises(IllegalTransition, match="B 或 C"):
            workflow.check_reply_again(state=state, last_class=last)


def test_rehandle_and_key_supervision_guards() -> None:
    assert workflow.needs_rehandle("dissatisfied")
    assert not workflow.needs_rehandle("basically_satisfied")
    assert not workflow.key_supervision_due(rehandle_count=2, threshold=3)
    assert workflow.key_supervision_due(rehandle_count=3, threshold=3)
