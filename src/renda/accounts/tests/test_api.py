"""/api/me and /api/tokens; bearer-token and session authentication (with CSRF)."""

import itertools
import json
from typing import Any

import pytest
from django.test import Client
from tests import support as testing
from tests.support import World

from renda.accounts.models import ApiToken
from renda.accounts.services import api_token_create, api_token_revoke, user_deactivate
from renda.audit.models import AuditEvent
from renda.core.roles import Role

ROLES = list(Role)  # presidium, staff, deputy, unit, grid_worker, district_viewer, admin


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_seq", itertools.count(1))


def client_for(user: Any, **kwargs: Any) -> Client:
    c = Client(**kwargs)
    c.force_login(user)
    return c


def post(client: Client, url: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **headers)


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("role", ROLES)
def test_me_and_own_tokens_for_every_role(world: World, role: str) -> None:
    user = world.users[role]
    c = client_for(user)
    me = c.get("/api/me")
    assert me.status_code == 200
    body = me.json()
    assert (body["id"], body["role"]) == (user.pk, role)
    assert body["town"] == ({"id": world.town.pk, "name": world.town.name, "code": world.town.code}
                            if role not in {Role.DISTRICT_VIEWER, Role.ADMIN} else None)
    assert body["home"].startswith("/home/")
    assert (body["deputy"] is not None) == (role in {Role.DEPUTY, Role.PRESIDIUM})
    assert (body["unit"] is not None) == (role == Role.UNIT)
    assert (body["grid_worker"] is not None) == (role == Role.GRID_WORKER)

    created = post(c, "/api/tokens", {"name": "对接"})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert raw.startswith("rd_") and created.json()["prefix"] == raw[3:9]
    listed = c.get("/api/tokens").json()
    assert listed["count"] == 1 and "token" not in listed["items"][0]
    someone_else = world.other_staff if role != Role.STAFF else world.users[Role.ADMIN]
    foreign, _raw = api_token_create(actor=None, user=someone_else, name="别人的")
    assert post(c, f"/api/tokens/{foreign.pk}/revoke").status_code == 404
    revoked = post(c, f"/api/tokens/{created.json()['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert Client().get("/api/me", **bearer(raw)).status_code == 401


def test_bearer_token_reads_and_writes_without_csrf(world: World) -> None:
    staff = world.users[Role.STAFF]
    _token, raw = api_token_create(actor=None, user=staff, name="集成")
    c = Client(enforce_csrf_checks=True)
    assert c.get("/api/me", **bearer(raw)).json()["id"] == staff.pk
    assert c.get("/api/regions", **bearer(raw)).status_code == 200
    r = post(c, "/api/units", {"name": "令牌单位", "kind": "other"}, **bearer(raw))
    assert r.status_code == 201, r.content
    event = AuditEvent.objects.get(verb="unit.create", target_id=str(r.json()["id"]))
    assert (event.actor_id, event.source) == (staff.pk, "api")
    # a token user gets the same 403/404 as on a session
    assert post(c, "/api/regions", {"code": "340399999000", "name": "x", "level": "town"},
                **bearer(raw)).status_code == 403
    assert c.get(f"/api/units/{world.other_unit.pk}", **bearer(raw)).status_code == 404


def test_a_revoked_invalid_or_orphaned_token_is_401(world: World) -> None:
    staff = world.users[Role.STAFF]
    token, raw = api_token_create(actor=None, user=staff, name="x")
    c = Client(enforce_csrf_checks=True)
    assert c.get("/api/me", **bearer(raw)).status_code == 200
    api_token_revoke(actor=None, token_id=token.pk)
    for headers in (bearer(raw), bearer("rd_nonsense"), {"HTTP_AUTHORIZATION": "Basic abc"}, {}):
        r = c.get("/api/units", **headers)
        assert r.status_code == 401
        assert r.json()["code"] == "unauthorized" and set(r.json()) == {"code", "message", "fields"}
        assert post(c, "/api/units", {"name": "x", "kind": "other"}, **headers).status_code == 401
    _t, raw2 = api_token_create(actor=None, user=world.users[Role.DEPUTY], name="y")
    user_deactivate(actor=None, user_id=world.users[Role.DEPUTY].pk)
    assert c.get("/api/me", **bearer(raw2)).status_code == 401


def test_session_writes_need_the_csrf_token(world: World) -> None:
    c = client_for(world.users[Role.STAFF], enforce_csrf_checks=True)
    assert c.get("/api/units").status_code == 200  # safe methods need no token
    r = post(c, "/api/units", {"name": "会话单位", "kind": "other"})
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
    r = c.patch(f"/api/units/{world.unit.pk}", data=json.dumps({"name": "x"}),
                content_type="application/json")
    assert r.status_code == 403
    page = c.get("/api/docs")  # any page that renders a token sets the cookie
    token = c.cookies["csrftoken"].value
    assert page.status_code == 200
    r = post(c, "/api/units", {"name": "会话单位", "kind": "other"}, HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201, r.content


def test_tokens_are_minted_only_from_a_session(world: World) -> None:
    staff = world.users[Role.STAFF]
    _t, raw = api_token_create(actor=None, user=staff, name="x")
    r = post(Client(enforce_csrf_checks=True), "/api/tokens", {"name": "再来一个"}, **bearer(raw))
    assert r.status_code == 401
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_token_create_and_revoke_are_audited(world: World) -> None:
    user = world.users[Role.DEPUTY]
    c = client_for(user)
    token_id = post(c, "/api/tokens", {"name": "手机"}).json()["id"]
    post(c, f"/api/tokens/{token_id}/revoke")
    post(c, f"/api/tokens/{token_id}/revoke")  # revoking twice changes nothing
    assert list(AuditEvent.objects.filter(actor=user).values_list("verb", "source")) == [
        ("api_token.create", "api"), ("api_token.revoke", "api")]
    r = post(c, "/api/tokens", {"name": ""})
    assert r.status_code == 422 and "name" in r.json()["fields"]
