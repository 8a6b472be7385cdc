"""/api/regions and /api/grid-workers: the role × endpoint matrix, scoping, audit, query counts."""

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests import support as testing
from tests.support import World, make_grid, make_grid_worker, make_village, phone

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.places.models import GridWorker, Region
from renda.places.services import grid_worker_deactivate, region_deactivate

ROLES = list(Role)  # presidium, staff, deputy, unit, grid_worker, district_viewer, admin


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # tests.support numbers towns from one global counter that overflows 3 digits after ~30 worlds.
    monkeypatch.setattr(testing, "_seq", itertools.count(1))
    monkeypatch.setattr(f"{__name__}._codes", itertools.count(1))


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
        elif writers is not None and role in {Role.STAFF, Role.ADMIN}:
            out[role] = writers
        elif readers is not None and role in {Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN}:
            out[role] = readers
        else:
            out[role] = others
    return out


# A case: (method, url(world, role), body(world, role) or None, per-role setup, expected statuses).
Case = tuple[str, Callable[..., str], Callable[..., dict[str, Any]] | None, dict[str, int]]

_codes = itertools.count(1)


def _code() -> str:
    """Three digits that make_village (100–998) never uses."""
    return f"{next(_codes) % 99 + 1:03d}"


def _new_village(w: World) -> Region:
    return make_village(w.town, code=f"{w.town.code[:9]}{_code()}")


def _inactive_village(w: World) -> Region:
    v = _new_village(w)
    return region_deactivate(actor=None, region_id=v.pk)


def _inactive_worker(w: World) -> GridWorker:
    gw = make_grid_worker(w.town, [w.grid])
    return grid_worker_deactivate(actor=None, grid_worker_id=gw.pk)


REGION_CASES: dict[str, Case] = {
    "list": ("get", lambda w: "/api/regions", None, expect(readers=200, others=403)),
    "get village": ("get", lambda w: f"/api/regions/{w.village.pk}", None, expect(readers=200, others=404)),
    "get grid": ("get", lambda w: f"/api/regions/{w.grid.pk}", None,
                 expect(readers=200, grid_worker=200, others=404)),
    "get district": ("get", lambda w: f"/api/regions/{w.district.pk}", None, expect(readers=200, others=404)),
    "get other town's village": ("get", lambda w: f"/api/regions/{w.other_village.pk}", None,
                                 expect(district_viewer=200, admin=200, others=404)),
    "create village": ("post", lambda w: "/api/regions",
                       lambda w: {"code": f"{w.town.code[:9]}{_code()}", "name": "新村", "level": "village",
                                  "parent_id": w.town.pk},
                       expect(writers=201, others=403)),
    "create village in other town": ("post", lambda w: "/api/regions",
                                     lambda w: {"code": f"{w.other_town.code[:9]}{_code()}", "name": "新村",
                                                "level": "village", "parent_id": w.other_town.pk},
                                     expect(staff=404, admin=201, others=403)),
    "create town": ("post", lambda w: "/api/regions",
                    lambda w: {"code": f"{w.district.code[:6]}{_code()}000", "name": "新镇", "level": "town",
                               "kind": "street", "parent_id": w.district.pk},
                    expect(admin=201, others=403)),
    "patch village": ("patch", lambda w: f"/api/regions/{w.village.pk}", lambda w: {"name": "改名村"},
                      expect(writers=200, readers=403, others=404)),
    "patch other town's village": ("patch", lambda w: f"/api/regions/{w.other_village.pk}",
                                   lambda w: {"name": "改名村"},
                                   expect(admin=200, district_viewer=403, others=404)),
    "deactivate village": ("post", lambda w: f"/api/regions/{_new_village(w).pk}/deactivate",
                           lambda w: {"reason": "撤并"}, expect(writers=200, readers=403, others=404)),
    "activate village": ("post", lambda w: f"/api/regions/{_inactive_village(w).pk}/activate", None,
                         expect(writers=200, readers=403, others=404)),
}

WORKER_CASES: dict[str, Case] = {
    "list": ("get", lambda w: "/api/grid-workers", None, expect(readers=200, others=403)),
    "get": ("get", lambda w: f"/api/grid-workers/{w.grid_worker.pk}", None,
            expect(readers=200, grid_worker=200, others=404)),
    "get other town's": ("get", lambda w: f"/api/grid-workers/{w.other_grid_worker.pk}", None,
                         expect(district_viewer=200, admin=200, others=404)),
    "create": ("post", lambda w: "/api/grid-workers",
               lambda w: {"name": "新网格员", "phone": phone(), "kind": "part_time", "town_id": w.town.pk,
                          "grid_ids": [w.grid.pk]},
               expect(writers=201, others=403)),
    "patch": ("patch", lambda w: f"/api/grid-workers/{w.grid_worker.pk}", lambda w: {"kind": "part_time"},
              expect(writers=200, readers=403, grid_worker=403, others=404)),
    "patch other town's": ("patch", lambda w: f"/api/grid-workers/{w.other_grid_worker.pk}",
                           lambda w: {"kind": "part_time"},
                           expect(admin=200, district_viewer=403, others=404)),
    "deactivate": ("post", lambda w: f"/api/grid-workers/{make_grid_worker(w.town, [w.grid]).pk}/deactivate",
                   lambda w: {"reason": "离职"}, expect(writers=200, readers=403, others=404)),
    "activate": ("post", lambda w: f"/api/grid-workers/{_inactive_worker(w).pk}/activate", None,
                 expect(writers=200, readers=403, others=404)),
}


def run_matrix(world: World, case: Case) -> None:
    method, url, body, expected = case
    got = {}
    for role in ROLES:
        response = call(client_for(world.users[role]), method, url(world), body(world) if body else None)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "fields"}, response.content
    assert got == expected


@pytest.mark.parametrize("name", REGION_CASES)
def test_regions_matrix(world: World, name: str) -> None:
    run_matrix(world, REGION_CASES[name])


@pytest.mark.parametrize("name", WORKER_CASES)
def test_grid_workers_matrix(world: World, name: str) -> None:
    run_matrix(world, WORKER_CASES[name])


def test_another_towns_records_are_not_found_for_town_users(world: World) -> None:
    c = client_for(world.other_staff)
    for url in (f"/api/regions/{world.village.pk}", f"/api/regions/{world.grid.pk}",
                f"/api/grid-workers/{world.grid_worker.pk}"):
        assert c.get(url).status_code == 404
        assert call(c, "patch", url, {"name": "x"}).status_code == 404
        r = call(c, "post", f"{url}/deactivate")
        assert r.status_code == 404
        assert r.json()["code"] == "not_found"
    # an input id the actor cannot see is a 404 naming the field
    r = call(c, "post", "/api/grid-workers", {"name": "甲", "phone": phone(), "kind": "full_time",
                                                "grid_ids": [world.grid.pk]})
    assert r.status_code == 404
    assert "grid_ids" in r.json()["fields"]


def test_region_list_filters(world: World) -> None:
    c = client_for(world.users[Role.STAFF])
    ids = lambda q: {o["id"] for o in c.get(f"/api/regions?{q}").json()["items"]}  # noqa: E731
    assert ids("level=grid") == {world.grid.pk}
    assert ids(f"parent_id={world.village.pk}") == {world.grid.pk}
    assert ids(f"town_id={world.town.pk}&level=village") == {world.village.pk}
    assert ids(f"q={world.village.name}") == {world.village.pk}
    assert ids(f"q={world.grid.code}") == {world.grid.pk}
    assert ids(f"town_id={world.other_town.pk}") == set()  # filters never widen the scope
    region_deactivate(actor=None, region_id=make_village(world.town).pk)
    assert len(ids("is_active=false")) == 1
    page = c.get("/api/regions?limit=1&offset=1").json()
    assert page["count"] == 5 and len(page["items"]) == 1  # district, town, village, grid, inactive village


def test_grid_worker_list_filters(world: World) -> None:
    c = client_for(world.users[Role.ADMIN])
    ids = lambda q: {o["id"] for o in c.get(f"/api/grid-workers?{q}").json()["items"]}  # noqa: E731
    assert ids("") == {world.grid_worker.pk, world.other_grid_worker.pk}
    assert ids(f"town_id={world.other_town.pk}") == {world.other_grid_worker.pk}
    assert ids(f"grid_id={world.grid.pk}") == {world.grid_worker.pk}
    assert ids(f"q={world.grid_worker.phone}") == {world.grid_worker.pk}
    assert ids("kind=part_time") == set()


def test_writes_are_audited_with_source_api(world: World) -> None:
    staff = world.users[Role.STAFF]
    c = client_for(staff)
    r = call(c, "post", "/api/regions", {"code": f"{world.town.code[:9]}001", "name": "新村",
                                         "level": "village", "parent_id": world.town.pk})
    assert r.status_code == 201, r.content
    village_id = r.json()["id"]
    assert r.json()["kind"] == "village" and r.json()["town"]["id"] == world.town.pk
    assert call(c, "patch", f"/api/regions/{village_id}", {"name": "新新村"}).json()["name"] == "新新村"
    r = call(c, "post", f"/api/regions/{village_id}/deactivate", {"reason": "撤并"})
    assert r.json()["is_active"] is False
    assert call(c, "post", f"/api/regions/{village_id}/activate").json()["is_active"] is True
    r = call(c, "post", "/api/grid-workers", {"name": "乙", "phone": phone(), "kind": "full_time",
                                                "grid_ids": [world.grid.pk]})
    assert r.status_code == 201, r.content
    assert r.json()["town"]["id"] == world.town.pk and [g["id"] for g in r.json()["grids"]] == [world.grid.pk]
    events = AuditEvent.objects.filter(actor=staff).order_by("id")
    assert [(e.verb, e.source) for e in events] == [
        ("region.create", "api"), ("region.update", "api"), ("region.deactivate", "api"),
        ("region.activate", "api"), ("grid_worker.create", "api"),
    ]
    assert events[2].comment == "撤并"


def test_domain_errors_keep_their_code_and_fields(world: World) -> None:
    c = client_for(world.users[Role.STAFF])
    r = call(c, "post", "/api/regions", {"code": world.village.code, "name": "重复", "level": "village",
                                         "parent_id": world.town.pk})
    assert r.status_code == 400
    assert r.json()["code"] == "invalid" and "code" in r.json()["fields"]
    r = call(c, "post", f"/api/regions/{world.grid.pk}/deactivate")  # a grid worker still serves it
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = call(c, "post", "/api/regions", {"code": "1", "name": "", "level": "hamlet"})
    assert r.status_code == 422
    assert {"code", "name", "level"} <= set(r.json()["fields"])
    r = call(c, "patch", f"/api/grid-workers/{world.grid_worker.pk}", {"phone": "not-a-phone"})
    assert r.status_code == 400 and r.json()["fields"] == {"phone": ["格式不正确"]}
    r = call(c, "patch", f"/api/regions/{world.village.pk}", {"nmae": "typo"})
    assert r.status_code == 422 and "nmae" in r.json()["fields"]


@pytest.mark.parametrize("url", ["/api/regions", "/api/grid-workers"])
def test_lists_run_a_constant_number_of_queries(world: World, url: str) -> None:
    c = client_for(world.users[Role.ADMIN])
    c.get(url)  # warm up (session, content types)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for _ in range(4):
        v = make_village(world.town)
        g = make_grid(v)
        make_grid_worker(world.town, [g, world.grid])
    assert count() == before
