"""The one rule of town scoping (core.policy.sees_every_town / town_scoped) at its edges."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from tests.support import World

from renda.core.policy import sees_every_town, town_scoped
from renda.core.roles import Role
from renda.places.models import Region


def user(role: str, town_id: int | None) -> SimpleNamespace:
    return SimpleNamespace(role=role, town_id=town_id)


@pytest.mark.parametrize(
    ("actor", "every"),
    [
        (None, True),  # the system
        (user(Role.ADMIN, None), True),
        (user(Role.DISTRICT_VIEWER, None), True),
        (user(Role.ADMIN, 7), False),  # a town's administrator sees their town only
        (user(Role.DISTRICT_VIEWER, 7), False),
        (user(Role.STAFF, None), False),  # a town role without a town sees no town at all
        (user(Role.STAFF, 7), False),
    ],
)
def test_who_sees_every_town(actor: SimpleNamespace | None, every: bool) -> None:
    assert sees_every_town(actor) is every


@pytest.mark.django_db
def test_town_scoped_limits_a_queryset(world: World) -> None:
    towns = Region.objects.filter(pk__in=[world.town.pk, world.other_town.pk])
    assert set(town_scoped(towns, None, "pk")) == {world.town, world.other_town}
    assert set(town_scoped(towns, user(Role.STAFF, world.town.pk), "pk")) == {world.town}
    assert set(town_scoped(towns, user(Role.DISTRICT_VIEWER, world.other_town.pk), "pk")) == {world.other_town}
    assert list(town_scoped(towns, user(Role.STAFF, None), "pk")) == []
