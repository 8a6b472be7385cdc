"""The visits of a shift (接访) through the hook shifts owns: without a provider a shift has no
visits; a registered provider's visits are listed to the roles that read visits, scoped by the
provider; petitions plugs its own in at start-up, scoped as its register."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.core.errors import InvalidInput
from renda.core.roles import Role
from renda.petitions import selectors as petition_selectors
from renda.petitions import services as petition_services
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.shifts import selectors, services
from renda.shifts.models import DutyShift
from renda.shifts.tests.helpers import D, shift


@pytest.fixture
def no_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if no installed app recorded visits (petitions not installed)."""
    monkeypatch.setattr(selectors, "_VISIT_PROVIDERS", {})


def visit(world: World, s: DutyShift, subject: str = "来访反映问题") -> Petition:
    staff = world.users[Role.STAFF] if s.town == world.town else world.other_staff
    return petition_services.petition_register(
        actor=staff, town=s.town, channel="visit", subject=subject,
        petitioners=[PetitionerData(name="王五")], duty_shift=s, on=s.date)


def page(user: Any, s: DutyShift) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/shifts/{s.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_petitions_plug_their_visits_in_at_start_up() -> None:
    provider = selectors._VISIT_PROVIDERS["petitions"]
    assert provider.visible is petition_selectors.shift_visits
    assert provider.exists is petition_selectors.shift_has_visits
    assert selectors.visits_installed()


def test_without_a_provider_a_shift_has_no_visits(world: World, no_providers: None) -> None:
    s = shift(world)
    visit(world, s)
    staff = world.users[Role.STAFF]
    assert not selectors.visits_installed()
    assert selectors.visits_for(staff, s) == [] and selectors.visits_for(None, s) == []
    assert selectors.has_visits(s) is False
    body = page(staff, s)
    assert 'id="visits"' not in body and "本班次接待的信访" not in body


def test_a_registered_provider_lists_its_visits_to_those_who_read_visits(world: World, no_providers: None) -> None:
    s, empty = shift(world), shift(world, on=D("2023-03-02"))
    calls: list[tuple[Any, int, int]] = []

    def visible(user: Any, on: DutyShift, limit: int) -> list[str]:
        calls.append((user, on.pk, limit))
        return ["来访甲", "来访乙"] if on.pk == s.pk else []

    selectors.register_visits("probe", visible=visible, exists=lambda on: on.pk == s.pk)
    staff = world.users[Role.STAFF]
    assert selectors.visits_installed()
    assert selectors.visits_for(staff, s) == ["来访甲", "来访乙"]
    assert calls == [(staff, s.pk, selectors.VISITS_SHOWN)]
    assert selectors.visits_for(staff, empty) == []
    for role in (Role.DEPUTY, Role.GRID_WORKER, Role.UNIT):  # they read the roster, not the visits
        assert selectors.visits_for(world.users[role], s) == []
    assert len(calls) == 2  # the provider is not asked for them
    assert selectors.has_visits(s) and not selectors.has_visits(empty)
    body = page(staff, s)
    assert 'id="visits"' in body and "来访甲" in body and "来访乙" in body
    assert "本班次接待的信访" not in page(world.users[Role.DEPUTY], s)
    with pytest.raises(InvalidInput, match="已关联信访件"):
        services.shift_delete(actor=staff, shift_id=s.pk)
    services.shift_delete(actor=staff, shift_id=empty.pk)


def test_providers_share_the_page_limit(world: World, no_providers: None) -> None:
    s = shift(world)
    asked: list[int] = []

    def many(user: Any, on: DutyShift, limit: int) -> list[int]:
        asked.append(limit)
        return list(range(min(limit, selectors.VISITS_SHOWN - 50)))

    def more(user: Any, on: DutyShift, limit: int) -> list[str]:
        asked.append(limit)
        return ["x"] * limit

    selectors.register_visits("many", visible=many, exists=lambda on: False)
    selectors.register_visits("more", visible=more, exists=lambda on: False)
    found = selectors.visits_for(world.users[Role.STAFF], s)
    assert len(found) == selectors.VISITS_SHOWN and asked == [selectors.VISITS_SHOWN, 50]
    assert found[-50:] == ["x"] * 50


def test_the_petitions_provider_lists_the_petitions_each_user_may_see(world: World) -> None:
    s = shift(world)
    other = shift(world, town=world.other_town)
    assert selectors.visits_for(world.users[Role.STAFF], s) == [] and not selectors.has_visits(s)
    p = visit(world, s)
    q = visit(world, other)
    for role in (Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN):
        assert selectors.visits_for(world.users[role], s) == [p], role
    assert selectors.visits_for(None, other) == [q]
    assert selectors.visits_for(world.other_staff, other) == [q]
    assert selectors.visits_for(world.other_staff, s) == []  # another town's petitions stay unseen
    for role in (Role.DEPUTY, Role.GRID_WORKER, Role.UNIT):
        assert selectors.visits_for(world.users[role], s) == []
    assert selectors.has_visits(s) and selectors.has_visits(other)
    assert p.code in page(world.users[Role.STAFF], s)
    assert "本班次接待的信访" not in page(world.users[Role.DEPUTY], s)
    with pytest.raises(InvalidInput, match="已关联信访件"):
        services.shift_delete(actor=world.users[Role.STAFF], shift_id=s.pk)
