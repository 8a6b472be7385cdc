"""The district viewer's home compares the towns' key figures, each from reports.metrics, with
links to the lists and the statistics; the queries grow with the towns, not with the items."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.support import World

from renda.core.roles import Role
from renda.gridwork.tests.helpers import petition
from renda.reports import metrics
from renda.suggestions.tests.helpers import assigned, public_item

pytestmark = pytest.mark.django_db


def _home(client: Client, world: World) -> str:
    client.force_login(world.users[Role.DISTRICT_VIEWER])
    response = client.get(reverse("accounts:home_district"))
    assert response.status_code == 200
    return response.content.decode()


def _row(html: str, code: str) -> str:
    m = re.search(rf'<tr data-town="{code}">.*?</tr>', html, re.S)
    assert m, code
    return m.group(0)


def _cell(row: str, key: str) -> str:
    m = re.search(rf'data-key="{key}">(?:<a [^>]*>)?([^<]*)<', row)
    assert m, key
    return m.group(1)


def test_each_town_side_by_side_with_the_metrics_figures(world: World, client: Client) -> None:
    today = timezone.localdate()
    for i in range(3):
        assigned(world, public_item(world, title=f"意见{i}", on=today), on=today)
    petition(world, on=today)
    html = _home(client, world)
    card = html[html.index('id="town-comparison"'):]
    period = metrics.Period.parse(str(today.year), today=today)
    for town in (world.town, world.other_town):
        expected = metrics.suggestions_section(period, metrics.Scope((town,), town))
        row = _row(card, town.code)
        assert town.name in row
        assert _cell(row, "received") == str(expected["received"])
        assert _cell(row, "overdue_open") == str(expected["overdue_open"])
        petitions = metrics.petitions_section(period, metrics.Scope((town,), town))
        assert _cell(row, "petitions") == str(petitions["received"])
        # links: the town's statistics and its suggestions of the year
        assert f"town={town.code}" in row and f"town={town.pk}" in row
    assert _cell(_row(card, world.town.code), "received") == "3"
    assert _cell(_row(card, world.other_town.code), "received") == "0"
    assert _cell(_row(card, world.town.code), "petitions") == "1"
    district = metrics.suggestions_section(period, metrics.Scope((world.town, world.other_town), None))
    assert _cell(_row(card, "all"), "received") == str(district["received"])
    for label in ("办结率", "按期办结率", "满意率"):
        assert label in card


def test_other_roles_have_no_town_comparison(world: World, client: Client) -> None:
    for role, url in ((Role.STAFF, "accounts:home_office"), (Role.ADMIN, "accounts:home_admin")):
        client.force_login(world.users[role])
        assert 'id="town-comparison"' not in client.get(reverse(url)).content.decode()


def test_queries_do_not_grow_with_the_items(world: World, client: Client) -> None:
    today = timezone.localdate()
    assigned(world, public_item(world, title="第一件", on=today), on=today)
    petition(world, on=today)
    _home(client, world)
    with CaptureQueriesContext(connection) as few:
        _home(client, world)
    for i in range(6):
        assigned(world, public_item(world, title=f"更多{i}", on=today), on=today)
        petition(world, on=today, subject=f"信访{i}")
    with CaptureQueriesContext(connection) as many:
        _home(client, world)
    assert len(many) == len(few)
