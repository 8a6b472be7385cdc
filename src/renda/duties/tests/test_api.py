"""The duties API: activities (list, detail, plan, actions, attendance), the QR sign-in, the
archive, the ranking and the reports to voters — the same services and policy as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.support import World

from renda.accounts.services import api_token_create
from renda.core.roles import Role
from renda.duties import services
from renda.duties.tests.helpers import make_activity, other_town_activity

pytestmark = pytest.mark.django_db


def api(world: World, role: str, method: str, path: str, data: Any = None, **params: Any) -> Any:
    user = world.users.get(role, role)
    token = api_token_create(actor=None, user=user, name="t")[1]
    c = Client()
    kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "get":
        return c.get(f"/api/duties{path}", params, **kwargs)
    return getattr(c, method)(f"/api/duties{path}", data, content_type="application/json", **kwargs)


def test_list_and_detail_are_town_scoped(world: World) -> None:
    a = make_activity(world)
    o = other_town_activity(world)
    r = api(world, Role.DEPUTY, "get", "/activities", type="judicial_witness")
    assert r.status_code == 200 and [x["code"] for x in r.json()["items"]] == [a.code]
    assert api(world, Role.DEPUTY, "get", f"/activities/{o.pk}").status_code == 404
    assert api(world, Role.UNIT, "get", "/activities").status_code == 403
    body = api(world, Role.STAFF, "get", f"/activities/{a.pk}").json()
    assert "hold" in body["allowed_actions"] and len(body["participants"]) == 2


def test_plan_hold_and_attendance(world: World) -> None:
    r = api(world, Role.STAFF, "post", "/activities", {
        "type": "symposium", "title": "区检察院座谈会", "on": "2023-06-15", "organizer": "区人民检察院",
        "organizer_kind": "procuratorate", "deputy_ids": [world.deputy.pk]})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api(world, Role.STAFF, "put", f"/activities/{pk}/attendance",
            {"deputy_id": world.deputy.pk, "attendance": "attended"})
    assert r.status_code == 200 and r.json()["attendance"] == "attended"
    r = api(world, Role.STAFF, "post", f"/activities/{pk}/actions", {"action": "hold", "outcome": "交流"})
    assert r.status_code == 200 and r.json()["state"] == "held"
    assert api(world, Role.STAFF, "post", f"/activities/{pk}/actions", {"action": "hold"}).status_code == 409
    assert api(world, Role.STAFF, "post", f"/activities/{pk}/actions", {"action": "fly"}).status_code == 400
    assert api(world, Role.DEPUTY, "post", "/activities", {"type": "study", "title": "x", "on": "2023-01-01"}) \
        .status_code == 403
    r = api(world, Role.STAFF, "post", "/activities", {"type": "study", "title": "x", "on": "2023-01-01",
                                                     "deputy_ids": [world.other_deputy.pk]})
    assert r.status_code == 404 and "deputy_ids" in r.json()["fields"]


def test_sign_in_through_the_api(world: World) -> None:
    a = make_activity(world, on=timezone.localdate(), starts_at=None, ends_at=None)
    token = services.signin_token(a)
    r = api(world, Role.DEPUTY, "post", "/signin", {"token": token})
    assert r.status_code == 200 and r.json()["via"] == "qr"
    r = api(world, Role.DEPUTY, "post", "/signin", {"token": token})
    assert r.status_code == 409 and r.json()["code"] == "twice"
    r = api(world, Role.DEPUTY, "post", "/signin", {"token": token + "x"})
    assert r.status_code == 400 and r.json()["code"] == "forged"
    r = api(world, world.extra_user, "post", "/signin", {"token": token})
    assert r.status_code == 400 and r.json()["code"] == "not_participant"


def test_archive_ranking_and_reports(world: World) -> None:
    staff = world.users[Role.STAFF]
    a = make_activity(world)
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.deputy, attendance="attended")
    services.activity_hold(actor=staff, activity_id=a.pk)
    body = api(world, Role.DEPUTY, "get", f"/archive/{world.deputy.pk}").json()
    assert [x["title"] for x in body["others"]] == [a.title] and body["points"] == 3
    assert api(world, Role.DEPUTY, "get", f"/archive/{world.plain_deputy.pk}").status_code == 404
    assert api(world, Role.DEPUTY, "get", "/ranking").status_code == 403
    assert api(world, Role.PRESIDIUM, "get", "/ranking").json()[0]["deputy"]["id"] == world.deputy.pk
    r = api(world, Role.DEPUTY, "post", "/reports", {"deputy_id": world.deputy.pk, "year": 2023})
    assert r.status_code == 201
    pk = r.json()["id"]
    assert api(world, Role.DEPUTY, "post", f"/reports/{pk}/actions", {"action": "submit"}).status_code == 200
    rate = {"action": "rate", "meeting_on": "2023-06-20", "present": 49, "satisfied": 40}
    r = api(world, Role.STAFF, "post", f"/reports/{pk}/actions", rate)
    assert r.status_code == 400 and "到会人数不足" in r.json()["message"]
    r = api(world, Role.STAFF, "post", f"/reports/{pk}/actions", rate | {"present": 50})
    assert r.status_code == 200 and r.json()["satisfied"] == 40 and r.json()["state"] == "rated"
    assert api(world, Role.DEPUTY, "get", "/reports").json()["count"] == 1
