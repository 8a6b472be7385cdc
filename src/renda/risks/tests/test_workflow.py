"""The risk workflow table, exhaustively: every state × action × role."""

from __future__ import annotations

import itertools

import pytest

from renda.core.errors import IllegalTransition
from renda.risks import workflow
from renda.risks.workflow import Action, Role, State

S, A, R = State, Action, Role
OFFICE = {R.STAFF, R.PRESIDIUM}
STATE_MOVES = {
    (S.REGISTERED, A.START): S.RESOLVING,
    (S.REGISTERED, A.RESOLVE): S.RESOLVED,
    (S.REGISTERED, A.ESCALATE): S.ESCALATED,
    (S.RESOLVING, A.RESOLVE): S.RESOLVED,
    (S.RESOLVING, A.ESCALATE): S.ESCALATED,
    (S.ESCALATED, A.REOPEN): S.RESOLVING,
}
STAYS = {A.LOG_STEP, A.ASSIGN, A.UNASSIGN, A.REVEAL}
EXPECTED_ROLES = {
    A.REGISTER: OFFICE | {R.GRID_DEPUTY, R.GRID_WORKER},
    A.START: OFFICE | {R.PARTICIPANT},
    A.RESOLVE: OFFICE | {R.PARTICIPANT},
    A.ESCALATE: OFFICE,
    A.REOPEN: OFFICE,
    A.LOG_STEP: OFFICE | {R.PARTICIPANT},
    A.ASSIGN: OFFICE,
    A.UNASSIGN: OFFICE,
    A.REVEAL: OFFICE,
}


def expected_next(state: State, action: Action) -> State | None:
    if (state, action) in STATE_MOVES:
        return STATE_MOVES[(state, action)]
    if action in STAYS and (state != S.RESOLVED or action == A.REVEAL):
        return state
    return None


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(State, Action, Role)))
def test_every_state_action_role(state: State, action: Action, role: Role) -> None:
    nxt = expected_next(state, action)
    if nxt is None:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_state(state, action)
        assert workflow.label(state) in exc.value.message and workflow.label(action) in exc.value.message
        assert not workflow.is_allowed(state, action, role)
    else:
        assert workflow.next_state(state, action) == nxt
        assert workflow.is_allowed(state, action, role) == (role in EXPECTED_ROLES[action])


def test_resolved_is_final_and_escalated_is_open() -> None:
    assert workflow.allowed_actions(S.RESOLVED, R.STAFF) == [A.REVEAL]
    assert S.ESCALATED in workflow.OPEN and S.RESOLVED not in workflow.OPEN
    assert workflow.allowed_actions(S.ESCALATED, R.PARTICIPANT) == [A.LOG_STEP]


def test_readers_never_act() -> None:
    for state in State:
        for role in (R.DISTRICT_VIEWER, R.ADMIN, R.UNIT):
            assert workflow.allowed_actions(state, role) == []


def test_messages_are_chinese() -> None:
    with pytest.raises(IllegalTransition, match="「已化解」的隐患不能「上报」"):
        workflow.next_state(S.RESOLVED, A.ESCALATE)
