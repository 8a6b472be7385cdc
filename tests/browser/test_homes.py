"""Every role's home page in Chromium, with work waiting: desktop 1366 px and phone 390 px in
Chinese, and English at 1366 px, where the page (top bar included) stays as wide as the screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from renda.core.roles import Role
from renda.gridwork.tests.helpers import open_work
from renda.suggestions import services as suggestions
from renda.suggestions.tests.helpers import public_item
from tests.browser.conftest import see, shot
from tests.browser.test_pages import HEADINGS, log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = {Role.PRESIDIUM: "presidium", Role.STAFF: "staff", Role.DEPUTY: "deputy", Role.UNIT: "unit",
        Role.GRID_WORKER: "grid-worker", Role.DISTRICT_VIEWER: "district", Role.ADMIN: "admin"}


def _world_with_work() -> World:
    world = World()
    today = timezone.localdate()
    staff = world.users[Role.STAFF]
    for i, on in enumerate((today, today - dt.timedelta(days=400))):
        s = public_item(world, title=f"村道路灯维修{i}", on=on)
        suggestions.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=on)
        if i:
            suggestions.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=s.pk, on=on)
    open_work(world)
    return world


def test_every_role_home_on_desktop_and_phone(live_server: Any, browser: Any) -> None:
    world = _world_with_work()
    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        for role, heading in HEADINGS.items():
            page.context.clear_cookies()
            log_in(page, live_server.url, world.users[role].username)
            see(page, heading)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (role, width)
            shot(page, f"home-{SLUG[role]}-{width}")
        context.close()


def test_work_queues_on_the_homes(live_server: Any, page: Any) -> None:
    world = _world_with_work()
    log_in(page, live_server.url, world.users[Role.UNIT].username)
    see(page, "本单位待办")
    assert "村道路灯维修0" in page.locator("#unit-work [data-queue=to_accept]").inner_text()
    assert "村道路灯维修1" in page.locator("#unit-work [data-queue=overdue]").inner_text()
    page.click("#unit-work [data-queue=to_accept] a.worklist-item")
    see(page, "村道路灯维修0")
    page.context.clear_cookies()
    log_in(page, live_server.url, world.users[Role.GRID_WORKER].username)
    see(page, "我的网格待办")
    # one risk, one petition, and the grid's three suggestions (two of them registered by the office)
    for queue, n in (("risks", 1), ("petitions", 1), ("suggestions", 3)):
        assert page.locator(f"#grid-work [data-queue={queue}] a.worklist-item").count() == n, queue
    page.context.clear_cookies()
    log_in(page, live_server.url, world.users[Role.DISTRICT_VIEWER].username)
    see(page, "各镇街工作对比")
    assert page.locator(f"#town-comparison tr[data-town='{world.town.code}']").count() == 1


def test_english_homes_fit_1366(live_server: Any, browser: Any) -> None:
    world = _world_with_work()
    # realistic names (the demo's), as long as a user's shown name gets: the bar must fit them
    for user in world.users.values():
        user.display_name = "承办单位(镇经济发展中心)"
        user.save(update_fields=["display_name"])
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    for role in HEADINGS:
        page.context.clear_cookies()
        log_in(page, live_server.url, world.users[role].username)
        assert page.locator("html").get_attribute("lang") == "en"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, (role, width)
        shot(page, f"home-{SLUG[role]}-1366-en")
        # the top bar stays one line
        assert page.locator("nav.navbar").bounding_box()["height"] < 70, role
    # the icon browsers ask for is there
    assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
    context.close()
