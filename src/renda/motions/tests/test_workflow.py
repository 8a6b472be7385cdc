"""The motion workflow table, exhaustively: every (state, action) pair is either in the table or
refused in words; who may take each action."""

from __future__ import annotations

import pytest

from renda.core.errors import IllegalTransition
from renda.motions import workflow
from renda.motions.workflow import FINAL, TABLE, Action, Role, State

EXPECTED = {
    (State.DRAFT, Action.EDIT): State.DRAFT, (State.DRAFT, Action.SIGN): State.DRAFT,
    (State.DRAFT, Action.UNSIGN): State.DRAFT, (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.DRAFT, Action.WITHDRAW): State.WITHDRAWN, (State.SUBMITTED, Action.WITHDRAW): State.WITHDRAWN,
    (State.SUBMITTED, Action.PUT_ON_AGENDA): State.ON_AGENDA, (State.SUBMITTED, Action.REJECT): State.NOT_ON_AGENDA,
    (State.SUBMITTED, Action.TO_SUGGESTION): State.AS_SUGGESTION, (State.ON_AGENDA, Action.ADOPT): State.ADOPTED,
    (State.ON_AGENDA, Action.NOT_ADOPT): State.NOT_ADOPTED, (State.ADOPTED, Action.PROGRESS): State.ADOPTED,
    (State.ADOPTED, Action.FINISH): State.FINISHED,
}


def test_the_table_is_exactly_this() -> None:
    assert TABLE == EXPECTED


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_pair(state: State, action: Action) -> None:
    if (state, action) in EXPECTED:
        assert workflow.next_state(state, action) == EXPECTED[(state, action)]
        assert workflow.refusal_for(state, action) is None
    else:
        with pytest.raises(IllegalTransition):
            workflow.next_state(state, action)
        assert "议案不能" in str(workflow.refusal_for(state, action))


def test_final_states_have_no_way_out() -> None:
    assert not [pair for pair in TABLE if pair[0] in FINAL]


@pytest.mark.parametrize(("action", "roles"), [
    (Action.SIGN, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN, Role.DEPUTY, Role.LEAD}),
    (Action.SUBMIT, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN, Role.LEAD}),
    (Action.PUT_ON_AGENDA, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN}),
    (Action.REJECT, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN}),
    (Action.TO_SUGGESTION, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN}),
    (Action.PROGRESS, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN, Role.UNIT}),
    (Action.FINISH, {Role.STAFF, Role.PRESIDIUM, Role.ADMIN}),
])
def test_who_may(action: Action, roles: set[Role]) -> None:
    assert {r for r in Role if workflow.ROLES_FOR_ACTION[action] & {r}} == roles
    assert Role.DISTRICT_VIEWER not in workflow.ROLES_FOR_ACTION[action]
