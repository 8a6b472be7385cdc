"""The statistics page in Chromium: the period picker shows only the chosen kind's fields, leads
to the period's code in the URL, and the page exports its workbook; on a phone too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from renda.core.roles import Role
from renda.suggestions import services
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_period_picker_and_export(live_server: Any, page: Any) -> None:
    world = World()
    services.suggestion_register(actor=world.users[Role.STAFF], town=world.town, kind="public", title="路灯不亮",
                                 submitter_name="张三", on=dt.date(2023, 8, 1))
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/reports/?period=2023上半年")
    see(page, "2023年上半年")
    assert page.locator("#id_half").is_visible() and not page.locator("#id_quarter").is_visible()
    assert not page.locator("#id_start").is_visible()
    page.select_option("#id_kind", "quarter")
    assert page.locator("#id_quarter").is_visible() and not page.locator("#id_half").is_visible()
    page.select_option("#id_quarter", "3")
    page.click("#period-picker button[type=submit]")
    see(page, "2023年第三季度")
    assert page.url.endswith("/reports/?period=2023Q3")
    assert page.locator("#counts [data-key=received]").inner_text() == "1"
    shot(page, "reports-picker-quarter")

    page.select_option("#id_kind", "range")
    assert page.locator("#id_start").is_visible() and not page.locator("#id_year").is_visible()
    page.fill("#id_start", "2023-09-01")
    page.fill("#id_end", "2023-08-01")
    page.click("#period-picker button[type=submit]")
    see(page, "截止日期不能早于起始日期")
    shot(page, "reports-picker-error")

    with page.expect_download() as info:
        page.click("#export-xlsx")
    assert info.value.suggested_filename.endswith(".xlsx")


def test_period_picker_on_a_phone(live_server: Any, phone_page: Any) -> None:
    world = World()
    log_in(phone_page, live_server.url, world.users[Role.STAFF].username)
    phone_page.goto(f"{live_server.url}/reports/?period=2023-07")
    see(phone_page, "2023年7月")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(phone_page, "reports-picker-phone")


def test_district_viewer_downloads_a_template_for_a_town(live_server: Any, page: Any) -> None:
    world = World()
    log_in(page, live_server.url, world.users[Role.DISTRICT_VIEWER].username)
    page.goto(f"{live_server.url}/ledger/")
    see(page, "示例取自")
    page.select_option("#template-town", world.other_town.code)
    shot(page, "ledger-template-town")
    with page.expect_download() as info:
        page.click("#template-form button[type=submit]")
    assert info.value.suggested_filename == f"台账导入模板-{world.other_town.name}.xlsx"
