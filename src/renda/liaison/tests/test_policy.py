"""Policy matrix: every role × every record type (list, create) and × the sample records of the
own and the other town (view, change); the selectors agree with the policy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from tests.support import World

from renda.core.roles import Role
from renda.liaison import policy, selectors, services
from renda.liaison.tests.helpers import (
    make_group,
    make_presidium_contact,
    make_reception,
    make_station,
    make_voter,
    make_voter_contact,
)

ROLES = list(Role)
P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER,
                       Role.ADMIN)
READ = {P, S, V, A}

LISTS = {
    "settings": READ, "groups": READ | {D}, "meetings": READ | {D}, "voters": READ | {D},
    "voter_contacts": READ | {D}, "presidium_contacts": READ | {D}, "stations": READ | {D},
    "reception_days": READ | {D}, "receptions": READ | {D},
}
CREATES = {
    "settings": {S, A}, "groups": {S, A}, "meetings": {S, A, D, P}, "voters": {S, A, D, P},
    "voter_contacts": {S, A, D, P}, "presidium_contacts": {S, A, P}, "stations": {S, A},
    "reception_days": {S, A}, "receptions": {S, A, D, P},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(LISTS))
def test_lists_and_creates(shared_world: World, role: Role, kind: str) -> None:
    user = shared_world.users[role]
    assert policy.can(user, "list", None, kind=kind) == (role in LISTS[kind])
    assert policy.can(user, "create", None, kind=kind) == (role in CREATES[kind])


@pytest.fixture(scope="module")
def records(shared_world: World, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        w = shared_world
        station = make_station(w)
        other_station = make_station(w, other=True)
        group = make_group(w)
        out = {
            "group": group,
            "meeting": services.meeting_create(actor=None, group=group, on=None, place="村委会", topics="学习"),
            "voter": make_voter(w),
            "voter_contact": make_voter_contact(w),
            "presidium_contact": make_presidium_contact(w),
            "station": station,
            "reception": make_reception(w, station),
            "other_group": make_group(w, other=True),
            "other_voter": make_voter(w, other=True),
            "other_voter_contact": make_voter_contact(w, other=True),
            "other_presidium_contact": make_presidium_contact(w, other=True),
            "other_station": other_station,
            "other_reception": make_reception(w, other_station),
        }
        yield out
        transaction.set_rollback(True)


#: (record, action) → the roles allowed; the "other_" records: district roles view, admins change.
EXPECTED: dict[tuple[str, str], set[Role]] = {
    ("group", "view"): READ | {D},  # the deputy leads it
    ("group", "change"): {S, A},
    ("meeting", "view"): READ | {D},
    ("meeting", "change"): {S, A, D},  # the group's leader
    ("voter", "view"): READ | {D},  # the deputy's own
    ("voter", "change"): {S, A, D},
    ("voter", "reveal"): {S, P, D},
    ("voter_contact", "view"): READ | {D},
    ("voter_contact", "change"): {S, A, D},
    ("voter_contact", "to_suggestion"): {S, A, D, P},
    ("presidium_contact", "view"): READ,  # with another deputy than the deputy user
    ("presidium_contact", "change"): {S, A, P},  # the presidium user's own contact
    ("station", "view"): READ | {D},
    ("station", "change"): {S, A},
    ("reception", "view"): READ | {D},  # the deputy serves the station
    ("reception", "propose"): {S, P, A, D},
    ("reception", "transfer"): {S, P, A},
    ("reception", "turn_away"): {S, P, A, D},
    ("reception", "reveal"): {S, P},
    ("other_group", "view"): {V, A},
    ("other_group", "change"): {A},
    ("other_voter", "view"): {V, A},
    ("other_voter", "reveal"): set(),
    ("other_voter_contact", "change"): {A},
    ("other_presidium_contact", "view"): {V, A},
    ("other_station", "view"): {V, A},
    ("other_reception", "view"): {V, A},
    ("other_reception", "propose"): {A},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "action"), sorted(EXPECTED))
def test_object_matrix(shared_world: World, records: dict[str, Any], name: str, action: str) -> None:
    obj = records[name]
    allowed = {r for r in ROLES if policy.can(shared_world.users[r], action, obj)}
    assert allowed == EXPECTED[(name, action)]


SELECTORS = {
    "group": selectors.groups_visible_to, "meeting": selectors.meetings_visible_to,
    "voter": selectors.voters_visible_to, "voter_contact": selectors.voter_contacts_visible_to,
    "presidium_contact": selectors.presidium_contacts_visible_to, "station": selectors.stations_visible_to,
    "reception": selectors.receptions_visible_to,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(SELECTORS))
def test_selectors_agree_with_the_policy(shared_world: World, records: dict[str, Any], role: Role, name: str
                                         ) -> None:
    user = shared_world.users[role]
    for key in (name, f"other_{name}"):
        obj = records.get(key)
        if obj is None:
            continue
        seen = SELECTORS[name](user).filter(pk=obj.pk).exists()
        assert seen == policy.can(user, "view", obj), (key, role)


@pytest.mark.django_db
def test_a_reception_day_is_shown_to_deputies_from_three_days_ahead(shared_world: World,
                                                                     records: dict[str, Any]) -> None:
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    station = records["station"]
    soon = services.reception_day_create(actor=None, station=station, on=today + dt.timedelta(days=3))
    later = services.reception_day_create(actor=None, station=station, on=today + dt.timedelta(days=4))
    deputy = shared_world.users[D]
    assert policy.can(deputy, "view", soon) and not policy.can(deputy, "view", later)
    seen = set(selectors.reception_days_visible_to(deputy).values_list("pk", flat=True))
    assert soon.pk in seen and later.pk not in seen
    assert policy.can(shared_world.users[S], "view", later)
