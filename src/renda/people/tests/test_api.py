"""/api/deputies and /api/contact-assignments: the role × endpoint matrix, scoping, audit, query counts."""

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests import support as testing
from tests.support import World, make_deputy, make_grid, make_village, phone

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.people.models import ContactAssignment, Deputy
from renda.people.services import contact_assignment_create, contact_assignment_deactivate, deputy_deactivate

ROLES = list(Role)  # presidium, staff, deputy, unit, grid_worker, district_viewer, admin
READERS = {Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN}
WRITERS = {Role.STAFF, Role.ADMIN}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_seq", itertools.count(1))


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def expect(*, others: int, readers: int | None = None, writers: int | None = None,
           **by_role: int) -> dict[str, int]:
    """Expected status per role: named roles, else writers (staff, admin), else readers, else others."""
    out = {}
    for role in ROLES:
        if role in by_role:
            out[role] = by_role[role]
        elif writers is not None and role in WRITERS:
            out[role] = writers
        elif readers is not None and role in READERS:
            out[role] = readers
        else:
            out[role] = others
    return out


def _inactive_deputy(w: World) -> Deputy:
    return deputy_deactivate(actor=None, deputy_id=make_deputy(w.town).pk)


def _assignment(w: World) -> ContactAssignment:
    return contact_assignment_create(actor=None, presidium_member=w.presidium_deputy,
                                     deputy=make_deputy(w.town))


def _inactive_assignment(w: World) -> ContactAssignment:
    return contact_assignment_deactivate(actor=None, assignment_id=_assignment(w).pk)


Case = tuple[str, Callable[..., str], Callable[..., dict[str, Any]] | None, dict[str, int]]
DEPUTY_CASES: dict[str, Case] = {
    "list": ("get", lambda w: "/api/deputies", None, expect(readers=200, others=403)),
    "get": ("get", lambda w: f"/api/deputies/{w.deputy.pk}", None,
            expect(readers=200, deputy=200, others=404)),
    "get another deputy of the town": ("get", lambda w: f"/api/deputies/{w.plain_deputy.pk}", None,
                                       expect(readers=200, others=404)),
    "get other town's": ("get", lambda w: f"/api/deputies/{w.other_deputy.pk}", None,
                         expect(district_viewer=200, admin=200, others=404)),
    "create": ("post", lambda w: "/api/deputies",
               lambda w: {"name": "新代表", "phone": phone(), "level": "town", "town_id": w.town.pk,
                          "village_id": w.village.pk, "grid_ids": [w.grid.pk], "term": "第十八届"},
               expect(writers=201, others=403)),
    "create in other town": ("post", lambda w: "/api/deputies",
                             lambda w: {"name": "新代表", "phone": phone(), "level": "district",
                                        "town_id": w.other_town.pk},
                             expect(staff=404, admin=201, others=403)),
    "patch": ("patch", lambda w: f"/api/deputies/{w.deputy.pk}", lambda w: {"constituency": "第三选区"},
              expect(writers=200, readers=403, deputy=403, others=404)),
    "patch other town's": ("patch", lambda w: f"/api/deputies/{w.other_deputy.pk}",
                           lambda w: {"constituency": "第三选区"},
                           expect(admin=200, district_viewer=403, others=404)),
    "deactivate": ("post", lambda w: f"/api/deputies/{make_deputy(w.town).pk}/deactivate",
                   lambda w: {"reason": "辞职", "serving_to": "2026-01-31"},
                   expect(writers=200, readers=403, others=404)),
    "activate": ("post", lambda w: f"/api/deputies/{_inactive_deputy(w).pk}/activate", None,
                 expect(writers=200, readers=403, others=404)),
}

CONTACT_CASES: dict[str, Case] = {
    "list": ("get", lambda w: "/api/contact-assignments", None, expect(readers=200, others=403)),
    "get": ("get", lambda w: f"/api/contact-assignments/{w.contact.pk}", None,
            expect(readers=200, others=404)),
    "get other town's": ("get", lambda w: f"/api/contact-assignments/{w.other_contact.pk}", None,
                         expect(district_viewer=200, admin=200, others=404)),
    "create": ("post", lambda w: "/api/contact-assignments",
               lambda w: {"presidium_member_id": w.presidium_deputy.pk, "deputy_id": make_deputy(w.town).pk},
               expect(writers=201, others=403)),
    "deactivate": ("post", lambda w: f"/api/contact-assignments/{_assignment(w).pk}/deactivate",
                   lambda w: {"reason": "调整"}, expect(writers=200, readers=403, others=404)),
    "activate": ("post", lambda w: f"/api/contact-assignments/{_inactive_assignment(w).pk}/activate", None,
                 expect(writers=200, readers=403, others=404)),
}


def run_matrix(world: World, case: Case) -> None:
    method, url, body, expected = case
    got = {}
    for role in ROLES:
        response = call(client_for(world.users[role]), method, url(world), body(world) if body else None)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "fields"}
    assert got == expected


@pytest.mark.parametrize("name", DEPUTY_CASES)
def test_deputies_matrix(world: World, name: str) -> None:
    run_matrix(world, DEPUTY_CASES[name])


@pytest.mark.parametrize("name", CONTACT_CASES)
def test_contact_assignments_matrix(world: World, name: str) -> None:
    run_matrix(world, CONTACT_CASES[name])


def test_another_towns_records_are_not_found_for_town_users(world: World) -> None:
    c = client_for(world.other_staff)
    for base in (f"/api/deputies/{world.deputy.pk}", f"/api/contact-assignments/{world.contact.pk}"):
        for method, url in (("get", base), ("post", f"{base}/deactivate"), ("post", f"{base}/activate")):
            r = call(c, method, url, {} if method != "get" else None)
            assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert call(c, "patch", f"/api/deputies/{world.deputy.pk}", {"term": "x"}).status_code == 404
    # ids of another town's records in a body are 404s naming the field
    r = call(c, "post", "/api/deputies", {"name": "甲", "phone": phone(), "level": "town",
                                          "village_id": world.village.pk})
    assert r.status_code == 404 and "village_id" in r.json()["fields"]
    r = call(c, "post", "/api/contact-assignments", {"presidium_member_id": world.other_presidium_deputy.pk,
                                                     "deputy_id": world.deputy.pk})
    assert r.status_code == 404 and "deputy_id" in r.json()["fields"]


def test_deputy_filters(world: World) -> None:
    c = client_for(world.users[Role.STAFF])

    def ids(q: str) -> set[int]:
        return {o["id"] for o in c.get(f"/api/deputies?{q}").json()["items"]}

    town_deputies = {world.deputy.pk, world.presidium_deputy.pk, world.plain_deputy.pk}
    assert ids("") == town_deputies
    assert ids("is_presidium=true") == {world.presidium_deputy.pk}
    assert ids(f"grid_id={world.grid.pk}") == {world.deputy.pk}
    assert ids(f"village_id={world.village.pk}") == {world.plain_deputy.pk}
    assert ids("level=district") == set()
    assert ids(f"q={world.deputy.name}") == {world.deputy.pk}
    assert ids(f"town_id={world.other_town.pk}") == set()
    deputy_deactivate(actor=None, deputy_id=world.plain_deputy.pk)
    assert ids("is_active=false") == {world.plain_deputy.pk}
    assert ids("is_active=true") == town_deputies - {world.plain_deputy.pk}


def test_contact_filters(world: World) -> None:
    c = client_for(world.users[Role.ADMIN])

    def ids(q: str) -> set[int]:
        return {o["id"] for o in c.get(f"/api/contact-assignments?{q}").json()["items"]}

    assert ids("") == {world.contact.pk, world.other_contact.pk}
    assert ids(f"town_id={world.town.pk}") == {world.contact.pk}
    assert ids(f"presidium_member_id={world.other_presidium_deputy.pk}") == {world.other_contact.pk}
    assert ids(f"deputy_id={world.plain_deputy.pk}") == {world.contact.pk}
    assert ids(f"q={world.other_deputy.name}") == {world.other_contact.pk}


def test_deputy_writes_through_the_api(world: World) -> None:
    staff = world.users[Role.STAFF]
    c = client_for(staff)
    r = call(c, "post", "/api/deputies", {"name": "钱七", "phone": phone(), "level": "district",
                                          "village_id": world.village.pk, "grid_ids": [world.grid.pk],
                                          "serving_from": "2022-01-01"})
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["town"]["id"] == world.town.pk and d["village"]["id"] == world.village.pk
    assert [g["id"] for g in d["grids"]] == [world.grid.pk] and d["level_label"] == "区人大代表"
    # PATCH: absent fields stay, null clears a nullable field, a list replaces
    other_grid = make_grid(make_village(world.town))
    r = call(c, "patch", f"/api/deputies/{d['id']}", {"village_id": None, "grid_ids": [other_grid.pk]})
    assert r.status_code == 200, r.content
    assert r.json()["village"] is None and [g["id"] for g in r.json()["grids"]] == [other_grid.pk]
    assert r.json()["serving_from"] == "2022-01-01" and r.json()["name"] == "钱七"
    r = call(c, "post", f"/api/deputies/{d['id']}/deactivate", {"serving_to": "2025-12-31", "reason": "调离"})
    assert r.json()["is_active"] is False and r.json()["serving_to"] == "2025-12-31"
    assert call(c, "post", f"/api/deputies/{d['id']}/activate").json()["is_active"] is True
    events = AuditEvent.objects.filter(actor=staff, target_type="people.deputy")
    assert list(events.values_list("verb", "source")) == [
        ("deputy.create", "api"), ("deputy.update", "api"), ("deputy.deactivate", "api"),
        ("deputy.activate", "api")]
    r = call(c, "patch", f"/api/deputies/{d['id']}", {"phone": "123"})
    assert r.status_code == 400 and r.json()["fields"] == {"phone": ["格式不正确"]}


def test_contact_writes_through_the_api(world: World) -> None:
    staff = world.users[Role.STAFF]
    c = client_for(staff)
    r = call(c, "post", "/api/contact-assignments", {"presidium_member_id": world.presidium_deputy.pk,
                                                     "deputy_id": world.deputy.pk})
    assert r.status_code == 201, r.content
    a = r.json()
    assert (a["presidium_member"]["id"], a["deputy"]["id"], a["town"]["id"]) == (
        world.presidium_deputy.pk, world.deputy.pk, world.town.pk)
    assert call(c, "post", f"/api/contact-assignments/{a['id']}/deactivate").json()["is_active"] is False
    assert call(c, "post", f"/api/contact-assignments/{a['id']}/activate").json()["is_active"] is True
    r = call(c, "post", f"/api/contact-assignments/{a['id']}/activate")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = call(c, "post", "/api/contact-assignments", {"presidium_member_id": world.deputy.pk,
                                                     "deputy_id": world.plain_deputy.pk})
    assert r.status_code == 400 and "presidium_member" in r.json()["fields"]
    assert list(AuditEvent.objects.filter(actor=staff).values_list("verb", "source")) == [
        ("contact_assignment.create", "api"), ("contact_assignment.deactivate", "api"),
        ("contact_assignment.activate", "api")]


@pytest.mark.parametrize("url", ["/api/deputies", "/api/contact-assignments"])
def test_lists_run_a_constant_number_of_queries(world: World, url: str) -> None:
    c = client_for(world.users[Role.ADMIN])
    c.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    village = make_village(world.town)
    grids = [make_grid(village), make_grid(village)]
    for _ in range(4):
        d = make_deputy(world.town, village=village, grids=grids)
        contact_assignment_create(actor=None, presidium_member=world.presidium_deputy, deputy=d)
    assert count() == before
