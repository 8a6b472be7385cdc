"""End to end in Chromium on a phone (390×844): a deputy sees the contact-target warning on their
home page, opens 联系群众, records a voter contact (a refused households count first, then a
valid one) and finds it in their list as a phone card; the station's public landing page a QR
code opens. Screenshots of each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from renda.core.roles import Role
from renda.liaison.models import VoterContact
from renda.liaison.tests.helpers import make_station, make_voter
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deputy_records_a_voter_contact_on_a_phone(live_server: Any, phone_page: Any) -> None:
    world = World()
    make_voter(world)
    station = make_station(world)
    base, page = live_server.url, phone_page
    log_in(page, base, world.users[Role.DEPUTY].username)
    page.wait_for_load_state("networkidle")
    see(page, "联系目标提醒")
    assert "低于目标" in page.locator("#warn-own-voter").inner_text()
    shot(page, "liaison-phone-deputy-home")

    page.locator("#warn-own-voter a").click()
    page.wait_for_load_state("networkidle")
    see(page, "新增联系选民记录")
    today = timezone.localdate().isoformat()
    page.fill("#id_on", today)
    page.keyboard.press("Escape")
    page.select_option("#id_way", "visit")
    page.fill("#id_households", "0")
    page.fill("#id_place", "东湖村3组")
    page.fill("#id_issues", "村道路灯损坏，夜间出行不便")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert VoterContact.objects.count() == 0
    shot(page, "liaison-phone-contact-refused")

    page.fill("#id_households", "3")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    see(page, "已新增联系选民记录")
    c = VoterContact.objects.get()
    assert c.deputy == world.deputy and c.households == 3 and c.issues == "村道路灯损坏，夜间出行不便"
    shot(page, "liaison-phone-contact-saved")

    page.goto(f"{base}/liaison/voter-contacts/")
    page.wait_for_load_state("networkidle")
    see(page, world.deputy.name)
    shot(page, "liaison-phone-contact-list")

    page.goto(f"{base}/liaison/")
    page.wait_for_load_state("networkidle")
    see(page, "代表联系选民")
    shot(page, "liaison-phone-overview")

    anonymous = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                                 is_mobile=True, has_touch=True, device_scale_factor=2)
    public = anonymous.new_page()
    public.goto(f"{base}/liaison/s/{station.pk}/")
    public.wait_for_load_state("networkidle")
    see(public, station.name)
    # the station's landing page opens the portal's form with the station chosen
    assert f"/portal/submit/?station={station.pk}" in (public.locator("#register").get_attribute("href") or "")
    shot(public, "liaison-phone-station-landing")
    anonymous.close()


def test_the_office_handles_a_reception_on_the_desktop(live_server: Any, page: Any) -> None:
    from renda.liaison.models import Reception
    from renda.liaison.tests.helpers import make_reception

    world = World()
    station = make_station(world)
    r = make_reception(world, station, on=timezone.localdate(), matter="对法院一审判决不服，要求代表出面")
    base = live_server.url
    log_in(page, base, world.users[Role.STAFF].username)
    see(page, "联系目标提醒")
    shot(page, "liaison-office-home")
    page.goto(f"{base}/liaison/receptions/{r.pk}/")
    page.wait_for_load_state("networkidle")
    see(page, r.code)
    page.locator("#action-turn_away summary").click()
    page.fill("#id_turnaway-route", "属涉诉事项，已告知来访人在法定期限内向上一级人民法院提起上诉")
    shot(page, "liaison-reception-turn-away-form")
    page.locator("#action-turn_away button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    see(page, "已引导依法处理")
    r.refresh_from_db()
    assert r.state == "turned_away" and Reception.objects.get(pk=r.pk).route.startswith("属涉诉事项")
    shot(page, "liaison-reception-turned-away")
