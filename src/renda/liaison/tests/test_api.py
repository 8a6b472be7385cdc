"""/api/liaison: the same scoping, policy and services as the pages; errors in the shared shape;
personal data masked unless revealed with a reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.liaison.models import PresidiumContact, VoterContact
from renda.liaison.tests.helpers import VISITOR, make_presidium_contact, make_reception, make_station, make_voter
from renda.liaison.tests.helpers import make_voter_contact as contact

API = "/api/liaison"
pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", list(Role))
def test_lists_by_role(world: World, client: Client, role: Role) -> None:
    own, other = contact(world), contact(world, other=True)
    client.force_login(world.users[role])
    r = client.get(f"{API}/voter-contacts")
    if role in {Role.UNIT, Role.GRID_WORKER}:
        assert r.status_code == 403 and r.json()["code"]
        return
    ids = {i["id"] for i in r.json()["items"]}
    assert own.pk in ids
    assert (other.pk in ids) == (role in {Role.DISTRICT_VIEWER, Role.ADMIN})
    assert client.get(f"{API}/voter-contacts/{other.pk}").status_code == (
        200 if role in {Role.DISTRICT_VIEWER, Role.ADMIN} else 404)


def test_a_deputy_records_a_voter_contact(world: World, client: Client) -> None:
    v = make_voter(world)
    client.force_login(world.users[Role.DEPUTY])
    r = post(client, f"{API}/voter-contacts", {"on": "2023-03-01", "way": "visit", "households": 2,
                                               "voter_ids": [v.pk], "issues": "路灯"})
    assert r.status_code == 201, r.content
    c = VoterContact.objects.get()
    assert c.deputy == world.deputy and list(c.voters.all()) == [v]
    r = post(client, f"{API}/voter-contacts", {"deputy_id": world.plain_deputy.pk, "way": "visit"})
    assert r.status_code == 403


def test_presidium_contact_without_assignment_is_a_400(world: World, client: Client) -> None:
    client.force_login(world.users[Role.PRESIDIUM])
    r = post(client, f"{API}/presidium-contacts", {"deputy_id": world.deputy.pk, "on": "2023-03-01", "way": "visit",
                                                   "content": "了解"})
    assert r.status_code == 400 and "没有联系代表" in r.json()["message"] and "deputy" in r.json()["fields"]
    r = post(client, f"{API}/presidium-contacts", {"deputy_id": world.plain_deputy.pk, "on": "2023-03-01",
                                                   "way": "visit", "content": "了解"})
    assert r.status_code == 201 and PresidiumContact.objects.get().presidium_member == world.presidium_deputy


def test_without_contact(world: World, client: Client) -> None:
    make_presidium_contact(world)
    client.force_login(world.users[Role.STAFF])
    names = {d["name"] for d in client.get(f"{API}/without-contact?date_from=2023-01-01&date_to=2023-06-30").json()}
    assert world.plain_deputy.name not in names and world.deputy.name in names
    r = client.get(f"{API}/without-contact?date_from=2023-06-30&date_to=2023-01-01")
    assert r.status_code == 400


def test_reception_flow_and_reveal(world: World, client: Client) -> None:
    r0 = make_reception(world, make_station(world))
    client.force_login(world.users[Role.STAFF])
    body = client.get(f"{API}/receptions/{r0.pk}").json()
    assert body["visitor_name"] != VISITOR and body["allowed_actions"] == ["propose", "turn_away"]
    r = post(client, f"{API}/receptions/{r0.pk}/actions", {"action": "turn_away", "text": "", "on": "2023-03-10"})
    assert r.status_code == 400 and "route" in r.json()["fields"]
    r = post(client, f"{API}/receptions/{r0.pk}/actions", {"action": "propose", "text": "转办", "on": "2023-03-10"})
    assert r.status_code == 200 and r.json()["state"] == "proposed"
    r = post(client, f"{API}/receptions/{r0.pk}/actions", {"action": "file", "on": "2023-03-10"})
    assert r.status_code == 409
    r = post(client, f"{API}/receptions/{r0.pk}/actions", {"action": "propose", "text": "x",
                                                           "expected_state": "registered"})
    assert r.status_code == 409
    r = post(client, f"{API}/receptions/{r0.pk}/reveal", {"reason": "回访来访人"})
    assert r.status_code == 200 and r.json()["visitor_name"] == VISITOR
    client.force_login(world.users[Role.DEPUTY])
    assert post(client, f"{API}/receptions/{r0.pk}/reveal", {"reason": "回访来访人"}).status_code == 403
