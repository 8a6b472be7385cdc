"""The presidium API: plans, tasks (with the half-year review), divisions and information items —
town-scoped, the same services and policy as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.accounts.services import api_token_create
from renda.core.roles import Role
from renda.presidium.tests.helpers import make_info, make_task

pytestmark = pytest.mark.django_db


def api(world: World, role: str, method: str, path: str, data: Any = None, **params: Any) -> Any:
    token = api_token_create(actor=None, user=world.users[role], name="t")[1]
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "get":
        return Client().get(f"/api/presidium{path}", params, **kwargs)
    return Client().post(f"/api/presidium{path}", data, content_type="application/json", **kwargs)


def test_plans_and_tasks_are_town_scoped_and_reviewed(world: World) -> None:
    ours, theirs = make_task(world), make_task(world, other=True)
    r = api(world, Role.DEPUTY, "get", "/tasks", due_half="2023H1")
    assert r.status_code == 200 and [x["id"] for x in r.json()["items"]] == [ours.pk]
    assert api(world, Role.DEPUTY, "get", f"/tasks/{theirs.pk}").status_code == 404
    assert api(world, Role.DEPUTY, "get", f"/plans/{ours.plan_id}").json()["year"] == 2023
    assert api(world, Role.UNIT, "get", "/plans").status_code == 403
    body = {"half": "2023H1", "status": "under_way", "note": "已走访8个村"}
    assert api(world, Role.DEPUTY, "post", f"/tasks/{ours.pk}/review", body).status_code == 403
    r = api(world, Role.PRESIDIUM, "post", f"/tasks/{ours.pk}/review", body)
    assert r.status_code == 200 and r.json()["reviews"][0]["status"] == "under_way"
    r = api(world, Role.PRESIDIUM, "post", f"/tasks/{ours.pk}/review", {**body, "half": "2022H2"})
    assert r.status_code == 400 and "half" in r.json()["fields"]


def test_information_items(world: World) -> None:
    make_info(world, other=True)
    r = api(world, Role.STAFF, "post", "/information", {"title": "我镇代表述职", "submitted_on": "2023-05-10",
                                                      "recipient": "district", "adopted": True})
    assert r.status_code == 400 and "adopted_on" in r.json()["fields"]
    r = api(world, Role.STAFF, "post", "/information", {"title": "我镇代表述职", "submitted_on": "2023-05-10",
                                                      "recipient": "district", "adopted": True,
                                                      "adopted_on": "2023-05-20"})
    assert r.status_code == 201
    assert [x["title"] for x in api(world, Role.STAFF, "get", "/information").json()["items"]] == ["我镇代表述职"]
    assert api(world, Role.DEPUTY, "get", "/information").status_code == 403
