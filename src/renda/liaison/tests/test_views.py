"""Liaison pages: lists (constant query count, filters, export), forms, the reception page and
its actions, reveals, QR codes and landing pages, the home-page warnings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core import crypto
from renda.core.roles import Role
from renda.liaison import services
from renda.liaison.models import Reception, VoterContact
from renda.liaison.tests.helpers import (
    VISITOR,
    D,
    make_group,
    make_presidium_contact,
    make_reception,
    make_station,
    make_voter,
    make_voter_contact,
)

pytestmark = pytest.mark.django_db

LISTS = ["/liaison/voter-contacts/", "/liaison/presidium-contacts/", "/liaison/voters/", "/liaison/groups/",
         "/liaison/meetings/", "/liaison/stations/", "/liaison/reception-days/", "/liaison/receptions/",
         "/liaison/settings/"]


def _fill(world: World, k: int) -> None:
    station = make_station(world, name=f"联络站{k}")
    group = services.group_create(actor=None, town=world.town, name=f"小组{k}", leader=world.deputy,
                                  members=[world.plain_deputy], regions=[world.village])
    services.meeting_create(actor=None, group=group, on=D("2023-03-01"), place="村委会", topics="学习",
                            attendees=[world.deputy])
    make_voter(world)
    make_voter_contact(world)
    make_presidium_contact(world)
    services.reception_day_create(actor=None, station=station, on=D("2023-03-10"), deputies=[world.deputy])
    make_reception(world, station, deputies=[world.deputy])


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_is_constant(world: World, client: Client, url: str) -> None:
    client.force_login(world.users[Role.STAFF])
    services.settings_set(actor=None, town=world.town, voter_contacts_per_year=10, presidium_contacts_per_quarter=1,
                          group_meetings_per_quarter=1)
    _fill(world, 0)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for k in range(1, 5):
        _fill(world, k)
    assert count() == few


@pytest.mark.parametrize("url", LISTS)
def test_every_list_exports_to_excel(world: World, client: Client, url: str) -> None:
    client.force_login(world.users[Role.STAFF])
    _fill(world, 0)
    r = client.get(url + "?export=xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    assert wb.active.max_row >= 1


def test_the_voter_list_shows_voters_masked(world: World, client: Client) -> None:
    make_voter(world)
    client.force_login(world.users[Role.DEPUTY])
    html = client.get("/liaison/voters/").content.decode()
    assert "张小三" not in html and "13812345678" not in html
    assert crypto.mask_name("张小三") in html and crypto.mask_phone("13812345678") in html


def test_a_deputy_records_a_voter_contact(world: World, client: Client) -> None:
    client.force_login(world.users[Role.DEPUTY])
    page = client.get("/liaison/voter-contacts/new/").content.decode()
    assert 'name="deputy"' in page and "disabled" in page  # the deputy is themself
    r = client.post("/liaison/voter-contacts/new/", {"on": "2023-03-01", "way": "visit", "households": "0",
                                                       "issues": "路灯"})
    assert r.status_code == 200 and VoterContact.objects.count() == 0
    r = client.post("/liaison/voter-contacts/new/", {"on": "2023-03-01", "way": "visit", "households": "2",
                                                       "issues": "路灯坏了", "place": "东湖村"})
    c = VoterContact.objects.get()
    assert r.status_code == 302 and c.deputy == world.deputy and c.households == 2
    assert client.get(f"/liaison/voter-contacts/{c.pk}/").status_code == 200


def test_a_contact_without_assignment_is_refused_on_the_page(world: World, client: Client) -> None:
    client.force_login(world.users[Role.PRESIDIUM])
    r = client.post("/liaison/presidium-contacts/new/", {"deputy": world.deputy.pk, "on": "2023-03-01",
                                                          "way": "visit", "content": "了解情况"})
    assert r.status_code == 200 and "没有联系代表" in r.content.decode()
    r = client.post("/liaison/presidium-contacts/new/", {"deputy": world.plain_deputy.pk, "on": "2023-03-01",
                                                          "way": "visit", "content": "了解情况"})
    assert r.status_code == 302


def test_the_reception_page_flow(world: World, client: Client) -> None:
    station = make_station(world)
    client.force_login(world.users[Role.STAFF])
    r = client.post("/liaison/receptions/new/", {"station": station.pk, "on": "2023-03-10",
                                                 "visitor_name": VISITOR, "visitor_phone": "13912345678",
                                                 "visitors": "1", "matter": "对判决不服"})
    rec = Reception.objects.get()
    assert r.status_code == 302
    html = client.get(f"/liaison/receptions/{rec.pk}/").content.decode()
    assert VISITOR not in html and 'id="action-turn_away"' in html and 'id="action-file"' not in html
    r = client.post(f"/liaison/receptions/{rec.pk}/do/turn_away/", {"turnaway-state": "registered",
                                                                     "turnaway-on": "2023-03-10",
                                                                     "turnaway-route": ""})
    assert r.status_code == 400 and "依法处理途径" in r.content.decode()
    r = client.post(f"/liaison/receptions/{rec.pk}/do/turn_away/", {"turnaway-state": "registered",
                                                                     "turnaway-on": "2023-03-10",
                                                                     "turnaway-route": "向上级法院上诉"})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.state == "turned_away"
    r = client.post(f"/liaison/receptions/{rec.pk}/do/propose/", {"propose-state": "turned_away",
                                                                   "propose-on": "2023-03-10",
                                                                   "propose-proposal": "x"})
    assert r.status_code in {400, 409}
    r = client.post(f"/liaison/receptions/{rec.pk}/reveal/", {"reveal-reason": "回访来访人"})
    assert VISITOR in r.content.decode()
    assert AuditEvent.objects.filter(verb="personal_data.reveal").count() == 1


def test_the_voter_reveal_page(world: World, client: Client) -> None:
    v = make_voter(world)
    client.force_login(world.users[Role.DEPUTY])
    assert "张小三" not in client.get(f"/liaison/voters/{v.pk}/reveal/").content.decode()
    r = client.post(f"/liaison/voters/{v.pk}/reveal/", {"reveal-reason": "电话回访"})
    assert "张小三" in r.content.decode()


def test_an_issue_becomes_a_suggestion_from_the_page(world: World, client: Client) -> None:
    c = make_voter_contact(world)
    client.force_login(world.users[Role.DEPUTY])
    assert "转为意见建议" in client.get(f"/liaison/voter-contacts/{c.pk}/").content.decode()
    r = client.post(f"/liaison/contacts/{c.pk}/to-suggestion/", {"title": "修复路灯", "content": "路灯坏了"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.suggestion is not None


def test_qr_codes_and_landing_pages_are_public(world: World, client: Client) -> None:
    station = make_station(world)
    services.reception_day_create(actor=None, station=station, on=timezone.localdate() + dt.timedelta(days=2),
                                  deputies=[world.deputy])
    services.reception_day_create(actor=None, station=station, on=timezone.localdate() + dt.timedelta(days=9))
    r = client.get(f"/liaison/s/{station.pk}/qr.svg")
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml" and b"<svg" in r.content
    html = client.get(f"/liaison/s/{station.pk}/").content.decode()
    assert station.name in html and world.deputy.name in html
    assert "/portal/submit/" in html and f"station={station.pk}" in html
    assert html.count("<li>") == 1  # only the day published (3 days ahead)
    html = client.get(f"/liaison/d/{world.deputy.pk}/").content.decode()
    assert world.deputy.name in html and f"deputy={world.deputy.pk}" in html
    assert client.get(f"/liaison/d/{world.deputy.pk}/qr.svg").status_code == 200


def test_roster_page(world: World, client: Client) -> None:
    station = make_station(world)
    client.force_login(world.users[Role.STAFF])
    r = client.post("/liaison/roster/", {"station": station.pk, "start": "2023-01-10", "end": "2023-03-31"})
    assert r.status_code == 302 and station.reception_days.count() == 3
    r = client.post("/liaison/roster/", {"station": station.pk, "start": "2023-03-31", "end": "2023-01-10"})
    assert r.status_code == 400 and "早于开始日期" in r.content.decode()


def test_home_pages_warn_whoever_is_behind(world: World, client: Client) -> None:
    make_group(world)
    client.force_login(world.users[Role.STAFF])
    html = client.get("/", follow=True).content.decode()
    assert 'id="liaison-warnings"' in html and 'id="warn-without-contact"' in html
    assert world.plain_deputy.name in html  # no presidium contact this quarter
    client.force_login(world.users[Role.PRESIDIUM])
    html = client.get("/", follow=True).content.decode()
    assert 'id="warn-own-presidium"' in html and world.plain_deputy.name in html
    make_presidium_contact(world, on=timezone.localdate())
    html = client.get("/", follow=True).content.decode()
    assert 'id="warn-own-presidium"' not in html
    client.force_login(world.users[Role.DEPUTY])
    html = client.get("/", follow=True).content.decode()
    assert 'id="warn-own-voter"' in html


#: How to bring a reception to each state (the services, in order).
PATHS = {
    "registered": [],
    "proposed": [("propose", {"proposal": "转办"})],
    "transferred": [("propose", {"proposal": "转办"}), ("transfer", {"to": "镇农业办"})],
    "chasing": [("propose", {"proposal": "转办"}), ("transfer", {"to": "镇农业办"}), ("chase", {"note": "督办"})],
    "fed_back": [("propose", {"proposal": "x"}), ("feedback", {"feedback": "已答复"})],
    "filed": [("propose", {"proposal": "x"}), ("feedback", {"feedback": "已答复"}), ("file", {})],
    "turned_away": [("turn_away", {"route": "向法院起诉"})],
}


@pytest.mark.parametrize("state", sorted(PATHS))
@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPUTY, Role.DISTRICT_VIEWER])
def test_the_page_offers_what_the_table_allows(world: World, client: Client, state: str, role: Role) -> None:
    import re

    from renda.liaison import policy, workflow
    from renda.liaison.views import ACTIONS

    r = make_reception(world, make_station(world), on=timezone.localdate())
    for action, kw in PATHS[state]:
        getattr(services, f"reception_{action}")(actor=None, reception_id=r.pk, **kw)
    r.refresh_from_db()
    assert r.state == state
    user = world.users[role]
    client.force_login(user)
    html = client.get(f"/liaison/receptions/{r.pk}/").content.decode()
    offered = set(re.findall(r'id="action-([a-z_]+)"', html))
    expected = {a.value for s, a in workflow.TABLE if s == state and a in ACTIONS
                and bool(policy.roles_on(user, r) & workflow.ROLES_FOR_ACTION[a])}
    assert offered == expected
