"""The reception workflow table, exhaustively: every (state, action) pair either moves to the
table's state or is refused in words; who may take each action."""

from __future__ import annotations

import itertools

import pytest

from renda.core.errors import IllegalTransition
from renda.liaison import workflow
from renda.liaison.workflow import Action, Role, State

EXPECTED = {
    (State.REGISTERED, Action.PROPOSE): State.PROPOSED,
    (State.REGISTERED, Action.TURN_AWAY): State.TURNED_AWAY,
    (State.PROPOSED, Action.TRANSFER): State.TRANSFERRED,
    (State.PROPOSED, Action.FEEDBACK): State.FED_BACK,
    (State.PROPOSED, Action.TURN_AWAY): State.TURNED_AWAY,
    (State.TRANSFERRED, Action.CHASE): State.CHASING,
    (State.TRANSFERRED, Action.FEEDBACK): State.FED_BACK,
    (State.CHASING, Action.CHASE): State.CHASING,
    (State.CHASING, Action.FEEDBACK): State.FED_BACK,
    (State.FED_BACK, Action.FILE): State.FILED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_every_pair(state: State, action: Action) -> None:
    if (state, action) in EXPECTED:
        assert workflow.next_state(state, action) == EXPECTED[(state, action)]
        assert workflow.refusal_for(state, action) is None
    else:
        with pytest.raises(IllegalTransition) as exc:
            workflow.next_state(state, action)
        assert workflow.label(state) in exc.value.message and workflow.label(action) in exc.value.message


def test_the_table_is_the_expected_one() -> None:
    assert workflow.TABLE == EXPECTED


def test_terminal_states_allow_nothing() -> None:
    for state in workflow.TERMINAL:
        assert [a for a in Action if (state, a) in workflow.TABLE] == []


def test_roles() -> None:
    assert workflow.allowed_actions(State.REGISTERED, Role.STATION_DEPUTY) == [Action.PROPOSE, Action.TURN_AWAY]
    assert workflow.allowed_actions(State.PROPOSED, Role.STATION_DEPUTY) == [Action.FEEDBACK, Action.TURN_AWAY]
    assert workflow.allowed_actions(State.PROPOSED, Role.STAFF) == [Action.TRANSFER, Action.FEEDBACK,
                                                                     Action.TURN_AWAY]
    assert workflow.allowed_actions(State.FED_BACK, Role.STATION_DEPUTY) == []
    for state in State:
        assert workflow.allowed_actions(state, Role.DISTRICT_VIEWER) == []
