"""The petition pages: constant query counts on list pages, the flow through the action forms,
stale pages, register form (with the day's duty shift proposed), suggestion links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core.roles import Role
from renda.petitions import services
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.petitions.tests.helpers import other_id, petition, staff
from renda.petitions.workflow import State
from renda.shifts.models import DutyShift

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def grow(world: World, n: int) -> None:
    for i in range(n):
        p = petition(world, on=TODAY, subject=f"第{i}件不同的事情{i * 7919}", content=f"内容{i * 104729}",
                     petitioners=[PetitionerData(name=f"张{i}", id_number=other_id(i + 11)),
                                  PetitionerData(name=f"李{i}")], head_count=5)
        services.petition_route(actor=staff(world), petition_id=p.pk, presidium_member=world.presidium_deputy,
                                on=TODAY)
        if i % 2:
            services.petition_accept(actor=staff(world), petition_id=p.pk, on=TODAY)


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


LISTS = {
    Role.STAFF: ["/petitions/?per_page=100", "/petitions/?export=xlsx", "/petitions/queue/",
                 "/petitions/queue/?tab=handling", "/petitions/queue/?tab=instructions", "/api/petitions?limit=200"],
    Role.PRESIDIUM: ["/petitions/?per_page=100", "/petitions/instructions/", "/api/petitions?limit=200"],
    Role.DEPUTY: ["/petitions/?per_page=100", "/api/petitions?limit=200"],
    Role.DISTRICT_VIEWER: ["/petitions/?per_page=100", "/petitions/?export=xlsx"],
}


@pytest.mark.parametrize("role", list(LISTS))
def test_list_pages_run_constant_queries(world: World, role: Role) -> None:
    client = Client()
    client.force_login(world.users[role])
    grow(world, 2)
    small = {url: count(client, url) for url in LISTS[role]}
    grow(world, 10)
    for url in LISTS[role]:
        assert count(client, url) == small[url], url


def test_flow_through_the_pages(world: World) -> None:
    client = Client()
    client.force_login(staff(world))
    p = petition(world, on=TODAY)

    def act(action: str, prefix: str, **data: str) -> None:
        p.refresh_from_db()
        payload = {f"{prefix}-{k}": v for k, v in data.items()}
        payload[f"{prefix}-version"] = str(p.version)
        response = client.post(f"/petitions/{p.pk}/do/{action}/", payload)
        assert response.status_code == 302, response.content.decode()[:2000]

    act("accept", "accept")
    act("extend", "extend", days="20", reason="需要现场核查")
    act("issue_opinion", "opinion", opinion="已解决")
    p.refresh_from_db()
    assert p.state == State.CLOSED and p.extension_days == 20
    page = client.get(f"/petitions/{p.pk}/").content.decode()
    for text in ("受理告知书", "延期告知书", "处理意见书", "申请复查", "法定期限"):
        assert text in page


def test_stale_page_shows_the_conflict(world: World) -> None:
    client = Client()
    client.force_login(staff(world))
    p = petition(world, on=TODAY)
    services.petition_accept(actor=staff(world), petition_id=p.pk, on=TODAY)
    response = client.post(f"/petitions/{p.pk}/do/decline/", {"decline-version": "0", "decline-reason": "x",
                                                              "decline-confirm": "on"})
    assert response.status_code == 400
    assert "刷新" in response.content.decode() or "不能" in response.content.decode()


def test_register_page_proposes_todays_shift_and_registers(world: World) -> None:
    shift = DutyShift.objects.create(town=world.town, date=TODAY)
    client = Client()
    client.force_login(world.users[Role.PRESIDIUM])
    page = client.get("/petitions/new/").content.decode()
    assert f'value="{shift.pk}" selected' in page
    response = client.post("/petitions/new/", {
        "channel": "visit", "name": "钱七", "phone": "13600000000", "subject": "来访反映问题",
        "others": "孙八 13600000001\n周九", "head_count": "6", "duty_shift": str(shift.pk),
        "grid": str(world.grid.pk)})
    assert response.status_code == 302
    p = Petition.objects.get(subject="来访反映问题")
    assert p.duty_shift == shift and p.head_count == 6 and p.petitioners.count() == 3
    assert list(shift.visits.all()) == [p]


def test_register_page_shows_service_errors(world: World) -> None:
    client = Client()
    client.force_login(staff(world))
    response = client.post("/petitions/new/", {"channel": "letter", "name": "钱七", "subject": "x",
                                               "id_number": "340302198505121230"})
    assert response.status_code == 200
    assert "身份证号码不正确" in response.content.decode()


def test_suggestion_page_offers_conversion_and_shows_the_link(world: World) -> None:
    from renda.suggestions.services import suggestion_register

    s = suggestion_register(actor=staff(world), town=world.town, kind="public", title="路灯不亮",
                            submitter_name="赵六", on=TODAY)
    client = Client()
    client.force_login(staff(world))
    assert "转为信访件" in client.get(f"/suggestions/{s.pk}/").content.decode()
    response = client.post(f"/petitions/from-suggestion/{s.pk}/", {"channel": "letter"})
    assert response.status_code == 302
    p = Petition.objects.get(suggestion=s)
    page = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert p.code in page and "转为信访件</button>" not in page
    assert s.code in client.get(f"/petitions/{p.pk}/").content.decode()
    # A deputy sees neither the button nor (outside their grids) the petition.
    client.force_login(world.users[Role.PRESIDIUM])
    assert "转为信访件</button>" not in client.get(f"/suggestions/{s.pk}/").content.decode()
