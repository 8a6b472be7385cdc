"""The duties workflow tables, exhaustively: every state × action × role, for activities and for
reports to voters; the tally guard at its edges."""

from __future__ import annotations

import itertools

import pytest

from renda.core.errors import IllegalTransition, InvalidInput
from renda.duties import workflow
from renda.duties.workflow import Action, ReportAction, ReportRole, ReportState, Role, State

S, A, R = State, Action, Role
MANAGERS = {R.OFFICE, R.ADMIN}
MOVES = {(S.PLANNED, A.HOLD): S.HELD, (S.PLANNED, A.CANCEL): S.CANCELLED, (S.HELD, A.ARCHIVE): S.ARCHIVED}
STAYS = {A.SIGN_IN, A.ATTENDANCE, A.ATTACH, A.FINDING}
ROLES = {A.PLAN: MANAGERS, A.HOLD: MANAGERS, A.ARCHIVE: MANAGERS, A.CANCEL: MANAGERS, A.SIGN_IN: {R.PARTICIPANT},
         A.ATTENDANCE: MANAGERS, A.ATTACH: MANAGERS | {R.PARTICIPANT}, A.FINDING: MANAGERS | {R.PARTICIPANT}}


def expected_next(state: State, action: Action) -> State | None:
    if (state, action) in MOVES:
        return MOVES[(state, action)]
    if action in STAYS and state in (S.PLANNED, S.HELD):
        return state
    return None


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(State, Action, Role)))
def test_every_activity_state_action_role(state: State, action: Action, role: Role) -> None:
    nxt = expected_next(state, action)
    if nxt is None:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_state(state, action)
        assert workflow.label(state) in exc.value.message and workflow.label(action) in exc.value.message
        assert not workflow.is_allowed(state, action, role)
    else:
        assert workflow.next_state(state, action) == nxt
        assert workflow.is_allowed(state, action, role) == (role in ROLES[action])


RS, RA, RR = ReportState, ReportAction, ReportRole
REPORT_MOVES = {(RS.DRAFTING, RA.EDIT): RS.DRAFTING, (RS.DRAFTING, RA.SUBMIT): RS.SUBMITTED,
                (RS.SUBMITTED, RA.RETURN): RS.DRAFTING, (RS.SUBMITTED, RA.RATE): RS.RATED,
                (RS.RATED, RA.FEEDBACK): RS.RATED, (RS.RATED, RA.FILE): RS.FILED}
OFFICE = {RR.OFFICE, RR.ADMIN}
REPORT_ROLES = {RA.DRAFT: OFFICE | {RR.AUTHOR}, RA.EDIT: OFFICE | {RR.AUTHOR}, RA.SUBMIT: OFFICE | {RR.AUTHOR},
                RA.RETURN: OFFICE, RA.RATE: OFFICE, RA.FEEDBACK: OFFICE, RA.FILE: OFFICE}


@pytest.mark.parametrize(("state", "action", "role"),
                         list(itertools.product(ReportState, ReportAction, ReportRole)))
def test_every_report_state_action_role(state: ReportState, action: ReportAction, role: ReportRole) -> None:
    nxt = REPORT_MOVES.get((state, action))
    if nxt is None:
        with pytest.raises(IllegalTransition):
            workflow.report_next_state(state, action)
        assert not workflow.report_is_allowed(state, action, role)
    else:
        assert workflow.report_next_state(state, action) == nxt
        assert workflow.report_is_allowed(state, action, role) == (role in REPORT_ROLES[action])


def test_filed_and_archived_are_final_and_readers_never_act() -> None:
    for role in Role:
        assert workflow.allowed_actions(S.ARCHIVED, role) == []
        assert workflow.allowed_actions(S.CANCELLED, role) == []
    for state in State:
        assert workflow.allowed_actions(state, R.READER) == []
        assert workflow.allowed_actions(state, R.DEPUTY) == []
    for rr in ReportRole:
        assert workflow.report_allowed_actions(RS.FILED, rr) == []


def test_messages_are_chinese() -> None:
    with pytest.raises(IllegalTransition, match="「已归档」的活动不能「确认已开展」"):
        workflow.next_state(S.ARCHIVED, A.HOLD)
    with pytest.raises(IllegalTransition, match="「起草中」的述职报告不能「登记述职会议与测评结果」"):
        workflow.report_next_state(RS.DRAFTING, RA.RATE)


def tally(present: int | None, a: int = 30, b: int = 15, c: int = 5, minimum: int = 50) -> int:
    return workflow.check_tally(present=present, minimum=minimum, satisfied=a, basically=b, dissatisfied=c)


def test_the_minimum_present_at_its_edge() -> None:
    assert tally(50) == 50
    with pytest.raises(InvalidInput, match="到会人数不足 50 人"):
        tally(49, 30, 14, 5)
    with pytest.raises(InvalidInput, match="到会人数不足"):
        tally(None)


def test_the_ratings_may_not_exceed_those_present() -> None:
    assert tally(60, 30, 20, 10) == 60
    with pytest.raises(InvalidInput, match="测评票数合计 61 超过到会人数 60"):
        tally(60, 30, 20, 11)
    with pytest.raises(InvalidInput, match="不能为负数"):
        tally(60, -1, 20, 10)
    with pytest.raises(InvalidInput, match="请填写测评票数"):
        tally(60, 0, 0, 0)
