"""THE PII scan: one petition with a known name, ID number, phone and address; every petitions
page, export and API response, as each role, holds none of them — except the response to a
reveal (and a notice download) by a role allowed to reveal, each of which is an audit event.
The raw database rows hold none of them either."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponseBase
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.privacy import REVEAL_VERB
from renda.core.roles import Role
from renda.petitions import services
from renda.petitions.tests.helpers import ID_NUMBER, NAME, PHONE, PII, petition, staff

pytestmark = pytest.mark.django_db
REVEALERS = {Role.STAFF, Role.PRESIDIUM}
TODAY = dt.date.today()


def text_of(response: HttpResponseBase) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        wb = load_workbook(io.BytesIO(body), read_only=True)
        rows = (r for ws in wb for r in ws.iter_rows(values_only=True))
        return "\n".join(" ".join(str(c) for c in r if c is not None) for r in rows)
    if "wordprocessingml" in kind:
        return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    if "json" in kind:
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode("utf-8")


def leaks(text: str) -> list[str]:
    return [v for v in PII if v in text]


def seed(world: World) -> Any:
    p = petition(world, on=TODAY)
    services.petition_accept(actor=staff(world), petition_id=p.pk, on=TODAY)
    services.petition_route(actor=staff(world), petition_id=p.pk, presidium_member=world.presidium_deputy, on=TODAY)
    return p


def urls(p: Any) -> list[str]:
    base = [
        "/petitions/", "/petitions/?export=xlsx", f"/petitions/?q={p.code}", "/petitions/?due=due_soon",
        f"/petitions/{p.pk}/", "/petitions/queue/", "/petitions/new/", "/petitions/instructions/",
        "/petitions/instructions/?tab=done", "/petitions/lookup/",
        "/api/petitions", f"/api/petitions/{p.pk}", f"/api/petitions?q={p.code}", "/ledger/export/",
    ]
    base += [f"/petitions/queue/?tab={t}" for t in ("handling", "due_soon", "overdue", "reviews", "instructions")]
    return base


@pytest.mark.parametrize("role", list(Role))
def test_no_page_export_or_api_response_shows_personal_data(world: World, role: Role) -> None:
    p = seed(world)
    client = Client()
    client.force_login(world.users[role])
    before = AuditEvent.objects.filter(verb=REVEAL_VERB).count()
    for url in urls(p):
        response = client.get(url)
        if response.status_code == 200:
            assert not leaks(text_of(response)), (role, url)
    # The lookup finds the petition by the keyed hash and does not echo what was typed.
    response = client.post("/petitions/lookup/", {"id_number": ID_NUMBER, "phone": PHONE})
    assert response.status_code == (200 if role in REVEALERS else 403)
    assert not leaks(text_of(response)), role
    if role in REVEALERS:
        assert p.code in text_of(response)
    # Nothing seen so far was a reveal.
    assert AuditEvent.objects.filter(verb=REVEAL_VERB).count() == before


@pytest.mark.parametrize("role", list(Role))
def test_only_a_revealer_who_reveals_sees_it_and_it_is_audited(world: World, role: Role) -> None:
    p = seed(world)
    client = Client()
    client.force_login(world.users[role])
    user = world.users[role]
    for url, kind in ((f"/petitions/{p.pk}/reveal/", "page"), (f"/api/petitions/{p.pk}/reveal", "api"),
                      (f"/petitions/{p.pk}/notices/accept/", "notice"),
                      (f"/api/petitions/{p.pk}/notices/accept", "notice")):
        before = AuditEvent.objects.filter(verb=REVEAL_VERB, actor=user).count()
        if kind == "page":
            response = client.post(url, {"reason": "电话回访信访人"})
        elif kind == "api":
            response = client.post(url, data=json.dumps({"reason": "电话回访信访人"}), content_type="application/json")
        else:
            response = client.get(url)
        after = AuditEvent.objects.filter(verb=REVEAL_VERB, actor=user).count()
        if role in REVEALERS:
            assert response.status_code == 200, (role, url)
            text = text_of(response)
            assert NAME in text, (role, url)
            if kind != "notice":
                assert ID_NUMBER in text and PHONE in text
            assert after == before + 1
            event = AuditEvent.objects.filter(verb=REVEAL_VERB, actor=user).order_by("-id").first()
            assert event is not None and event.target_id == str(p.pk)
            assert event.comment == ("生成告知书" if kind == "notice" else "电话回访信访人")
            assert not leaks(json.dumps([event.before, event.after, event.comment], ensure_ascii=False))
        else:
            assert response.status_code in {403, 404}, (role, url)
            assert not leaks(text_of(response))
            assert after == before
    # The page after a reveal is masked again.
    if role in REVEALERS:
        assert not leaks(text_of(client.get(f"/petitions/{p.pk}/")))


def test_reveal_needs_a_reason(world: World) -> None:
    p = seed(world)
    client = Client()
    client.force_login(staff(world))
    response = client.post(f"/petitions/{p.pk}/reveal/", {"reason": "看"})
    assert response.status_code == 400 and not leaks(text_of(response))
    response = client.post(f"/api/petitions/{p.pk}/reveal", data=json.dumps({"reason": "看"}),
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()


def test_htmx_reveal_returns_only_the_partial(world: World) -> None:
    p = seed(world)
    client = Client()
    client.force_login(staff(world))
    response = client.post(f"/petitions/{p.pk}/reveal/", {"reason": "电话回访信访人"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    assert NAME in text and "<html" not in text


def test_audit_trail_of_the_petition_holds_no_personal_data(world: World) -> None:
    seed(world)
    events = AuditEvent.objects.filter(target_type="petitions.petition")
    assert events.exists()
    dump = json.dumps([[e.before, e.after, e.comment, e.target_label] for e in events], ensure_ascii=False)
    assert not leaks(dump)


def test_raw_rows_hold_no_plain_id_number_or_phone(world: World) -> None:
    seed(world)
    with connection.cursor() as cursor:
        dumps = []
        for table in ("petitions_petition", "petitions_petitioner", "petitions_transition",
                      "petitions_reviewinstruction", "audit_auditevent"):
            cursor.execute(f"SELECT * FROM {table}")
            dumps.append(repr(cursor.fetchall()))
    raw = "".join(dumps)
    assert ID_NUMBER not in raw and PHONE not in raw and NAME not in raw
