"""Policy matrix: every role × every action on a session and a round of their own town and of
another town (another town's is a 404: ``can(view)`` is false); the pages and endpoints as a
role × URL table are in tests/reliability/url_policy.py (the ``congress`` block)."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.congress import policy, selectors, services
from renda.congress.tests.helpers import STARTS, enter, ids, make_session, open_round, staff
from renda.core import policy as base
from renda.core.errors import Forbidden, NotFound
from renda.core.roles import Role

P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER,
                       Role.ADMIN)

#: action → roles allowed on their own town's session
SESSION = {
    "view": {P, S, D, V, A},
    "export": {P, S, D, V, A},
    "edit": {S, A},
    "attendance": {S, A},
    "agenda": {S, A},
    "open": {P, S, A},
}
#: action → roles allowed on their own town's open round
ROUND_OPEN = {
    "view": {P, S, D, V, A},
    "enter": {P, S, A},
    "close": {P, S, A},
    "further": {P, S, A},
    "vote": {P, D},
    "tally": set(),
    "sheet": set(),
}
#: and on a closed round
ROUND_CLOSED = {**ROUND_OPEN, "tally": {P, S, D, V, A}, "sheet": {P, S, D, V, A}}
#: with no object: list pages, the create button
NO_OBJECT = {
    "list": {P, S, D, V, A},
    "create": {S, A},
    "open": {P, S, A},
    "vote": {P, D},
}
DISTRICT = {V, A}


@pytest.fixture
def objects(world: World) -> dict[str, object]:
    s = make_session(world, total=3)
    closed = open_round(world, s, n=2, seats=1)
    for _i in range(3):
        enter(world, closed, {ids(closed)[0]: "for"})
    closed = services.round_close(actor=staff(world), round_id=closed.pk)
    r = open_round(world, s, n=2, seats=1, mode="phone")
    return {"session": s, "round": r, "closed": closed}


def _other_session(world: World) -> object:
    return services.session_create(actor=world.other_staff, town=world.other_town, term=18, number=3,
                                   starts_on=STARTS, ends_on=STARTS)


@pytest.mark.parametrize("role", list(Role))
def test_matrix(world: World, objects: dict[str, object], role: Role) -> None:
    user = world.users[role]
    for table, obj in ((SESSION, objects["session"]), (ROUND_OPEN, objects["round"]),
                       (ROUND_CLOSED, objects["closed"])):
        for action, allowed in table.items():
            assert policy.can(user, action, obj) is (role in allowed), (role, action, obj)
    for action, allowed in NO_OBJECT.items():
        assert policy.can(user, action, None) is (role in allowed), (role, action)


@pytest.mark.parametrize("role", list(Role))
def test_other_town_is_not_found(world: World, objects: dict[str, object], role: Role) -> None:
    other = _other_session(world)
    user = world.users[role]
    sees = role in DISTRICT
    assert policy.can(user, "view", other) is sees
    assert (other in selectors.sessions_visible_to(user)) is sees
    if not sees:
        with pytest.raises(NotFound):
            base.require(policy.can, user, "edit", other)
    elif role == V:
        with pytest.raises(Forbidden):
            base.require(policy.can, user, "edit", other)


def test_visibility_of_rounds(world: World, objects: dict[str, object]) -> None:
    for role in Role:
        user = world.users[role]
        seen = set(selectors.rounds_visible_to(user))
        assert (objects["round"] in seen) is (role in {P, S, D, V, A})
    assert list(selectors.rounds_open_for_deputy(world.users[S])) == []
    assert list(selectors.rounds_open_for_deputy(world.users[D])) == [objects["round"]]


def test_inactive_user_may_nothing(world: World, objects: dict[str, object]) -> None:
    user = world.users[S]
    user.is_active = False
    assert not policy.can(user, "view", objects["session"])
    assert not policy.can(user, "list")
