"""Forms in Chromium: the grid select narrows to the chosen 村社区; deputies are chosen in a
searchable multi-select; an empty form shows all its errors at once; a date is picked and shown
as YYYY-MM-DD in Chinese and in English (also in an English-locale browser). Screenshots of the
register form at desktop and phone sizes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from renda.core.roles import Role
from renda.suggestions.models import Suggestion
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World, make_deputy, make_grid, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect() -> Any:
    from playwright.sync_api import expect

    return expect


def test_grid_narrows_to_the_village_and_deputies_are_searchable(live_server: Any, page: Any) -> None:
    expect = _expect()
    world = World()
    village2 = make_village(world.town, name="东风村")
    grids2 = [make_grid(village2, name=f"东风村第{i}网格") for i in (1, 2)]
    make_deputy(world.town, name="欧阳明月")
    wanted = make_deputy(world.town, name="欧阳春晓")
    base = live_server.url
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/suggestions/new/")
    see(page, "登记意见建议")
    expect(page.locator("#id_grid option")).to_have_count(1 + 3)  # 请选择 + every grid of the town

    # Choosing the village narrows the grids to its own.
    page.select_option("#id_village", str(village2.pk))
    expect(page.locator("#id_grid option")).to_have_count(1 + 2)
    shown = set(page.locator("#id_grid option").all_inner_texts())
    assert shown == {"请选择", *(f"{g.name}（{g.code}）" for g in grids2)}
    page.select_option("#id_grid", str(grids2[1].pk))

    # A deputy suggestion: 附议代表 is searched by typing two characters, then picked.
    page.select_option("#id_kind", "deputy")
    page.select_option("#id_lead_deputy", str(world.deputy.pk))
    control = page.locator("#id_co_deputies-ts-control")
    control.click()
    control.fill("欧阳")
    options = page.locator(".ts-dropdown .option")
    expect(options).to_have_count(2)
    options.filter(has_text="欧阳春晓").click()
    page.keyboard.press("Escape")
    expect(page.locator(".ts-control .item", has_text="欧阳春晓")).to_have_count(1)
    page.fill("#id_title", "东风村道路硬化")
    shot(page, "forms-register-filled")
    page.click("#register-form > button[type=submit]")
    see(page, "已登记")
    s = Suggestion.objects.get(title="东风村道路硬化")
    assert s.grid_id == grids2[1].pk and s.village_id == village2.pk
    assert list(s.co_deputies.values_list("pk", flat=True)) == [wanted.pk]


def test_an_empty_form_shows_all_its_errors_at_once(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/suggestions/new/")
    see(page, "登记意见建议")
    shot(page, "forms-register-desktop")
    page.click("#register-form > button[type=submit]")
    see(page, "请填写提出人，或选择匿名")
    feedback = page.locator(".invalid-feedback").all_inner_texts()
    assert "这个字段是必填项。" in feedback and "请填写提出人，或选择匿名" in feedback  # 标题 and 提出人 together
    shot(page, "forms-register-errors")

    log_in(phone_page, base, world.users[Role.STAFF].username)
    phone_page.goto(f"{base}/suggestions/new/")
    see(phone_page, "登记意见建议")
    shot(phone_page, "forms-register-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def _pick_a_day(page: Any, selector: str) -> str:
    expect = _expect()
    page.click(selector)
    calendar = page.locator(".flatpickr-calendar.open")
    expect(calendar).to_be_visible()
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").nth(14).click()
    value: str = page.input_value(selector)
    return value


def test_dates_are_yyyy_mm_dd_in_both_languages(live_server: Any, browser: Any) -> None:
    world = World()
    base = live_server.url
    for locale, language, month_word in (("zh-CN", "zh-hans", "月"), ("en-US", "en", "January|February|March|April|"
                                                                                      "May|June|July|August|September|"
                                                                                      "October|November|December")):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        try:
            log_in(page, base, world.users[Role.STAFF].username)
            if language == "en":
                page.click("button[name=language][value=en]")
                see(page, "Suggestions")
            page.goto(f"{base}/suggestions/")
            field = page.locator("#id_date_from")
            assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "YYYY-MM-DD"
            value = _pick_a_day(page, "#id_date_from")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
            months = page.locator(".flatpickr-calendar .flatpickr-monthDropdown-months").first.inner_text()
            assert re.search(month_word, months), months
            page.click("#id_date_from")  # open again for the picture
            _expect()(page.locator(".flatpickr-calendar.open")).to_be_visible()
            page.wait_for_timeout(400)  # the calendar fades in
            shot(page, f"forms-datepicker-{language}")
            # Typed by hand, the same format is read by the server.
            page.keyboard.press("Escape")
            page.fill("#id_date_to", "2030-12-31")
            page.press("#id_date_to", "Enter")
            page.wait_for_load_state("networkidle")
            assert page.input_value("#id_date_to") == "2030-12-31"
        finally:
            context.close()
