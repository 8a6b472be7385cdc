"""Policy matrix: every role × the object-less checks, and × a draft and an adopted motion of the
own town and a motion of the other town (view and each action); the selector agrees with ``view``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.core.roles import Role
from renda.motions import policy, selectors, services
from renda.motions.tests.helpers import D, at, motion, session, staff, submitted

ROLES = list(Role)
P, S, D_, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER,
                        Role.DISTRICT_VIEWER, Role.ADMIN)


@pytest.fixture(scope="module")
def records(shared_world: World, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        w = shared_world
        s = session(w)
        draft = motion(w, s, signers=2)  # led by the World's deputy
        adopted = services.motion_put_on_agenda(actor=None, motion_id=submitted(w, s, title="村道").pk,
                                                on=D("2023-01-12"))
        adopted = services.motion_adopt(actor=None, motion_id=adopted.pk, resolution="决议", on=D("2023-01-13"),
                                        units=[w.unit])
        other_s = session(w, town=w.other_town)
        other = services.motion_create(actor=None, session=other_s, title="外镇议案", submitted_by="presidium",
                                       at=at("2023-01-12"))
        yield {"draft": draft, "adopted": adopted, "other": other}
        transaction.set_rollback(True)


OBJECTLESS = {
    "list": {P, S, D_, U, V, A}, "export": {P, S, D_, U, V, A}, "create": {P, S, D_, A},
    "settings": {S, A},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_objectless(shared_world: World, role: Role) -> None:
    user = shared_world.users[role]
    for action, roles in OBJECTLESS.items():
        assert policy.can(user, action) == (role in roles), action


#: (record, action) → the roles offered it now (policy × workflow state). The World's deputy
#: leads the draft; the World's unit carries the adopted motion's follow-up; the other town's
#: motion is seen only district-wide.
MATRIX = {
    ("draft", "view"): {P, S, D_, V, A},
    ("draft", "sign"): {P, S, D_, A},
    ("draft", "unsign"): {P, S, D_, A},
    ("draft", "submit"): {P, S, D_, A},  # the deputy as its lead
    ("draft", "change"): {P, S, D_, A},
    ("draft", "put_on_agenda"): set(),  # not in this state: the workflow's no, asked by available_actions
    ("adopted", "view"): {P, S, D_, U, V, A},
    ("adopted", "progress"): {P, S, U, A},
    ("adopted", "finish"): {P, S, A},
    ("adopted", "change"): set(),
    ("other", "view"): {V, A},
    ("other", "sign"): {A},
    ("other", "put_on_agenda"): set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix(shared_world: World, records: dict[str, Any], role: Role) -> None:
    user = shared_world.users[role]
    for (key, action), roles in MATRIX.items():
        obj = records[key]
        if action in {"view", "change"}:
            got = policy.can(user, action, obj)
        else:
            got = action in {a.value for a in policy.available_actions(user, obj)}
        assert got == (role in roles), (key, action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_selector_agrees_with_view(shared_world: World, records: dict[str, Any], role: Role) -> None:
    user = shared_world.users[role]
    seen = set(selectors.motions_visible_to(user).values_list("pk", flat=True))
    assert seen == {m.pk for m in records.values() if policy.can(user, "view", m)}


@pytest.mark.django_db
def test_another_unit_sees_nothing(shared_world: World, records: dict[str, Any]) -> None:
    from tests.support import make_user

    stranger = make_user(Role.UNIT, shared_world.town)
    assert not selectors.motions_visible_to(stranger).exists()
    assert not policy.can(stranger, "view", records["adopted"])
    assert staff(shared_world)  # the office sees both of its town's
