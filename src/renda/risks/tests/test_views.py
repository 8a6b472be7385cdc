"""Risk pages: list (constant query count, filters, search, export), register, actions."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from tests.support import World

from renda.core.roles import Role
from renda.risks import selectors, services
from renda.risks.models import Risk
from renda.risks.tests.helpers import ID_NUMBER, D, make_risk

pytestmark = pytest.mark.django_db


def test_list_query_count_is_constant(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    make_risk(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/risks/?sort=-registered_on").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        make_risk(world, title=f"纠纷{i}")
    assert count() == few


def test_filters_search_and_export(world: World, client: Client) -> None:
    staff = world.users[Role.STAFF]
    a = make_risk(world, title="征地补偿纠纷", level="high")
    b = make_risk(world, title="物业纠纷", participants=[], on=D("2023-05-01"))
    services.risk_resolve(actor=staff, risk_id=a.pk, resolved_on=D("2023-03-10"))
    client.force_login(staff)

    def codes(query: str) -> set[str]:
        text = client.get(f"/risks/?{query}").content.decode()
        return {r.code for r in (a, b) if r.code in text}

    assert codes("state=resolved") == {a.code}
    assert codes("state=open") == {b.code}
    assert codes("level=high") == {a.code}
    assert codes("with_deputies=yes") == {a.code}
    assert codes("with_deputies=no") == {b.code}
    assert codes("date_from=2023-04-01") == {b.code}
    assert codes(f"grid={world.grid.pk}") == {a.code, b.code}
    assert codes("q=物业") == {b.code}
    res = client.get("/risks/?state=resolved&export=xlsx")
    ws = load_workbook(io.BytesIO(b"".join(res.streaming_content)), read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == a.code and "张*三" in rows[1]


def test_register_through_the_page(world: World, client: Client) -> None:
    client.force_login(world.users[Role.GRID_WORKER])
    page = client.get("/risks/new/").content.decode()
    assert "上报信访隐患" in page
    res = client.post("/risks/new/", {
        "title": "排水沟纠纷", "level": "low", "grid": world.grid.pk, "description": "两户争执", "join": "on",
        "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0",
        "people-0-name": "李四", "people-0-id_number": ID_NUMBER, "people-0-phone": "13900000000",
        "people-0-role": "反映人", "people-1-name": "", "people-2-name": "",
    })
    assert res.status_code == 302, res.content.decode()[:2000]
    r = Risk.objects.get(title="排水沟纠纷")
    assert r.village == world.village and r.people.count() == 1
    assert list(r.participants.values_list("grid_worker", flat=True)) == [world.grid_worker.pk]
    bad = client.post("/risks/new/", {"title": "", "level": "low", "grid": world.grid.pk,
                                      "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0",
                                      "people-0-name": "王五", "people-0-id_number": "123"})
    assert bad.status_code == 400


def test_actions_through_the_pages(world: World, client: Client) -> None:
    r = make_risk(world)
    client.force_login(world.users[Role.DEPUTY])
    page = client.get(f"/risks/{r.pk}/").content.decode()
    assert "开始化解" in page and "上报" not in page.split('id="actions"')[1].split("处理记录")[0]
    assert client.post(f"/risks/{r.pk}/do/start/", {"start-state": "registered"}).status_code == 302
    today = timezone.localdate().isoformat()
    assert client.post(f"/risks/{r.pk}/do/log_step/", {"logstep-state": "resolving", "logstep-on": today,
                                                        "logstep-text": "走访双方"}).status_code == 302
    x = r.participants.get(deputy=world.deputy)
    assert client.post(f"/risks/{r.pk}/participants/{x.pk}/part/", {f"part{x.pk}-part": "主持调解"}).status_code == 302
    stale = client.post(f"/risks/{r.pk}/do/start/", {"start-state": "registered"})
    assert stale.status_code == 400
    early = client.post(f"/risks/{r.pk}/do/resolve/", {"resolve-state": "resolving",
                                                        "resolve-resolved_on": "2023-01-01"})
    assert early.status_code == 400 and "早于登记日期" in early.content.decode()
    assert client.post(f"/risks/{r.pk}/do/resolve/", {"resolve-state": "resolving",
                                                       "resolve-resolved_on": today}).status_code == 302
    r.refresh_from_db()
    assert r.state == "resolved" and r.steps.count() == 1
    detail = client.get(f"/risks/{r.pk}/").content.decode()
    assert "主持调解" in detail and "走访双方" in detail and "已化解" in detail


def test_escalate_and_reopen_by_the_office(world: World, client: Client) -> None:
    r = make_risk(world)
    client.force_login(world.users[Role.STAFF])
    assert client.post(f"/risks/{r.pk}/do/escalate/", {"escalate-state": "registered", "escalate-to": "区信访局",
                                                        "escalate-reason": "涉及区级部门"}).status_code == 302
    assert client.post(f"/risks/{r.pk}/do/reopen/", {"reopen-state": "escalated",
                                                      "reopen-reason": "交回属地"}).status_code == 302
    assert Risk.objects.get(pk=r.pk).state == "resolving"
    x = r.participants.get(grid_worker=world.grid_worker)
    assert client.post(f"/risks/{r.pk}/participants/{x.pk}/remove/").status_code == 302
    assert client.post(f"/risks/{r.pk}/do/assign/", {"assign-state": "resolving",
                                                      "assign-deputy": world.plain_deputy.pk,
                                                      "assign-part": "释法"}).status_code == 302
    assert r.participants.filter(deputy=world.plain_deputy, part="释法").exists()


def test_open_for_home_pages(world: World) -> None:
    staff = world.users[Role.STAFF]
    a = make_risk(world)
    make_risk(world, title="已化解", participants=[])
    services.risk_resolve(actor=staff, risk_id=Risk.objects.get(title="已化解").pk, resolved_on=D("2023-03-02"))
    services.risk_escalate(actor=staff, risk_id=a.pk, to="镇党委", reason="协调")
    assert list(selectors.open_for(staff)) == [a]
    assert list(selectors.open_for(world.users[Role.GRID_WORKER])) == [a]
    assert list(selectors.open_for(world.other_staff)) == []
    assert selectors.risk_counts(staff) == {"total": 1, "high": 0, "escalated": 1}


def test_api_register_act_and_filters(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    res = client.post("/api/risks", {
        "title": "土地流转纠纷", "level": "high", "grid_id": world.grid.pk,
        "people": [{"name": "赵六", "phone": "13700000000", "role": "农户"}],
        "participants": [{"deputy_id": world.deputy.pk, "part": "约谈种植大户"}],
    }, content_type="application/json")
    assert res.status_code == 201, res.json()
    rid = res.json()["id"]
    assert res.json()["people"][0]["name"] == "赵*"
    bad = client.post(f"/api/risks/{rid}/actions", {"action": "resolve"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "resolved_on" in bad.json()["fields"]
    illegal = client.post(f"/api/risks/{rid}/actions", {"action": "reopen", "reason": "x"},
                          content_type="application/json")
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"
    today = timezone.localdate().isoformat()
    ok = client.post(f"/api/risks/{rid}/actions", {"action": "resolve", "resolved_on": today},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "resolved"
    assert client.get("/api/risks?with_deputies=true&state=resolved").json()["count"] == 1
    assert client.get("/api/risks?open=true").json()["count"] == 0
    step = client.post(f"/api/risks/{rid}/steps", {"text": "x"}, content_type="application/json")
    assert step.status_code == 409
    pid = client.get(f"/api/risks/{rid}/participants").json()[0]["id"]
    part = client.patch(f"/api/risks/{rid}/participants/{pid}", {"part": "约谈并促成协议"},
                        content_type="application/json")
    assert part.status_code == 200 and part.json()["part"] == "约谈并促成协议"
