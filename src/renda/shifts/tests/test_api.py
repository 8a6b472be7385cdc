"""/api/duty-shifts: the same scoping and services as the pages; every role × endpoint,
errors in the shared shape, the OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.support import World, make_deputy

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.shifts import services
from renda.shifts.models import DutyAssignment, DutyShift
from renda.shifts.tests.helpers import shift

ALL_ROLES = list(Role)
READERS = {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN}
ALL_TOWNS = {Role.DISTRICT_VIEWER, Role.ADMIN}
API = "/api/duty-shifts"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_endpoint_matrix(world: World, client: Client, role: Role) -> None:
    own = shift(world, on=dt.date(2023, 3, 1), deputies=[world.presidium_deputy])
    other = shift(world, town=world.other_town, on=dt.date(2023, 3, 1), deputies=[world.other_deputy])
    a, oa = own.assignments.get(), other.assignments.get()
    client.force_login(world.users[role])
    reader, staff = role in READERS, role == Role.STAFF
    r = client.get(f"{API}?month=2023-03")
    assert r.status_code == (200 if reader else 403)
    if reader:
        ids = {s["id"] for s in r.json()["items"]}
        assert ids == ({own.pk, other.pk} if role in ALL_TOWNS else {own.pk})
    assert client.get(f"{API}/person-times").status_code == (200 if reader else 403)
    assert client.get(f"{API}/{own.pk}").status_code == (200 if reader else 404)
    assert client.get(f"{API}/{other.pk}").status_code == (200 if role in ALL_TOWNS else 404)
    created = post(client, API, {"date": "2023-03-02", "deputy_ids": [world.presidium_deputy.pk]})
    assert created.status_code == (201 if staff else 403), created.json()
    # Writes on the own town's shift: staff only (readers 403, others 404) …
    write_own = 200 if staff else (403 if reader else 404)
    assert post(client, f"{API}/assignments/{a.pk}/attendance", {"state": "attended"}).status_code == write_own
    r = post(client, f"{API}/{own.pk}/assignments", {"deputy_id": world.deputy.pk})
    assert r.status_code == (201 if staff else write_own)
    # … and on another town's: 404 (district-wide read-only roles: 403).
    write_other = 403 if role in ALL_TOWNS else 404
    assert post(client, f"{API}/assignments/{oa.pk}/attendance", {"state": "attended"}).status_code == write_other
    r = post(client, f"{API}/{other.pk}/assignments", {"deputy_id": world.other_deputy.pk})
    assert r.status_code == write_other
    assert post(client, f"{API}/assignments/{oa.pk}/swap", {"replacement_id": None}).status_code == write_other
    assert client.delete(f"{API}/assignments/{oa.pk}").status_code == write_other
    assert DutyAssignment.objects.get(pk=oa.pk).state == "scheduled"


@pytest.mark.django_db
def test_create_add_swap_exchange_attendance_and_remove(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    r = post(client, API, {"date": "2023-03-01", "period": "morning", "location": "接待室",
                           "deputy_ids": [world.presidium_deputy.pk]})
    assert r.status_code == 201
    body = r.json()
    assert body["period_label"] == "上午" and body["assignments"][0]["state"] == "scheduled"
    sid, aid = body["id"], body["assignments"][0]["id"]
    r = post(client, f"{API}/{sid}/assignments", {"deputy_id": world.plain_deputy.pk, "note": "代表参加"})
    assert r.status_code == 201 and len(r.json()["assignments"]) == 2
    r = post(client, f"{API}/assignments/{aid}/swap", {"replacement_id": world.deputy.pk, "note": "外出"})
    assert r.status_code == 200
    people = {p["deputy"]["id"]: p for p in r.json()["assignments"]}
    assert people[world.presidium_deputy.pk]["state"] == "swapped"
    assert people[world.deputy.pk]["replaces_id"] == aid
    assert people[world.deputy.pk]["replaces_name"] == world.presidium_deputy.name
    new_id = people[world.deputy.pk]["id"]
    r = post(client, f"{API}/assignments/{new_id}/attendance", {"state": "attended"})
    assert r.status_code == 200 and r.json()["attended"] == 1
    # Illegal move: 409 in the shared shape.
    r = post(client, f"{API}/assignments/{aid}/attendance", {"state": "attended"})
    assert r.status_code == 409 and set(r.json()) == {"code", "message", "fields"}
    assert r.json()["code"] == "illegal_transition"
    # Exchange with another day's shift.
    d2 = make_deputy(world.town, is_presidium=True)
    other = shift(world, on=dt.date(2023, 3, 2), deputies=[d2])
    plain = DutyAssignment.objects.get(shift_id=sid, deputy=world.plain_deputy)
    r = post(client, f"{API}/assignments/{plain.pk}/exchange",
             {"other_assignment_id": other.assignments.get().pk})
    assert r.status_code == 200 and len(r.json()) == 2
    # Remove: only scheduled rows; the exchanged ones are kept.
    r = client.delete(f"{API}/assignments/{plain.pk}")
    assert r.status_code == 409
    back = DutyAssignment.objects.get(shift_id=sid, deputy=world.presidium_deputy)
    assert back.state == "swapped"
    added = DutyAssignment.objects.get(shift=other, deputy=world.plain_deputy)
    assert added.replaces is not None and added.replaces.deputy == d2
    assert client.delete(f"{API}/assignments/{added.pk}").status_code == 204  # the stand-in fell through
    assert DutyAssignment.objects.get(shift=other, deputy=d2).state == "swapped"
    assert AuditEvent.objects.filter(verb__startswith="duty_", source="api").exists()


@pytest.mark.django_db
def test_errors_have_the_shared_shape(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    shift(world, on=dt.date(2023, 3, 1))
    r = post(client, API, {"date": "2023-03-01"})
    assert r.status_code == 400 and r.json()["fields"] == {"date": ["已有值班安排"]}
    r = post(client, API, {"date": "2023-03-09", "deputy_ids": [world.other_deputy.pk]})
    assert r.status_code == 404 and "deputy_ids" in r.json()["fields"]
    r = post(client, API, {"date": "not a date", "unknown": 1})
    assert r.status_code == 422 and r.json()["code"] == "invalid"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    s = shift(world, on=tomorrow)
    r = post(client, f"{API}/assignments/{s.assignments.get().pk}/attendance", {"state": "attended"})
    assert r.status_code == 400 and "尚未到来" in r.json()["message"]
    assert not DutyShift.objects.filter(date=dt.date(2023, 3, 9)).exists()


@pytest.mark.django_db
def test_filters_and_person_times(world: World, client: Client) -> None:
    for day in (1, 2, 3):
        people = [world.presidium_deputy] + ([world.deputy] if day == 2 else [])
        s = shift(world, on=dt.date(2023, 3, day), deputies=people)
        for a in s.assignments.all():
            post_status = "attended" if a.deputy_id == world.presidium_deputy.pk else "absent"
            services.assignment_record(actor=None, assignment_id=a.pk, state=post_status)
    shift(world, on=dt.date(2023, 4, 3))
    client.force_login(world.users[Role.PRESIDIUM])
    assert client.get(f"{API}?month=2023-03").json()["count"] == 3
    assert client.get(f"{API}?date_from=2023-03-02&date_to=2023-04-30").json()["count"] == 3
    assert client.get(f"{API}?deputy_id={world.deputy.pk}").json()["count"] == 1
    rows = client.get(f"{API}/person-times?date_from=2023-03-01&date_to=2023-03-31").json()
    assert [(r["deputy"]["id"], r["attended"], r["absent"]) for r in rows] == [
        (world.presidium_deputy.pk, 3, 0), (world.deputy.pk, 0, 1)]
    assert client.get(f"{API}?month=2023-3").status_code == 422


@pytest.mark.django_db
def test_in_openapi(client: Client, world: World) -> None:
    client.force_login(world.users[Role.STAFF])
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/duty-shifts", "/api/duty-shifts/{shift_id}", "/api/duty-shifts/{shift_id}/assignments",
              "/api/duty-shifts/assignments/{assignment_id}/swap",
              "/api/duty-shifts/assignments/{assignment_id}/exchange",
              "/api/duty-shifts/assignments/{assignment_id}/attendance", "/api/duty-shifts/person-times"):
        assert p in paths, p
