"""Motion pages: the list (constant query count, filter, export), drafting by a deputy, signing and
submitting from the page, the presidium's decision, the settings page, the home card and the
suggestion page's link back to the motion."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core.roles import Role
from renda.motions import selectors, services
from renda.motions.models import Motion, MotionSettings
from renda.motions.tests.helpers import D, motion, presidium, session, submitted

pytestmark = pytest.mark.django_db


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/motions/").status_code == 200
    return len(ctx.captured_queries)


def test_list_constant_queries_filter_and_export(world: World, client: Client) -> None:
    s = session(world)
    motion(world, s, signers=2)
    client.force_login(world.users[Role.STAFF])
    one = _list_queries(client)
    motion(world, s, signers=3, title="关于村道硬化的议案")
    submitted(world, s, title="关于垃圾分类的议案")
    assert _list_queries(client) == one
    page = client.get("/motions/", {"state": "submitted"}).content.decode()
    assert "关于垃圾分类的议案" in page and "关于村道硬化的议案" not in page
    export = client.get("/motions/", {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]


def test_deputy_drafts_signs_and_the_office_submits(world: World, client: Client) -> None:
    s = session(world)
    client.force_login(world.users[Role.DEPUTY])
    r = client.post("/motions/new/", {"session": s.pk, "title": "关于增设村级卫生室的议案", "reasons": "看病远",
                                      "proposal": "每村一室"})
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Motion.objects.get(title="关于增设村级卫生室的议案")
    assert m.lead_deputy == world.deputy and m.signatures.count() == 1
    page = client.get(f"/motions/{m.pk}/").content.decode()
    assert 'id="action-submit"' in page and 'id="signatures"' in page and "1 / 至少 5 人" in page
    # another deputy signs as themselves from the page
    client.force_login(world.extra_user)
    r = client.post(f"/motions/{m.pk}/do/sign/", {"sign-state": "draft"})
    assert r.status_code == 302 and m.signatures.filter(deputy=world.plain_deputy).exists()
    # a submission with too few signers is refused on the page, in words
    client.force_login(world.users[Role.STAFF])
    r = client.post(f"/motions/{m.pk}/do/submit/", {"submit-state": "draft", "submit-at": "2023-01-12T15:00"})
    assert r.status_code == 400 and "5 名以上代表联名" in r.content.decode()


def test_presidium_decides_from_the_page_and_the_suggestion_links_back(world: World, client: Client) -> None:
    m = submitted(world)
    client.force_login(world.users[Role.PRESIDIUM])
    home = client.get("/", follow=True).content.decode()
    assert "待主席团决定的议案" in home and m.code in home
    r = client.post(f"/motions/{m.pk}/do/reject/", {"reject-state": "submitted", "reject-on": "2023-01-12",
                                                    "reject-reason": ""})
    assert r.status_code == 400
    r = client.post(f"/motions/{m.pk}/do/to_suggestion/", {
        "tosuggestion-state": "submitted", "tosuggestion-on": "2023-01-13", "tosuggestion-reason": ""})
    assert r.status_code == 302, re.findall(r'(?:invalid-feedback d-block|alert-danger)">([^<]*)', r.content.decode())
    m.refresh_from_db()
    assert m.state == "suggestion"
    page = client.get(f"/suggestions/{m.suggestion_id}/").content.decode()
    assert "来源议案" in page and f"/motions/{m.pk}/" in page
    assert not selectors.awaiting_decision(presidium(world)).exists()


def test_settings_page(world: World, client: Client) -> None:
    s = session(world)
    client.force_login(world.users[Role.STAFF])
    assert client.get("/motions/settings/").status_code == 200
    assert client.post("/motions/settings/", {"form": "settings", "min_signers": "1"}).status_code == 400
    assert client.post("/motions/settings/", {"form": "settings", "min_signers": "3"}).status_code == 302
    assert MotionSettings.objects.get(town=world.town).min_signers == 3
    r = client.post("/motions/settings/", {"form": "limit", "session": s.pk, "deadline": "2023-01-20T12:00"})
    assert r.status_code == 400 and "会议期间" in r.content.decode()
    r = client.post("/motions/settings/", {"form": "limit", "session": s.pk, "deadline": "2023-01-12T17:00"})
    assert r.status_code == 302
    assert selectors.deadline_of(s).hour == 9  # 17:00 in Asia/Shanghai is 09:00 UTC
    client.force_login(world.users[Role.PRESIDIUM])
    assert client.get("/motions/settings/").status_code == 403
    services.settings_set(actor=None, town=world.town, min_signers=5)
    assert D("2023-01-12")
