"""End to end in Chromium on a phone (390×844): a resident scans a deputy's QR code, submits an
opinion from the landing page, sees the tracking code and its QR code; the office assigns it and
the unit replies; the status page shows the reply and takes the evaluation. No horizontal
scrolling on any step. Screenshots of each step."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion, format_tracking_code
from tests.browser.conftest import see, shot
from tests.browser.test_suggestions import _act, _as
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_submits_through_a_deputys_qr_code_and_rates_the_reply(live_server: Any, page: Any,
                                                                           phone_page: Any) -> None:
    world = World()
    services.suggestion_category_create(actor=None, town=world.town, name="城乡建设")
    base, office = live_server.url, page
    page = phone_page
    page.goto(f"{base}/liaison/d/{world.deputy.pk}/")
    see(page, world.deputy.name)
    shot(page, "portal-phone-1-deputy-landing")
    page.locator("#register").click()
    page.wait_for_load_state("networkidle")
    see(page, "反映意见建议")
    page.select_option("#id_category", label="城乡建设")
    page.select_option("#id_village", str(world.village.pk))
    page.select_option("#id_grid", str(world.grid.pk))
    page.fill("#id_content", "村口路灯坏了两个月，晚上出行不便，请尽快修复")
    page.fill("#id_name", "欧阳明远")
    page.fill("#id_phone", "13987654321")
    _fits(page)
    shot(page, "portal-phone-2-form")
    page.locator("#opinion-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    see(page, "提交成功")
    s = Suggestion.objects.get()
    assert s.via_deputy == world.deputy
    assert page.locator("#tracking-code").inner_text() == format_tracking_code(s.tracking_code)
    assert page.locator("img.portal-qr").evaluate("img => img.naturalWidth") > 0
    _fits(page)
    shot(page, "portal-phone-3-code")

    # The office assigns it and the unit signs for it and replies, each in their own pages.
    detail = f"{base}/suggestions/{s.pk}/"
    _as(office, base, world, Role.STAFF)
    office.goto(detail)
    _act(office, "assign", select={"lead_unit": str(world.unit.pk)})
    see(office, "已交办给")
    _as(office, base, world, Role.UNIT)
    office.goto(detail)
    _act(office, "accept")
    _act(office, "reply", fill={"text": "已更换村口两盏路灯，恢复照明。"}, select={"reply_class": "A"})
    see(office, "已答复")
    shot(office, "portal-desktop-unit-replied")

    page.goto(f"{base}/portal/")
    page.fill("#id_code", format_tracking_code(s.tracking_code).lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    see(page, "已更换村口两盏路灯")
    see(page, "已答复，待评价")
    assert "欧阳明远" not in page.content() and "13987654321" not in page.content()
    _fits(page)
    shot(page, "portal-phone-4-reply")
    page.locator("#evaluate-form input[value=satisfied]").check()
    page.locator("#evaluate-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    see(page, "感谢您的评价")
    s.refresh_from_db()
    assert s.state == "evaluated" and s.evaluations.get().result == "satisfied"
    _fits(page)
    shot(page, "portal-phone-5-rated")
