"""List pages and their Excel exports run a constant number of queries, whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World, make_deputy, make_grid, make_grid_worker, make_unit, make_user, make_village

from renda.core.roles import Role
from renda.people.services import contact_assignment_create

LISTS = ["/towns/", "/villages/", "/grids/", "/grid-workers/", "/units/", "/deputies/", "/contacts/", "/users/"]


def grow(world: World, n: int) -> None:
    for _ in range(n):
        village = make_village(world.town)
        grid = make_grid(village)
        make_grid_worker(world.town, [grid])
        make_unit(world.town)
        d = make_deputy(world.town, grids=[grid], village=village)
        contact_assignment_create(actor=None, presidium_member=world.presidium_deputy, deputy=d)
        make_user(Role.UNIT, world.town)
        make_user(Role.GRID_WORKER, world.town)


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_list_pages_run_constant_queries(world: World, client: Client, role: Role) -> None:
    client.force_login(world.users[role])
    small = {url: count(client, url + "?per_page=100") for url in LISTS}
    small_export = {url: count(client, url + "?export=xlsx") for url in LISTS}
    grow(world, 12)
    for url in LISTS:
        assert count(client, url + "?per_page=100") == small[url], url
        assert count(client, url + "?export=xlsx") == small_export[url], url
