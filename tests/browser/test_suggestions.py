"""End to end in Chromium: one deputy suggestion goes register → assign → return → reassign →
accept → reply → 不满意 (re-handle) → reply → 满意 → close across the office, unit and deputy
logins, with a screenshot of each page."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from renda.suggestions.models import Suggestion
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page: Any, base: str, world: World, role: Role) -> None:
    page.context.clear_cookies()
    log_in(page, base, world.users[role].username)


def _act(page: Any, action: str, fill: dict[str, str] | None = None, select: dict[str, str] | None = None,
         check: str | None = None) -> None:
    page.click(f"#action-{action} summary")
    for name, value in (fill or {}).items():
        page.fill(f"#id_{action.replace('_', '')}-{name}", value)
    for name, value in (select or {}).items():
        page.select_option(f"#id_{action.replace('_', '')}-{name}", value)
    if check:
        page.check(check)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_one_item_through_its_whole_life(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    wrong_unit = make_unit(world.town, name="市场所")
    base = live_server.url

    # The office registers the deputy's suggestion; the similar-items box stays empty.
    _as(page, base, world, Role.STAFF)
    shot(page, "suggestions-home-office")
    page.goto(f"{base}/suggestions/new/")
    page.select_option("#id_kind", "deputy")
    page.select_option("#id_lead_deputy", str(world.deputy.pk))
    page.fill("#id_title", "农田水利等基础设施施工质量监督")
    page.fill("#id_content", "建议加强农田水利工程施工质量监督")
    shot(page, "suggestions-register")
    page.click("#register-form > button[type=submit]")
    page.wait_for_load_state("networkidle")
    see(page, "已登记")
    item = Suggestion.objects.get(title="农田水利等基础设施施工质量监督")
    detail = f"{base}/suggestions/{item.pk}/"
    shot(page, "suggestions-registered")

    # Assign to the wrong unit first.
    _act(page, "assign", select={"lead_unit": str(wrong_unit.pk)})
    see(page, "已交办给")
    shot(page, "suggestions-assigned")

    # That unit returns it.
    from tests.support import make_user

    wrong_user = make_user(Role.UNIT, world.town, unit=wrong_unit)
    page.context.clear_cookies()
    log_in(page, base, wrong_user.username)
    page.goto(f"{base}/suggestions/inbox/")
    see(page, "农田水利")
    shot(page, "suggestions-inbox")
    page.goto(detail)
    _act(page, "return", fill={"reason": "不属于本单位职责"})
    see(page, "已退回")
    shot(page, "suggestions-returned")

    # The office sees it under 被退回 and reassigns it.
    _as(page, base, world, Role.STAFF)
    page.goto(f"{base}/suggestions/queue/?tab=returned")
    see(page, "农田水利")
    shot(page, "suggestions-queue-returned")
    page.goto(detail)
    _act(page, "assign", select={"lead_unit": str(world.unit.pk)})
    shot(page, "suggestions-reassigned")

    # The right unit signs for it and replies.
    _as(page, base, world, Role.UNIT)
    page.goto(detail)
    _act(page, "accept")
    _act(page, "reply", fill={"text": "已安排专人监督施工"}, select={"reply_class": "A"})
    see(page, "已答复")
    shot(page, "suggestions-replied")

    # The deputy, on a phone, is not satisfied: back to the unit.
    phone_page.goto(f"{base}/login/")
    log_in(phone_page, base, world.users[Role.DEPUTY].username)
    phone_page.goto(f"{base}/suggestions/mine/?tab=to_evaluate")
    see(phone_page, "农田水利")
    shot(phone_page, "suggestions-mine-phone")
    phone_page.goto(detail)
    _act(phone_page, "evaluate", fill={"comment": "质量问题未整改"},
         check="input[name='evaluate-result'][value='dissatisfied']")
    see(phone_page, "重新办理")
    shot(phone_page, "suggestions-dissatisfied-phone")

    # The unit replies again.
    _as(page, base, world, Role.UNIT)
    page.goto(detail)
    _act(page, "reply", fill={"text": "已返工整改并验收"}, select={"reply_class": "A"})
    shot(page, "suggestions-replied-again")

    # The deputy is satisfied.
    phone_page.goto(detail)
    _act(phone_page, "evaluate", check="input[name='evaluate-result'][value='satisfied']")
    see(phone_page, "满意")
    shot(phone_page, "suggestions-satisfied-phone")

    # The office closes it.
    _as(page, base, world, Role.STAFF)
    page.goto(f"{base}/suggestions/queue/?tab=to_close")
    see(page, "农田水利")
    shot(page, "suggestions-queue-to-close")
    page.goto(detail)
    _act(page, "close")
    assert page.locator("#state").inner_text() == "已办结"
    timeline = page.locator("#timeline").inner_text()
    for step in ("登记", "交办", "退回", "签收", "答复", "测评", "重新办理", "办结"):
        assert step in timeline, step
    shot(page, "suggestions-closed")
    page.goto(f"{base}/suggestions/?q=农田")
    assert page.locator("table tbody tr").count() == 1
    shot(page, "suggestions-list")
    item.refresh_from_db()
    assert item.state == "closed" and item.rehandle_count == 1


def test_district_user_filters_by_town_then_grid(live_server: Any, page: Any) -> None:
    """A district-wide user's filters list a town's grids only once the town is chosen; choosing
    it redraws the filters in place, and the redrawn grid filter works."""
    from renda.suggestions import services
    from tests.support import make_grid

    world = World()
    second_grid = make_grid(world.village)
    staff = world.users[Role.STAFF]
    on_first = services.suggestion_register(actor=staff, town=world.town, kind="public", title="第一网格的事",
                                            anonymous=True, grid=world.grid)
    on_second = services.suggestion_register(actor=staff, town=world.town, kind="public", title="第二网格的事",
                                             anonymous=True, grid=second_grid)
    services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public",
                                 title="另一镇的事", anonymous=True, grid=world.other_grid)
    log_in(page, live_server.url, world.users[Role.ADMIN].username)
    page.goto(f"{live_server.url}/suggestions/")
    assert page.locator("select[name=grid] option").all_inner_texts() == ["全部（先选镇街）"]
    assert "另一镇的事" in page.locator("#list-table").inner_text()

    page.select_option("select[name=town]", str(world.town.pk))
    from playwright.sync_api import expect

    # Locators, not wait_for_function: a string predicate is eval'd, which the pages' CSP refuses.
    expect(page.locator("select[name=grid] option")).to_have_count(3)
    table = page.locator("#list-table").inner_text()
    assert "第一网格的事" in table and "第二网格的事" in table and "另一镇的事" not in table
    shot(page, "suggestions-district-town-chosen")

    page.select_option("select[name=grid]", str(second_grid.pk))
    expect(page.locator("#list-table")).not_to_contain_text("第一网格的事")
    table = page.locator("#list-table").inner_text()
    assert on_second.code in table and on_first.code not in table
    assert f"town={world.town.pk}" in page.url and f"grid={second_grid.pk}" in page.url


def test_the_office_closes_over_continued_dissatisfaction(live_server: Any, page: Any, phone_page: Any) -> None:
    """A public item: evaluated 不满意 → re-handled → answered again → 不满意 again → 不满意办结 by
    the office, on a desktop and on a phone. The first 不满意 only sends it back (不满意办结 is not
    offered); the second offers it, says so, asks for a reason and a confirmation in its own
    words; the closed item says 不满意办结, its answers and evaluations read in the order they
    happened."""
    from renda.suggestions import services

    world = World()
    staff = world.users[Role.STAFF]
    item = services.suggestion_register(actor=staff, town=world.town, kind="public", title="返乡创业补贴迟迟未发放",
                                        content="去年申请的补贴至今未发放", source="visit", submitter_name="张小三",
                                        submitter_phone="13812345678", grid=world.grid)
    services.suggestion_assign(actor=staff, suggestion_id=item.pk, lead_unit=world.unit)
    services.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=item.pk)
    base = live_server.url
    detail = f"{base}/suggestions/{item.pk}/"

    def reply(text: str) -> None:
        _as(page, base, world, Role.UNIT)
        page.goto(detail)
        _act(page, "reply", fill={"text": text}, select={"reply_class": "D"})
        see(page, "已答复")

    # The unit answers; the office records the submitter's 不满意 (on a phone): back to the unit.
    reply("补贴申请正在审核")
    phone = phone_page
    log_in(phone, base, staff.username)
    phone.goto(detail)
    _act(phone, "evaluate", fill={"comment": "提出人不满意"},
         check="input[name='evaluate-result'][value='dissatisfied']")
    see(phone, "事项已退回承办单位重新办理")
    assert phone.locator("#action-close_dissatisfied").count() == 0  # not at the first 不满意
    shot(phone, "suggestions-dissatisfied-first-phone")

    # Re-handled and answered again; still 不满意: now the office may close it, and is told so.
    reply("经重新协调，因申请材料不全暂不能发放，已告知补充材料")
    _as(page, base, world, Role.STAFF)
    page.goto(detail)
    _act(page, "evaluate", fill={"comment": "仍不满意"}, check="input[name='evaluate-result'][value='dissatisfied']")
    see(page, "也可「不满意办结」")
    shot(page, "suggestions-dissatisfied-again")

    # 不满意办结: a reason and a confirmation that says what it does.
    page.click("#action-close_dissatisfied summary")
    see(page, "我已核对：事项已重新办理，提出人仍不满意，确认办结（计入不满意办结）")
    page.click("#action-close_dissatisfied button[type=submit]")  # nothing filled in: refused, nothing closed
    see(page, "请填写不满意办结的理由")
    see(page, "请勾选确认后再提交")
    item.refresh_from_db()
    assert item.state == "accepted"
    page.fill("#id_closedissatisfied-reason", "已重新办理，因政策限制暂不能解决，已向提出人说明")
    page.check("#id_closedissatisfied-confirm")
    shot(page, "suggestions-close-dissatisfied-form")
    page.click("#action-close_dissatisfied button[type=submit]")
    see(page, "已不满意办结")
    assert page.locator("#state").inner_text() == "已办结"
    assert page.locator("#closed-dissatisfied").inner_text() == "不满意办结"
    answers = page.locator("#replies li").all_inner_texts()
    assert ["补贴申请正在审核" in answers[0], "不满意" in answers[1], "重新协调" in answers[2],
            "不满意" in answers[3]] == [True] * 4, answers
    assert "不满意办结" in page.locator("#timeline").inner_text()
    assert "您目前对该事项没有可办理的操作" in page.locator("#actions").inner_text()
    shot(page, "suggestions-closed-dissatisfied")
    phone.goto(detail)
    see(phone, "不满意办结")
    shot(phone, "suggestions-closed-dissatisfied-phone")
    item.refresh_from_db()
    assert item.state == "closed" and item.closed_at is not None
