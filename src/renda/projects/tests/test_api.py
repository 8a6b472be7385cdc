"""The projects API: scoping (a unit sees the projects it leads, another town's is a 404), money
as decimal strings (a JSON number is refused), the same services as the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.projects import services
from renda.projects.models import Project
from renda.projects.tests.helpers import candidates, project, staff

pytestmark = pytest.mark.django_db


def test_list_and_detail_scoped(world: World, client: Client) -> None:
    p, other = project(world), project(world, "外镇项目", town=world.other_town)
    services.project_money_set(actor=staff(world), project_id=p.pk, bid_price=Decimal("2876412.35"))
    client.force_login(world.users[Role.STAFF])
    items = client.get("/api/projects").json()["items"]
    assert [i["code"] for i in items] == [p.code]
    assert items[0]["budget"] == "2860000.00" and items[0]["bid_price"] == "2876412.35"
    assert client.get(f"/api/projects/{other.pk}").status_code == 404
    detail = client.get(f"/api/projects/{p.pk}").json()
    assert detail["stages"][0]["stage"] == "initiation" and "plan" in detail["allowed_actions"]
    client.force_login(world.users[Role.UNIT])
    assert client.get("/api/projects").json()["items"] == []
    client.force_login(world.users[Role.GRID_WORKER])
    assert client.get("/api/projects").status_code == 403


def test_money_as_strings_never_numbers(world: World, client: Client) -> None:
    p = project(world)
    client.force_login(world.users[Role.STAFF])
    r = client.post(f"/api/projects/{p.pk}/money", {"paid": "0.10", "contract_price": "0.20"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["paid"] == "0.10"
    assert Project.objects.get(pk=p.pk).paid == Decimal("0.10")
    r = client.post(f"/api/projects/{p.pk}/money", {"paid": 0.1}, content_type="application/json")
    assert r.status_code == 422
    r = client.post(f"/api/projects/{p.pk}/money", {"paid": "1.234"}, content_type="application/json")
    assert r.status_code == 422


def test_progress_report_and_candidates(world: World, client: Client) -> None:
    p = project(world)
    cs = candidates(world, 2)
    client.force_login(world.users[Role.STAFF])
    r = client.post(f"/api/projects/{p.pk}/progress", {"text": "已进场", "on": "2023-05-01"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["text"] == "已进场"
    r = client.post(f"/api/projects/{p.pk}/progress", {"text": "早于票决", "on": "2023-01-01"},
                    content_type="application/json")
    assert r.status_code == 400 and "早于票决日期" in r.json()["message"]
    items = client.get("/api/projects/candidates").json()["items"]
    assert {i["code"] for i in items} == {c.code for c in cs} and items[0]["estimate"] == "1200000.00"
    client.force_login(world.users[Role.UNIT])
    assert client.get("/api/projects/candidates").status_code == 403
