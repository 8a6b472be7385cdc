"""The assignment status table, exhaustively: every (status, action) pair is either in the
table with its next status or refused with a coded error; guards."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.core.errors import IllegalTransition, InvalidInput
from renda.shifts import workflow
from renda.shifts.models import AssignmentStatus
from renda.shifts.workflow import Action, Status

EXPECTED = {
    (Status.SCHEDULED, Action.ATTEND): Status.ATTENDED,
    (Status.SCHEDULED, Action.ABSENT): Status.ABSENT,
    (Status.SCHEDULED, Action.SWAP): Status.SWAPPED,
    (Status.ATTENDED, Action.ABSENT): Status.ABSENT,
    (Status.ATTENDED, Action.RESET): Status.SCHEDULED,
    (Status.ABSENT, Action.ATTEND): Status.ATTENDED,
    (Status.ABSENT, Action.RESET): Status.SCHEDULED,
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair(status: Status, action: Action) -> None:
    if (status, action) in EXPECTED:
        assert workflow.next_status(status, action) == EXPECTED[(status, action)]
        assert action in workflow.allowed_actions(status)
    else:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_status(status, action)
        assert exc.value.code == "illegal_transition" and exc.value.status == 409
        assert workflow.label(status) in exc.value.message
        assert action not in workflow.allowed_actions(status)


def test_table_is_exactly_the_expected_one_and_swapped_is_final() -> None:
    assert workflow.TABLE == EXPECTED
    assert workflow.allowed_actions(Status.SWAPPED) == []


def test_statuses_match_the_model_choices() -> None:
    assert {s.value for s in Status} == set(AssignmentStatus.values)
    assert {str(workflow.STATUS_LABELS[s]) for s in Status} == {str(lbl) for lbl in AssignmentStatus.labels}


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


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("replaced", [False, True])
def test_removable_only_while_scheduled_and_not_replaced(status: Status, replaced: bool) -> None:
    if status == Status.SCHEDULED and not replaced:
        workflow.check_removable(status=status, replaced=replaced)
    else:
        with pytest.raises(IllegalTransition):
            workflow.check_removable(status=status, replaced=replaced)
