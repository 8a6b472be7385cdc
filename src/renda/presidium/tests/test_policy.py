"""Policy matrix: every role × every action on each record type, in the own town and another
town; the selectors agree with ``view``."""

from __future__ import annotations

from typing import Any

import pytest
from tests.support import World

from renda.core.roles import Role
from renda.presidium import policy, selectors, services
from renda.presidium.tests.helpers import make_info, make_task

pytestmark = pytest.mark.django_db
P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER,
                       Role.ADMIN)
READ_ALL = {P, S, D, V, A}
MANAGE = {P, S, A}

#: kind → (who reads it, who writes it) in their own town; another town: V, A read, A writes.
KINDS = {
    "plans": (READ_ALL, MANAGE),
    "tasks": (READ_ALL, MANAGE),
    "divisions": (READ_ALL, MANAGE),
    "info": ({P, S, V, A}, MANAGE),
}


@pytest.fixture
def objs(world: World) -> dict[str, tuple[Any, Any]]:
    ours, theirs = make_task(world), make_task(world, other=True)
    div = [services.division_create(actor=None, town=t, year=2023, member=m, areas="代表工作")
           for t, m in ((world.town, world.presidium_deputy), (world.other_town, world.other_presidium_deputy))]
    return {"plans": (ours.plan, theirs.plan), "tasks": (ours, theirs), "divisions": (div[0], div[1]),
            "info": (make_info(world), make_info(world, other=True))}


SELECTORS = {"plans": selectors.plans_visible_to, "tasks": selectors.tasks_visible_to,
             "divisions": selectors.divisions_visible_to, "info": selectors.info_visible_to}


@pytest.mark.parametrize("role", list(Role))
def test_matrix(world: World, objs: dict[str, tuple[Any, Any]], role: Role) -> None:
    user = world.users[role]
    for kind, (readers, writers) in KINDS.items():
        ours, theirs = objs[kind]
        for action in ("list", "view", "export", "print"):
            assert policy.can(user, action, kind=kind) == (role in readers), (role, kind, action)
        assert policy.can(user, "create", kind=kind) == (role in writers), (role, kind)
        assert policy.can(user, "view", ours) == (role in readers), (role, kind)
        assert policy.can(user, "view", theirs) == (role in {V, A}), (role, kind)
        assert policy.can(user, "change", ours) == (role in writers), (role, kind)
        assert policy.can(user, "change", theirs) == (role == A), (role, kind)
        for action in ("review", "link", "unlink"):
            assert policy.can(user, action, ours) == (kind == "tasks" and role in writers), (role, kind, action)
        seen = set(SELECTORS[kind](user).values_list("pk", flat=True))
        assert (ours.pk in seen, theirs.pk in seen) == (role in readers, role in {V, A}), (role, kind)


def test_the_anonymous_and_inactive_see_nothing(world: World, objs: dict[str, tuple[Any, Any]]) -> None:
    from django.contrib.auth.models import AnonymousUser

    staff = world.users[Role.STAFF]
    staff.is_active = False
    for kind, (ours, _theirs) in objs.items():
        for user in (AnonymousUser(), staff):
            assert not policy.can(user, "view", ours)
            assert not policy.can(user, "list", kind=kind)
            assert not SELECTORS[kind](user).exists()
