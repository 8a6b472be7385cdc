"""The project and candidate workflow tables, exhaustively: every state × action × role."""

from __future__ import annotations

import itertools

import pytest

from renda.core.errors import IllegalTransition
from renda.projects import workflow
from renda.projects.workflow import (
    Action,
    CandidateAction,
    CandidateState,
    Role,
    State,
)

S, A, R = State, Action, Role
OFFICE = {R.STAFF, R.PRESIDIUM}
MOVES = {
    (S.ADOPTED, A.START): S.IMPLEMENTING,
    (S.IMPLEMENTING, A.COMPLETE): S.COMPLETED,
    (S.COMPLETED, A.EVALUATE): S.EVALUATED,
    (S.COMPLETED, A.EVALUATE_FAIL): S.RECTIFYING,
    (S.RECTIFYING, A.RECTIFY): S.RECTIFIED,
    (S.RECTIFIED, A.EVALUATE): S.EVALUATED,
    (S.RECTIFIED, A.EVALUATE_FAIL): S.RECTIFYING,
}
ALL = set(State)
STAYS = {
    A.PLAN: {S.ADOPTED, S.IMPLEMENTING},
    A.STAGE: {S.ADOPTED, S.IMPLEMENTING, S.RECTIFYING},
    A.MONEY: ALL - set(),
    A.REPORT_PROGRESS: {S.ADOPTED, S.IMPLEMENTING, S.RECTIFYING},
    A.INSPECT: ALL - {S.EVALUATED},
    A.NOTE: ALL,
}
ROLES = {
    A.ADOPT: OFFICE,
    A.PLAN: OFFICE,
    A.START: OFFICE | {R.LEAD_UNIT},
    A.STAGE: OFFICE | {R.LEAD_UNIT},
    A.MONEY: OFFICE | {R.LEAD_UNIT},
    A.REPORT_PROGRESS: OFFICE | {R.LEAD_UNIT},
    A.INSPECT: OFFICE | {R.SUPERVISOR},
    A.NOTE: OFFICE | {R.SUPERVISOR},
    A.COMPLETE: OFFICE | {R.LEAD_UNIT},
    A.EVALUATE: OFFICE,
    A.EVALUATE_FAIL: OFFICE,
    A.RECTIFY: OFFICE | {R.LEAD_UNIT},
}


def expected(state: State, action: Action) -> State | None:
    if (state, action) in MOVES:
        return MOVES[(state, action)]
    if state in STAYS.get(action, set()):
        return state
    return None


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(State, Action, Role)))
def test_every_state_action_role(state: State, action: Action, role: Role) -> None:
    nxt = expected(state, action)
    if nxt is None:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_state(state, action)
        assert workflow.label(state) in exc.value.message and workflow.label(action) in exc.value.message
        assert not workflow.is_allowed(state, action, role)
    else:
        assert workflow.next_state(state, action) == nxt
        assert workflow.is_allowed(state, action, role) == (role in ROLES[action])


def test_readers_never_act() -> None:
    for state in State:
        for role in (R.DEPUTY, R.DISTRICT_VIEWER, R.ADMIN):
            assert workflow.allowed_actions(state, role) == []


def test_messages_are_chinese() -> None:
    with pytest.raises(IllegalTransition, match="「已票决」的民生实事项目不能「完成报告」"):
        workflow.next_state(S.ADOPTED, A.COMPLETE)


CS, CA = CandidateState, CandidateAction
CANDIDATE_MOVES = {
    (CS.COLLECTED, CA.SCREEN): CS.SCREENED, (CS.COLLECTED, CA.REJECT): CS.REJECTED,
    (CS.SCREENED, CA.SCREEN): CS.SCREENED, (CS.SCREENED, CA.REJECT): CS.REJECTED,
    (CS.SCREENED, CA.LIST): CS.LISTED, (CS.LISTED, CA.UNLIST): CS.SCREENED,
    (CS.LISTED, CA.ADOPT): CS.ADOPTED, (CS.LISTED, CA.NOT_ADOPT): CS.NOT_ADOPTED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(CandidateState, CandidateAction)))
def test_every_candidate_state_action(state: CandidateState, action: CandidateAction) -> None:
    nxt = CANDIDATE_MOVES.get((state, action))
    if nxt is None:
        with pytest.raises(IllegalTransition, match="候选项目不能"):
            workflow.candidate_next(state, action)
    else:
        assert workflow.candidate_next(state, action) == nxt
