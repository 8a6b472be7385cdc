from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.support import World

from renda.calendar_days import policy
from renda.core.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("action", ["view", "list", "create", "change", "delete"])
def test_matrix(shared_world: World, role: str, action: str) -> None:
    user = shared_world.users[role]
    expected = action in {"view", "list"} or role == Role.ADMIN
    assert policy.can(user, action) is expected


def test_anonymous_and_system() -> None:
    assert not policy.can(AnonymousUser(), "view")
    assert not policy.can(AnonymousUser(), "change")
    assert policy.can(None, "change")
    assert not policy.can(object(), "unknown")
