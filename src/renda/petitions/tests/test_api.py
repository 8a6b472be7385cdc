"""/api/petitions: a whole lifecycle through the API, masking, conflicts, the error shape."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.petitions.tests.helpers import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_lifecycle(world: World) -> None:
    staff = Client()
    staff.force_login(world.users[Role.STAFF])
    d = lambda n: (TODAY - dt.timedelta(days=n)).isoformat()  # noqa: E731
    r = post(staff, "/api/petitions", {
        "channel": "letter", "subject": "反映征地补偿", "content": "未足额发放", "grid_id": world.grid.pk,
        "petitioners": [{"name": NAME, "id_number": ID_NUMBER, "phone": PHONE}], "on": d(40)})
    assert r.status_code == 201, r.content
    body = r.json()
    pid = body["id"]
    assert body["petitioners"][0]["name"] == "欧**远" and NAME not in r.content.decode("unicode_escape")
    assert body["state"] == "registered" and "accept" in body["allowed_actions"]
    steps = [("accept", {"on": d(38)}), ("extend", {"days": 10, "reason": "需鉴定", "on": d(30)}),
             ("route", {"presidium_member_id": world.presidium_deputy.pk, "on": d(30)}),
             ("issue_opinion", {"opinion": "已解决", "on": d(20)}), ("request_review", {"on": d(10)}),
             ("answer_review", {"answer": "维持", "on": d(5)}), ("request_rereview", {"on": d(3)}),
             ("answer_rereview", {"answer": "维持", "on": d(1)})]
    for action, payload in steps:
        version = staff.get(f"/api/petitions/{pid}").json()["version"]
        r = post(staff, f"/api/petitions/{pid}/{action}", {"version": version, **payload})
        assert r.status_code == 200, (action, r.content)
    detail = staff.get(f"/api/petitions/{pid}").json()
    assert detail["state"] == "final" and detail["extension_days"] == 10
    assert set(detail["notices"]) == {"accept", "extend", "opinion"}
    assert [t["action"] for t in detail["timeline"]][-1] == "answer_rereview"
    presidium = Client()
    presidium.force_login(world.users[Role.PRESIDIUM])
    r = post(presidium, f"/api/petitions/{pid}/instruct", {"version": detail["version"], "text": "阅"})
    assert r.status_code == 200 and r.json()["instructions"][0]["text"] == "阅"


def test_stale_version_and_illegal_action(world: World) -> None:
    staff = Client()
    staff.force_login(world.users[Role.STAFF])
    pid = post(staff, "/api/petitions", {"channel": "visit", "subject": "x",
                                         "petitioners": [{"name": "张三"}]}).json()["id"]
    assert post(staff, f"/api/petitions/{pid}/accept", {"version": 0}).status_code == 200
    r = post(staff, f"/api/petitions/{pid}/decline", {"version": 0, "reason": "x"})
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = post(staff, f"/api/petitions/{pid}/request_review", {"version": 1})
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    r = post(staff, f"/api/petitions/{pid}/extend", {"version": 1, "days": 31, "reason": "x"})
    assert r.status_code == 422 and "days" in r.json()["fields"]
    r = post(staff, "/api/petitions", {"channel": "visit", "subject": "x",
                                       "petitioners": [{"name": "张三", "id_number": "340302198505121230"}]})
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "id_number" in r.json()["fields"]


def test_filters(world: World) -> None:
    staff = Client()
    staff.force_login(world.users[Role.STAFF])
    post(staff, "/api/petitions", {"channel": "visit", "subject": "来访一", "petitioners": [{"name": "张三"}]})
    post(staff, "/api/petitions", {"channel": "letter", "subject": "来信二", "petitioners": [{"name": "李四"}],
                                   "on": (TODAY - dt.timedelta(days=30)).isoformat()})
    assert staff.get("/api/petitions?channel=letter").json()["count"] == 1
    assert staff.get("/api/petitions?overdue=true").json()["count"] == 1
    assert staff.get("/api/petitions?q=来访").json()["count"] == 1
    assert staff.get("/api/petitions?state=registered").json()["count"] == 2
