"""The motions API: scoping (a unit sees the motions whose follow-up it carries, another town's is
a 404), drafting as a deputy, the same rules as the pages (signers refused in words)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.motions import services
from renda.motions.tests.helpers import D, motion, session, submitted

pytestmark = pytest.mark.django_db


def test_list_detail_scoped(world: World, client: Client) -> None:
    m = services.motion_put_on_agenda(actor=None, motion_id=submitted(world).pk, on=D("2023-01-12"))
    services.motion_adopt(actor=None, motion_id=m.pk, resolution="决议", on=D("2023-01-13"), units=[world.unit])
    other = services.motion_create(actor=None, session=session(world, town=world.other_town), title="外镇",
                                   submitted_by="presidium")
    client.force_login(world.users[Role.STAFF])
    items = client.get("/api/motions").json()["items"]
    assert [i["code"] for i in items] == [m.code] and items[0]["signers"] == 5
    assert client.get(f"/api/motions/{other.pk}").status_code == 404
    detail = client.get(f"/api/motions/{m.pk}").json()
    assert detail["state"] == "adopted" and "finish" in detail["allowed_actions"] and len(detail["signatures"]) == 5
    client.force_login(world.users[Role.UNIT])
    assert [i["id"] for i in client.get("/api/motions").json()["items"]] == [m.pk]
    r = client.post(f"/api/motions/{m.pk}/actions", {"action": "progress", "text": "已开工", "on": "2023-03-01"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["follow_up"] == "已开工"
    client.force_login(world.users[Role.GRID_WORKER])
    assert client.get("/api/motions").status_code == 403


def test_deputy_drafts_and_submission_is_refused_with_too_few_signers(world: World, client: Client) -> None:
    s = session(world)
    client.force_login(world.users[Role.DEPUTY])
    r = client.post("/api/motions", {"session_id": s.pk, "title": "关于增设村级卫生室的议案"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["lead_deputy"]["id"] == world.deputy.pk
    m_id = r.json()["id"]
    r = client.post(f"/api/motions/{m_id}/actions", {"action": "submit"}, content_type="application/json")
    assert r.status_code == 400
    r = client.post(f"/api/motions/{m_id}/actions", {"action": "fly"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["fields"]["action"]
    assert motion(world, s, signers=1).pk  # the office drafts for the deputies too
