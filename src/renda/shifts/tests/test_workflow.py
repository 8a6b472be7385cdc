"""The assignment state table, exhaustively: every (state, action) pair is either in the
table with its next state or refused with a coded error; guards."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.core.errors import IllegalTransition, InvalidInput
from renda.shifts import workflow
from renda.shifts.models import AssignmentState
from renda.shifts.workflow import Action, State

EXPECTED = {
    (State.SCHEDULED, Action.ATTEND): State.ATTENDED,
    (State.SCHEDULED, Action.ABSENT): State.ABSENT,
    (State.SCHEDULED, Action.SWAP): State.SWAPPED,
    (State.SCHEDULED, Action.EXCHANGE): State.SWAPPED,
    (State.SCHEDULED, Action.REMOVE): State.SCHEDULED,  # the row is deleted
    (State.ATTENDED, Action.ABSENT): State.ABSENT,
    (State.ATTENDED, Action.RESET): State.SCHEDULED,
    (State.ABSENT, Action.ATTEND): State.ATTENDED,
    (State.ABSENT, Action.RESET): State.SCHEDULED,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair(state: State, action: Action) -> None:
    if (state, action) in EXPECTED:
        assert workflow.next_state(state, action) == EXPECTED[(state, action)]
        assert action in workflow.allowed_actions(state)
    else:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_state(state, action)
        assert exc.value.code == "illegal_transition" and exc.value.status == 409
        assert workflow.label(state) in exc.value.message
        assert action not in workflow.allowed_actions(state)


def test_table_is_exactly_the_expected_one_and_swapped_is_final() -> None:
    assert workflow.TABLE == EXPECTED
    assert workflow.allowed_actions(State.SWAPPED) == []


def test_statuses_match_the_model_choices() -> None:
    assert {s.value for s in State} == set(AssignmentState.values)
    assert {str(workflow.STATE_LABELS[s]) for s in State} == {str(lbl) for lbl in AssignmentState.labels}


def test_attendance_actions() -> None:
    assert workflow.action_for("attended") == Action.ATTEND
    assert workflow.action_for("absent") == Action.ABSENT
    assert workflow.action_for("scheduled") == Action.RESET
    with pytest.raises(InvalidInput):
        workflow.action_for("swapped")


def test_attendance_is_not_recorded_ahead_of_the_shift() -> None:
    today = dt.date(2026, 11, 27)
    workflow.check_attendance_date(shift_date=today, today=today)
    workflow.check_attendance_date(shift_date=dt.date(2023, 1, 3), today=today)
    with pytest.raises(InvalidInput) as exc:
        workflow.check_attendance_date(shift_date=today + dt.timedelta(days=1), today=today)
    assert "尚未到来" in exc.value.message


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("replaced", [False, True])
def test_removable_only_while_scheduled_and_not_replaced(state: State, replaced: bool) -> None:
    facts = workflow.Facts(shift_date=dt.date(2023, 3, 1), today=dt.date(2023, 3, 2), replaced=replaced)
    if state == State.SCHEDULED and not replaced:
        workflow.check(state, Action.REMOVE, facts)
        assert workflow.refusal(state, Action.REMOVE, facts) is None
    else:
        with pytest.raises(IllegalTransition):
            workflow.check(state, Action.REMOVE, facts)
        assert workflow.refusal(state, Action.REMOVE, facts) == (
            "该值班安排已有替班人员，不能移除" if state == State.SCHEDULED else
            f"「{workflow.label(state)}」的值班安排不能「移除」")


def test_attendance_guard_is_asked_by_check_and_refusal() -> None:
    ahead = workflow.Facts(shift_date=dt.date(2023, 3, 2), today=dt.date(2023, 3, 1))
    for action in (Action.ATTEND, Action.ABSENT):
        with pytest.raises(InvalidInput):
            workflow.check(State.SCHEDULED, action, ahead)
        assert "尚未到来" in (workflow.refusal(State.SCHEDULED, action, ahead) or "")
    assert workflow.refusal(State.SCHEDULED, Action.SWAP, ahead) is None
