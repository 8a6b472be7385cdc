"""/api/units: the role × endpoint matrix, scoping, audit, query counts."""

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests import support as testing
from tests.support import World, make_unit

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.units.models import Unit
from renda.units.services import unit_deactivate

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


def _inactive_unit(w: World) -> Unit:
    return unit_deactivate(actor=None, unit_id=make_unit(w.town).pk)


Case = tuple[str, Callable[..., str], Callable[..., dict[str, Any]] | None, dict[str, int]]
CASES: dict[str, Case] = {
    "list": ("get", lambda w: "/api/units", None, expect(readers=200, others=403)),
    "get": ("get", lambda w: f"/api/units/{w.unit.pk}", None, expect(readers=200, unit=200, others=404)),
    "get other town's": ("get", lambda w: f"/api/units/{w.other_unit.pk}", None,
                         expect(district_viewer=200, admin=200, others=404)),
    "create": ("post", lambda w: "/api/units",
               lambda w: {"name": f"新单位{testing.n()}", "kind": "town_department", "town_id": w.town.pk},
               expect(writers=201, others=403)),
    "create in other town": ("post", lambda w: "/api/units",
                             lambda w: {"name": f"新单位{testing.n()}", "kind": "other",
                                        "town_id": w.other_town.pk},
                             expect(staff=404, admin=201, others=403)),
    "patch": ("patch", lambda w: f"/api/units/{w.unit.pk}", lambda w: {"contact_person": "赵六"},
              expect(writers=200, readers=403, unit=403, others=404)),
    "patch other town's": ("patch", lambda w: f"/api/units/{w.other_unit.pk}",
                           lambda w: {"contact_person": "赵六"},
                           expect(admin=200, district_viewer=403, others=404)),
    "deactivate": ("post", lambda w: f"/api/units/{make_unit(w.town).pk}/deactivate",
                   lambda w: {"reason": "撤销"},
                   expect(writers=200, readers=403, others=404)),
    "activate": ("post", lambda w: f"/api/units/{_inactive_unit(w).pk}/activate", None,
                 expect(writers=200, readers=403, others=404)),
}


@pytest.mark.parametrize("name", CASES)
def test_units_matrix(world: World, name: str) -> None:
    method, url, body, expected = CASES[name]
    got = {}
    for role in ROLES:
        response = call(client_for(world.users[role]), method, url(world), body(world) if body else None)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "fields"}
    assert got == expected


def test_another_towns_unit_is_not_found_for_town_users(world: World) -> None:
    for user in (world.other_staff, world.users[Role.STAFF], world.users[Role.PRESIDIUM]):
        c = client_for(user)
        unit = world.unit if user == world.other_staff else world.other_unit
        base = f"/api/units/{unit.pk}"
        for method, url in (("get", base), ("patch", base), ("post", f"{base}/deactivate"),
                            ("post", f"{base}/activate")):
            r = call(c, method, url, {} if method != "get" else None)
            assert (r.status_code, r.json()["code"]) == (404, "not_found")


def test_list_filters_and_pagination(world: World) -> None:
    c = client_for(world.users[Role.DISTRICT_VIEWER])
    extra = make_unit(world.town, name="区交通局", kind="district_unit")
    unit_deactivate(actor=None, unit_id=extra.pk)

    def ids(q: str) -> set[int]:
        return {o["id"] for o in c.get(f"/api/units?{q}").json()["items"]}

    assert ids("") == {world.unit.pk, world.other_unit.pk, extra.pk}
    assert ids(f"town_id={world.town.pk}") == {world.unit.pk, extra.pk}
    assert ids("kind=district_unit") == {extra.pk}
    assert ids("is_active=false") == {extra.pk}
    assert ids("q=交通") == {extra.pk}
    page = c.get("/api/units?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1
    r = c.get("/api/units?limit=0")
    assert r.status_code == 422 and "limit" in r.json()["fields"]


def test_writes_are_audited_with_source_api(world: World) -> None:
    staff = world.users[Role.STAFF]
    c = client_for(staff)
    r = call(c, "post", "/api/units", {"name": "镇水利站", "kind": "town_department",
                                       "contact_phone": "13912345678"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["town"]["id"] == world.town.pk and body["kind_label"] == "镇直部门"
    assert call(c, "patch", f"/api/units/{body['id']}", {"name": "镇水务站"}).json()["name"] == "镇水务站"
    assert call(c, "post", f"/api/units/{body['id']}/deactivate").status_code == 200
    assert call(c, "post", f"/api/units/{body['id']}/activate").status_code == 200
    assert list(AuditEvent.objects.filter(actor=staff).values_list("verb", "source")) == [
        ("unit.create", "api"), ("unit.update", "api"), ("unit.deactivate", "api"), ("unit.activate", "api")]
    r = call(c, "post", "/api/units", {"name": "镇水务站", "kind": "town_department"})
    assert r.status_code == 400 and r.json()["fields"] == {"name": ["已存在"]}
    r = call(c, "patch", f"/api/units/{body['id']}", {"contact_phone": "12345"})
    assert r.status_code == 400 and "contact_phone" in r.json()["fields"]


def test_admin_must_name_the_town(world: World) -> None:
    r = call(client_for(world.users[Role.ADMIN]), "post", "/api/units", {"name": "某单位", "kind": "other"})
    assert r.status_code == 400 and "town_id" in r.json()["fields"]


def test_list_runs_a_constant_number_of_queries(world: World) -> None:
    c = client_for(world.users[Role.ADMIN])
    c.get("/api/units")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/api/units").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(5):
        make_unit(world.town)
        make_unit(world.other_town)
    assert count() == before
