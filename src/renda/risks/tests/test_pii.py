"""Personal data of the people involved: encrypted at rest, masked on every page, export and API
response for every role; shown in clear only after an audited reveal by the town's office."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook
from tests.support import World

from renda.audit import context
from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.ledger.exporter import ledger_sheets, write_workbook
from renda.risks.models import RiskPerson
from renda.risks.tests.helpers import ADDRESS, ID_NUMBER, NAME, PHONE, make_risk

pytestmark = pytest.mark.django_db
PLAIN = (NAME, ID_NUMBER, PHONE, ADDRESS)
MASKED = ("张*三", "1101**********002X", "138****5678")


def body(response) -> str:  # type: ignore[no-untyped-def]
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def test_raw_row_holds_no_plain_data(world: World) -> None:
    r = make_risk(world)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM risks_riskperson WHERE risk_id = %s", [r.pk])
        raw = " ".join(str(v) for v in cur.fetchone())
    for value in PLAIN:
        assert value not in raw
    p = RiskPerson.objects.get(risk=r)
    assert p.id_hash and p.phone_hash and p.id_number == ID_NUMBER


@pytest.mark.parametrize("role", [r for r in Role if r != Role.UNIT])
def test_pages_exports_and_api_are_masked_for_every_role(world: World, client: Client, role: Role) -> None:
    r = make_risk(world)
    client.force_login(world.users[role])
    seen = [
        client.get("/risks/"), client.get(f"/risks/{r.pk}/"), client.get("/risks/?export=xlsx"),
        client.get("/api/risks"), client.get(f"/api/risks/{r.pk}"),
    ]
    for res in seen:
        assert res.status_code == 200
        text = body(res)
        for value in PLAIN:
            assert value not in text, (res.request["PATH_INFO"], value)
    assert MASKED[0] in body(seen[1]) and MASKED[1] in body(seen[1]) and MASKED[2] in body(seen[1])
    assert MASKED[0] in body(seen[4])


def test_reveal_on_the_page_is_audited_and_shows_clear_data_once(world: World, client: Client) -> None:
    r = make_risk(world)
    client.force_login(world.users[Role.STAFF])
    assert "查看完整信息" in client.get(f"/risks/{r.pk}/").content.decode()
    refused = client.post(f"/risks/{r.pk}/reveal/", {"reveal-reason": ""})
    assert refused.status_code == 400 and NAME not in refused.content.decode()
    shown = client.post(f"/risks/{r.pk}/reveal/", {"reveal-reason": "核实当事人身份"})
    text = shown.content.decode()
    assert shown.status_code == 200 and all(v in text for v in PLAIN)
    event = AuditEvent.objects.get(verb="personal_data.reveal")
    assert event.actor == world.users[Role.STAFF] and event.comment == "核实当事人身份"
    assert NAME not in client.get(f"/risks/{r.pk}/").content.decode()  # not remembered


def test_reveal_through_the_api(world: World, client: Client) -> None:
    r = make_risk(world)
    client.force_login(world.users[Role.PRESIDIUM])
    res = client.post(f"/api/risks/{r.pk}/reveal", {"reason": "核实当事人身份"}, content_type="application/json")
    assert res.status_code == 200 and res.json()[0]["id_number"] == ID_NUMBER
    bad = client.post(f"/api/risks/{r.pk}/reveal", {"reason": ""}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}
    assert AuditEvent.objects.filter(verb="personal_data.reveal").count() == 1
    client.force_login(world.users[Role.DEPUTY])
    res = client.post(f"/api/risks/{r.pk}/reveal", {"reason": "核实当事人身份"}, content_type="application/json")
    assert res.status_code == 403


def test_ledger_export_is_masked_on_the_web_and_clear_for_the_system(world: World) -> None:
    make_risk(world)

    def export() -> str:
        buf = io.BytesIO()
        write_workbook(buf, [s for s in ledger_sheets() if s[0] == "信访隐患"])
        buf.seek(0)
        ws = load_workbook(buf, read_only=True)["信访隐患"]
        return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row)

    with context.bind(source="web"):
        web = export()
    assert all(v not in web for v in PLAIN[:3]) and MASKED[0] in web
    system = export()  # a command: the system on the server
    assert all(v in system for v in PLAIN[:3])


def test_audit_trail_holds_no_plain_data(world: World) -> None:
    make_risk(world)
    for event in AuditEvent.objects.filter(verb__startswith="risk."):
        dump = f"{event.before} {event.after} {event.comment}"
        assert all(v not in dump for v in PLAIN)
