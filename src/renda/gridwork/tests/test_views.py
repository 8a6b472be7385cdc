from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from tests.support import World, make_grid

from renda.core.roles import Role
from renda.gridwork import selectors
from renda.gridwork.tests.helpers import ID_NUMBER, NAME, PHONE, open_work, petition

ROLES = [Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER, Role.ADMIN]

# GET status per role: the town table (list), its export, the own town's grid (world.grid),
# another town's grid.
EXPECTED = {
    Role.PRESIDIUM: (200, 200, 200, 404),
    Role.STAFF: (200, 200, 200, 404),
    Role.DEPUTY: (200, 403, 200, 404),  # world.deputy is placed in world.grid
    Role.UNIT: (403, 403, 404, 404),
    Role.GRID_WORKER: (200, 403, 200, 404),  # world.grid_worker serves world.grid
    Role.DISTRICT_VIEWER: (200, 200, 200, 200),
    Role.ADMIN: (200, 200, 200, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(shared_world: World, client: Client, role: Role) -> None:
    w = shared_world
    client.force_login(w.users[role])
    urls = [reverse("grid_work:list"), reverse("grid_work:list") + "?export=xlsx",
            reverse("grid_work:detail", args=[w.grid.pk]), reverse("grid_work:detail", args=[w.other_grid.pk])]
    got = tuple(client.get(u).status_code for u in urls)
    assert got == EXPECTED[role]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client: Client, shared_world: World) -> None:
    for url in (reverse("grid_work:list"), reverse("grid_work:detail", args=[shared_world.grid.pk])):
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.django_db
def test_deputy_and_grid_worker_see_only_their_grids(world: World, client: Client) -> None:
    extra = make_grid(world.village)
    client.force_login(world.users[Role.GRID_WORKER])
    page = client.get(reverse("grid_work:list")).content.decode()
    assert world.grid.code in page and extra.code not in page
    assert client.get(reverse("grid_work:detail", args=[extra.pk])).status_code == 404
    client.force_login(world.users[Role.DEPUTY])
    page = client.get(reverse("grid_work:list")).content.decode()
    assert world.grid.code in page and extra.code not in page


@pytest.mark.django_db
def test_counts_of_open_work(world: World) -> None:
    second = make_grid(world.village)
    open_work(world, petitions_n=2, risks_n=1, suggestions_n=3)
    open_work(world, second, petitions_n=0, risks_n=2, suggestions_n=0)
    rows = {g.pk: g for g in selectors.with_counts(selectors.grids_for(world.users[Role.STAFF]))}
    g = rows[world.grid.pk]
    assert (g.n_workers, g.n_deputies, g.open_petitions, g.open_risks, g.open_suggestions) == (1, 1, 2, 1, 3)
    g2 = rows[second.pk]
    assert (g2.n_workers, g2.open_petitions, g2.open_risks, g2.open_suggestions) == (0, 0, 2, 0)
    totals = selectors.town_totals(selectors.with_counts(selectors.grids_for(world.users[Role.STAFF])))
    assert totals["grids"] == 2 and totals["open_risks"] == 3 and totals["open_petitions"] == 2


@pytest.mark.django_db
def test_grid_page_lists_open_work_without_personal_data(world: World, client: Client) -> None:
    ps, rs, ss = open_work(world)
    for role in (Role.STAFF, Role.GRID_WORKER, Role.DEPUTY, Role.PRESIDIUM):
        client.force_login(world.users[role])
        page = client.get(reverse("grid_work:detail", args=[world.grid.pk])).content.decode()
        assert rs[0].title in page, role
        assert ss[0].title in page if role != Role.DEPUTY else "另有 1 件不在您的查看范围内" in page
        assert world.grid_worker.name in page and world.deputy.name in page
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret not in page
    client.force_login(world.users[Role.STAFF])
    page = client.get(reverse("grid_work:detail", args=[world.grid.pk])).content.decode()
    assert ps[0].code in page and reverse("petitions:detail", args=[ps[0].pk]) in page


@pytest.mark.django_db
def test_filter_busy_grids_and_export(world: World, client: Client) -> None:
    quiet = make_grid(world.village)
    open_work(world, petitions_n=1, risks_n=0, suggestions_n=0)
    client.force_login(world.users[Role.STAFF])
    page = client.get(reverse("grid_work:list") + "?busy=petitions").content.decode()
    assert world.grid.code in page and quiet.code not in page
    r = client.get(reverse("grid_work:list") + "?export=xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("网格编码", "网格", "所属村社区")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[world.grid.code][5] == 1 and by_code[quiet.code][5] == 0


@pytest.mark.django_db
def test_town_table_runs_constant_queries(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    url = reverse("grid_work:list")
    open_work(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        g = make_grid(world.village)
        open_work(world, g)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.django_db
def test_grid_worker_home_is_their_grids(world: World, client: Client) -> None:
    open_work(world, risks_n=2)
    client.force_login(world.users[Role.GRID_WORKER])
    page = client.get(reverse("accounts:home_grid")).content.decode()
    assert reverse("grid_work:detail", args=[world.grid.pk]) in page
    assert "未化解隐患 2" in page
    client.force_login(world.users[Role.DEPUTY])
    page = client.get(reverse("accounts:home_deputy")).content.decode()
    assert reverse("grid_work:detail", args=[world.grid.pk]) in page
    client.force_login(world.users[Role.PRESIDIUM])  # the presidium member is placed in no grid
    assert "您还没有负责或联系的网格" in client.get(reverse("accounts:home_presidium")).content.decode()
    assert petition  # helper reused by the metrics tests
