"""End to end in Chromium: every role logs in and lands on its own home page; office staff
create a deputy and find the change in its history; pages fit a phone."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from tests.browser.conftest import see, shot
from tests.support import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    Role.PRESIDIUM: "主席团工作台", Role.STAFF: "人大办工作台", Role.DEPUTY: "代表履职",
    Role.UNIT: "承办单位工作台", Role.GRID_WORKER: "网格员工作台", Role.DISTRICT_VIEWER: "全区概况",
    Role.ADMIN: "系统管理",
}


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_every_role_lands_on_its_home(live_server: Any, page: Any) -> None:
    world = World()
    page.goto(f"{live_server.url}/login/")
    see(page, "乡镇人大履职平台")
    shot(page, "login")
    for role, heading in HEADINGS.items():
        page.context.clear_cookies()
        log_in(page, live_server.url, world.users[role].username)
        assert page.locator("h1").first.inner_text().startswith(heading), role
        shot(page, f"home-{role.value}")


def test_staff_creates_a_deputy_and_sees_history(live_server: Any, page: Any) -> None:
    world = World()
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/deputies/new/")
    page.fill("#id_name", "测试代表甲")
    page.fill("#id_phone", "13912345678")
    page.select_option("#id_level", "town")
    page.select_option("#id_grids", str(world.grid.pk))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    see(page, "已新增代表「测试代表甲」")
    shot(page, "deputy-created")
    assert "新增代表" in page.locator(".timeline").inner_text()
    shot(page, "deputy-detail")
    # Edit: the history shows what changed, in words.
    page.click("text=编辑")
    page.fill("#id_constituency", "第三选区")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot(page, "deputy-edited")
    timeline = page.locator(".timeline").inner_text()
    assert "修改代表信息" in timeline and "选区" in timeline and "第三选区" in timeline
    # The list finds it by a two-character Chinese search.
    page.goto(f"{live_server.url}/deputies/?q=代表甲")
    assert page.locator("table tbody tr").count() == 1
    shot(page, "deputy-list")
    # Validation speaks Chinese.
    page.goto(f"{live_server.url}/deputies/new/")
    page.fill("#id_name", "测试代表乙")
    page.fill("#id_phone", "123")
    page.click("main form button[type=submit]")
    see(page, "手机号格式不正确")
    shot(page, "deputy-form-error")


def test_deactivation_asks_for_confirmation(live_server: Any, page: Any) -> None:
    world = World()
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/units/{world.unit.pk}/")
    page.click("text=停用")
    see(page, "确定要停用")
    shot(page, "unit-deactivate-confirm")
    page.fill("#id_reason", "机构调整")
    page.click("text=确认停用")
    page.wait_for_load_state("networkidle")
    see(page, "已停用")


def test_phone_layout(live_server: Any, phone_page: Any) -> None:
    world = World()
    log_in(phone_page, live_server.url, world.users[Role.GRID_WORKER].username)
    assert phone_page.locator("h1").first.inner_text().startswith("网格员工作台")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, width  # no horizontal scrolling on a phone
    shot(phone_page, "phone-grid-worker-home")
    phone_page.context.clear_cookies()
    log_in(phone_page, live_server.url, world.users[Role.STAFF].username)
    phone_page.goto(f"{live_server.url}/deputies/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 400
    shot(phone_page, "phone-deputy-list")
