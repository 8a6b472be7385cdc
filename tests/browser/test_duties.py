"""End to end in Chromium: the office prints an activity's QR poster (A4); a deputy on a
phone-sized screen (390×844) opens the QR link, logs in, signs in, and finds the activity in
their duty archive; a second scan is refused. Screenshots of each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from renda.core.roles import Role
from renda.duties import services
from renda.duties.models import Attendance, Participation
from tests.browser.conftest import see, shot
from tests.browser.test_pages import PASSWORD
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_deputy_signs_in_on_a_phone_and_the_archive_shows_it(live_server: Any, page: Any,
                                                               phone_page: Any) -> None:
    world = World()
    base = live_server.url
    a = services.activity_plan(
        actor=world.users[Role.STAFF], town=world.town, type="judicial_witness", title="区检察院案件公开听证",
        on=timezone.localdate(), place="区人民检察院听证室", organizer="区人民检察院",
        organizer_kind="procuratorate", deputies=[world.deputy, world.presidium_deputy])

    # The office's A4 poster with the QR code.
    page.goto(f"{base}/login/")
    page.fill("#id_username", world.users[Role.STAFF].username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/duties/activities/{a.pk}/")
    see(page, "区检察院案件公开听证")
    shot(page, "duties-activity-detail")
    page.click("#poster-link")
    see(page, "参加代表请用手机扫码签到")
    assert page.locator("#qr svg").count() == 1
    box = page.locator("#qr svg").bounding_box()
    assert box is not None and box["width"] > 300
    shot(page, "duties-poster")

    # The deputy scans: the link (the QR's content) asks for a login first, then comes back.
    link = f"{base}/duties/signin/{services.signin_token(a)}/"
    phone = phone_page
    phone.goto(link)
    phone.wait_for_load_state("networkidle")
    assert "/login/" in phone.url
    phone.fill("#id_username", world.users[Role.DEPUTY].username)
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_load_state("networkidle")
    see(phone, "确认签到")
    see(phone, "区检察院案件公开听证")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    button = phone.locator("#signin-form button").bounding_box()
    assert button is not None and button["width"] > 300 and button["height"] >= 44  # a thumb-sized button
    shot(phone, "duties-signin-phone")
    phone.click("#signin-form button")
    see(phone, "签到成功")
    shot(phone, "duties-signin-done-phone")
    p = Participation.objects.get(activity=a, deputy=world.deputy)
    assert p.attendance == Attendance.ATTENDED and p.via == "qr" and p.signed_in_at is not None

    # The archive shows it.
    phone.click("#signin a:has-text(\"我的履职档案\")")
    see(phone, "的履职档案")
    others = phone.locator("#others")
    see(phone, "扫码签到")
    assert "区检察院案件公开听证" in others.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "duties-archive-phone")

    # The activities list as phone cards.
    phone.goto(f"{base}/duties/activities/")
    see(phone, "区检察院案件公开听证")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "duties-activities-phone")

    # A second scan is refused with its message.
    phone.goto(link)
    see(phone, "无需重复签到")
    shot(phone, "duties-signin-twice-phone")
