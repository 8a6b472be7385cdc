"""The petition state machine, every state × action × role, against a table written out here."""

from __future__ import annotations

import pytest

from renda.core.errors import IllegalTransition
from renda.petitions import workflow
from renda.petitions.workflow import Action, Role, State

S, A, R = State, Action, Role
SIDE = {A.ROUTE, A.INSTRUCT, A.TO_SUGGESTION}

#: The legal flow of 信访工作条例 (2022), written independently of workflow.TABLE.
FLOW = {
    (S.REGISTERED, A.ACCEPT): S.HANDLING,
    (S.REGISTERED, A.DECLINE): S.DECLINED,
    (S.HANDLING, A.EXTEND): S.HANDLING,
    (S.HANDLING, A.ISSUE_OPINION): S.CLOSED,
    (S.CLOSED, A.REQUEST_REVIEW): S.REVIEW,
    (S.REVIEW, A.ANSWER_REVIEW): S.REVIEWED,
    (S.REVIEWED, A.REQUEST_REREVIEW): S.REREVIEW,
    (S.REREVIEW, A.ANSWER_REREVIEW): S.FINAL,
}
WHO = {
    A.REGISTER: {R.STAFF, R.PRESIDIUM, R.GRID_WORKER},
    A.INSTRUCT: {R.INSTRUCTOR},
}


def expected_next(state: State, action: Action) -> State | None:
    if action in SIDE:
        return state
    return FLOW.get((state, action))


def expected_roles(action: Action) -> set[Role]:
    return WHO.get(action, {R.STAFF})


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", [a for a in Action if a != A.REGISTER])
@pytest.mark.parametrize("role", list(Role))
def test_every_state_action_role(state: State, action: Action, role: Role) -> None:
    nxt = expected_next(state, action)
    if nxt is None:
        with pytest.raises(IllegalTransition):
            workflow.next_state(state, action)
        assert not workflow.is_allowed(state, action, role)
    else:
        assert workflow.next_state(state, action) == nxt
        assert workflow.is_allowed(state, action, role) == (role in expected_roles(action))


def test_register_has_no_from_state_and_starts_registered() -> None:
    assert workflow.INITIAL == S.REGISTERED
    assert not any(a == A.REGISTER for _s, a in workflow.TABLE)
    assert set(workflow.ROLES_FOR_ACTION[A.REGISTER]) == expected_roles(A.REGISTER)


def test_open_and_terminal_sets() -> None:
    assert {S.REGISTERED, S.HANDLING, S.REVIEW, S.REREVIEW} == workflow.OPEN
    assert {S.FINAL, S.DECLINED} == workflow.TERMINAL
    # Nothing but the side actions happens to a final or declined petition.
    for state in workflow.TERMINAL:
        assert {a for (s, a) in workflow.TABLE if s == state} == SIDE


def test_labels_cover_everything() -> None:
    assert set(workflow.STATE_LABELS) == set(State)
    assert set(workflow.ACTION_LABELS) == set(Action)
    assert set(workflow.ROLES_FOR_ACTION) == set(Action)


def test_guards() -> None:
    import datetime as dt

    from renda.core.errors import InvalidInput

    workflow.check_extension(already_extended=False, days=30, max_days=30)
    with pytest.raises(IllegalTransition):
        workflow.check_extension(already_extended=True, days=10, max_days=30)
    with pytest.raises(InvalidInput):
        workflow.check_extension(already_extended=False, days=31, max_days=30)
    with pytest.raises(InvalidInput):
        workflow.check_extension(already_extended=False, days=0, max_days=30)
    workflow.check_request_in_time(on=dt.date(2023, 3, 31), last_day=dt.date(2023, 3, 31), what="复查")
    with pytest.raises(IllegalTransition):
        workflow.check_request_in_time(on=dt.date(2023, 4, 1), last_day=dt.date(2023, 3, 31), what="复查")
    workflow.check_not_final(final_code=None, final_on=None)
    with pytest.raises(IllegalTransition, match="信访工作条例"):
        workflow.check_not_final(final_code="XF2023-001", final_on=dt.date(2023, 5, 8))
