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


def _some_work(world: World) -> None:
    """A few items over two units and two months, one closed and evaluated, one overdue."""
    staff = world.users[Role.STAFF]
    other = services.suggestion_category_create(actor=None, town=world.town, name="交通出行")
    for i, (on, unit) in enumerate([("2023-02-01", world.unit), ("2023-03-05", world.unit), ("2023-04-10", None)]):
        s = services.suggestion_register(actor=staff, town=world.town, kind="public", title=f"意见{i}",
                                         submitter_name="张三", grid=world.grid, category=other if i else None,
                                         on=dt.date.fromisoformat(on))
        if unit is not None:
            services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=unit,
                                       on=dt.date.fromisoformat(on) + dt.timedelta(days=1))
    first = s.__class__.objects.filter(title="意见0").get()
    unit_user = world.users[Role.UNIT]
    services.suggestion_accept(actor=unit_user, suggestion_id=first.pk, on=dt.date(2023, 2, 3))
    services.suggestion_reply(actor=unit_user, suggestion_id=first.pk, reply_class="A", text="已办理",
                              on=dt.date(2023, 2, 10))
    services.suggestion_evaluate(actor=staff, suggestion_id=first.pk, result="satisfied", on=dt.date(2023, 2, 12))
    services.suggestion_close(actor=staff, suggestion_id=first.pk, on=dt.date(2023, 2, 15))


def test_dashboard_charts_tables_and_exports(live_server: Any, page: Any) -> None:
    """The office dashboard at 1366: each chart drawn, its table beside it, its export a workbook;
    the screenshot is docs/screenshots/dashboard.png."""
    world = World()
    _some_work(world)
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/reports/?period=2023H1")
    see(page, "各承办单位办结率与满意率")
    page.wait_for_selector("#chart-months canvas")
    assert page.locator("#chart-units canvas").count() == 1
    assert page.locator("#table-units tbody tr").count() == 1
    assert page.locator("#table-grids tbody th").first.inner_text() == world.grid.name
    shot(page, "dashboard")
    with page.expect_download() as info:
        page.click("[data-export=units]")
    assert info.value.suggested_filename.endswith(".xlsx")


def test_own_and_district_dashboards_on_a_phone(live_server: Any, phone_page: Any) -> None:
    world = World()
    _some_work(world)
    for role, url, title in [(Role.UNIT, "/reports/mine/?period=2023H1", "本单位与全镇对比"),
                             (Role.DISTRICT_VIEWER, "/reports/district/?period=2023H1", "各镇街对比与排名"),
                             (Role.STAFF, "/reports/?period=2023H1", "各承办单位办结率与满意率")]:
        phone_page.context.clear_cookies()
        log_in(phone_page, live_server.url, world.users[role].username)
        phone_page.goto(f"{live_server.url}{url}")
        see(phone_page, title)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (role, width)
        shot(phone_page, f"dashboard-{role}-phone")
