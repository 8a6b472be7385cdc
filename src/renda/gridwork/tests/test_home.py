"""A grid worker's home lists their grids' open risks, petitions and suggestions (not another
grid's, not resolved ones), with empty states and constant queries; a deputy's grid card names
the grid's other people, not the deputy."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.support import World, make_deputy

from renda.core.roles import Role
from renda.gridwork.tests.helpers import open_work, petition
from renda.people.services import contact_assignment_create
from renda.risks import services as risks
from renda.risks.tests.helpers import make_risk
from renda.suggestions import services as suggestions

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    m = re.search(rf'<section[^>]*data-queue="{key}".*?</section>', html, re.S)
    assert m, f"no section {key}"
    return m.group(0)


def _home(client: Client, world: World, role: Role = Role.GRID_WORKER) -> str:
    client.force_login(world.users[role])
    url = {Role.GRID_WORKER: "accounts:home_grid", Role.DEPUTY: "accounts:home_deputy"}[role]
    response = client.get(reverse(url))
    assert response.status_code == 200
    return response.content.decode()


def test_grid_worker_home_lists_open_work_of_their_grids(world: World, client: Client) -> None:
    (p,), (r,), (s,) = open_work(world)
    high = make_risk(world, title="高风险的征地纠纷", level="high")
    resolved = make_risk(world, title="已化解的邻里纠纷")
    risks.risk_resolve(actor=world.users[Role.STAFF], risk_id=resolved.pk, resolved_on=resolved.registered_on)
    other_p = petition(world, town=world.other_town, grid=world.other_grid, actor=world.other_staff,
                       subject="别镇的信访事项")
    other_s = suggestions.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public",
                                              title="别镇的群众意见", source="visit", grid=world.other_grid,
                                              anonymous=True)

    html = _home(client, world)
    card = html[html.index('id="grid-work"'):]
    risk_list = section(card, "risks")
    assert high.title in risk_list and r.title in risk_list and resolved.title not in risk_list
    assert risk_list.index(high.title) < risk_list.index(r.title)  # high ones first
    assert reverse("risks:detail", args=[high.pk]) in risk_list
    assert p.subject in section(card, "petitions") and other_p.subject not in html
    assert reverse("petitions:detail", args=[p.pk]) in section(card, "petitions")
    assert s.title in section(card, "suggestions") and other_s.title not in html
    # the petitioner is never on the home page
    assert "李秀英" not in html
    # registering from the card
    for url in ("risks:create", "petitions:create", "suggestions:create"):
        assert reverse(url) in card[:card.index("</div>", card.index("card-header"))]


def test_grid_worker_home_says_when_nothing_is_open(world: World, client: Client) -> None:
    other = petition(world, town=world.other_town, grid=world.other_grid, actor=world.other_staff,
                     subject="别镇的信访事项")
    html = _home(client, world)
    assert "网格内没有未化解的隐患。" in section(html, "risks")
    assert "网格内没有未办结的信访件。" in section(html, "petitions")
    assert "网格内没有未办结的意见建议。" in section(html, "suggestions")
    assert other.subject not in html


def test_grid_worker_home_queries_do_not_grow_with_the_items(world: World, client: Client) -> None:
    open_work(world)
    _home(client, world)
    with CaptureQueriesContext(connection) as few:
        _home(client, world)
    open_work(world, petitions_n=4, risks_n=4, suggestions_n=4)
    with CaptureQueriesContext(connection) as many:
        _home(client, world)
    assert len(many) == len(few)


def test_deputy_grid_card_names_the_others_not_the_deputy(world: World, client: Client) -> None:
    neighbour = make_deputy(world.town, name="同格代表乙", grids=[world.grid])
    contact_assignment_create(actor=None, presidium_member=world.presidium_deputy, deputy=world.deputy)
    html = _home(client, world, Role.DEPUTY)
    grids = html[html.index('id="my-grids"'):]
    deputies_line = re.search(r'data-role="deputies">(.*?)</div>', grids, re.S)
    assert deputies_line
    assert neighbour.name in deputies_line.group(1) and world.deputy.name not in deputies_line.group(1)
    assert world.grid_worker.name in re.search(r'data-role="workers">(.*?)</div>', grids, re.S).group(1)  # type: ignore[union-attr]
    contact = html[html.index('id="my-presidium-contact"'):]
    assert world.presidium_deputy.name in contact[:300]


def test_deputy_alone_in_the_grid_sees_no_one_else(world: World, client: Client) -> None:
    html = _home(client, world, Role.DEPUTY)
    line = re.search(r'data-role="deputies">(.*?)</div>', html, re.S)
    assert line and world.deputy.name not in line.group(1) and "—" in line.group(1)
    assert "尚未安排" in html[html.index('id="my-presidium-contact"'):]
