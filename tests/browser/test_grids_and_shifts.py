"""End to end in Chromium: the office generates a month of duty shifts (preview, then confirm),
records a day's attendance and swaps one person, the roster on desktop and phone; and grid
governance — the town's grid table with its open-work counts, a grid's page and the grid
worker's home. Screenshots of each step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from renda.core.roles import Role
from renda.gridwork.tests.helpers import open_work
from renda.shifts.models import DutyAssignment, DutyShift
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 400


def _last_month() -> tuple[int, int]:
    """Last month: every one of its days is past, so attendance can be recorded for any of them."""
    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def test_duty_roster_generate_attend_swap(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url
    year, month = _last_month()
    ym = f"{year:04d}-{month:02d}"
    presidium = world.presidium_deputy  # the town's only presidium member: on every generated shift

    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/shifts/")
    assert page.locator("h1").first.inner_text().startswith(f"信访值班 · {world.town.name}")
    assert "本月尚未排班" in page.locator("#people").inner_text()
    shot(page, "shifts-roster-empty")

    # Generate a month: preview first, nothing written yet.
    page.click("#generate")
    page.wait_for_load_state("networkidle")
    page.fill("#id_month", ym)
    page.fill("#id_location", "镇信访接待室")
    page.click("main button[name=preview]")
    page.wait_for_load_state("networkidle")
    plan = page.locator("#plan")
    days = plan.locator("li").all_inner_texts()
    assert days and all(presidium.name in d for d in days), days
    n = len(days)
    assert f"{year}年{month}月：新增 {n} 个班次、{n} 人次" in plan.locator(".card-header").inner_text()
    assert page.locator("#confirm").inner_text() == f"确认生成 {n} 个班次"
    assert not DutyShift.objects.exists()
    shot(page, "shifts-generate-preview")

    page.click("#confirm")
    page.wait_for_load_state("networkidle")
    see(page, f"已生成 {n} 个班次")
    shifts = list(DutyShift.objects.filter(town=world.town).order_by("date"))
    assert len(shifts) == n
    assert all(s.date.year == year and s.date.month == month and s.location == "镇信访接待室" for s in shifts)
    assert {a.deputy_id for a in DutyAssignment.objects.all()} == {presidium.pk}
    assert f"{year:04d}-{month:02d}" in page.locator("h1").first.inner_text()
    assert f"待值班 {n} 人次" in page.locator("#totals").inner_text()
    shot(page, "shifts-generated")

    # A day's attendance, from the roster's 考勤 link.
    first, second = shifts[0], shifts[1]
    page.click(f"#roster-grid a[href*='date={first.date.isoformat()}']")
    page.wait_for_load_state("networkidle")
    a1 = first.assignments.get()
    page.check(f"#day-form input[name=a{a1.pk}][value=attended]")
    shot(page, "shifts-day-attendance")
    page.click("#day-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    see(page, "已登记考勤，1 人次有变化")
    a1.refresh_from_db()
    assert a1.state == "attended"
    assert f"本月到岗 1 人次，待值班 {n - 1} 人次" in page.locator("#totals").inner_text()
    assert page.locator("#month-total").inner_text() == "1"
    shot(page, "shifts-attended")

    # Swap the presidium member on the second day for another deputy.
    page.click(f"#roster-grid a[href='/shifts/{second.pk}/']")
    page.wait_for_load_state("networkidle")
    shot(page, "shifts-shift-detail")
    page.click("#people a:has-text('调班')")
    page.wait_for_load_state("networkidle")
    page.select_option("#id_replacement", str(world.deputy.pk))
    page.fill("#id_note", "外出开会")
    shot(page, "shifts-swap-form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    see(page, f"已调班：「{world.deputy.name}」替换「{presidium.name}」")
    old = second.assignments.get(deputy=presidium)
    new = second.assignments.get(deputy=world.deputy)
    assert old.state == "swapped" and new.state == "scheduled" and new.replaces_id == old.pk
    assert f"替换 {presidium.name}" in page.locator("#people").inner_text()
    assert "调班" in page.locator("#timeline").inner_text()
    shot(page, "shifts-swapped")

    # The roster shows the change, on desktop and on a phone.
    page.goto(f"{base}/shifts/?town={world.town.pk}&month={ym}")
    grid = page.locator("#roster-grid")
    assert world.deputy.name in grid.inner_text()
    assert page.locator("#roster-grid .text-decoration-line-through", has_text=presidium.name).count() == 1
    people = page.locator("#people tbody").inner_text()
    assert world.deputy.name in people
    shot(page, "shifts-roster")

    log_in(phone_page, base, world.users[Role.STAFF].username)
    phone_page.goto(f"{base}/shifts/?town={world.town.pk}&month={ym}")
    assert phone_page.locator("#roster-list").is_visible() and not phone_page.locator("#roster-grid").is_visible()
    assert world.deputy.name in phone_page.locator("#roster-list").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone_page, "shifts-roster-phone")


def _cell(row: Any, label: str) -> str:
    return row.locator(f"td[data-label='{label}']").inner_text().strip()


def test_grid_governance(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url
    petitions, risks, suggestions = open_work(world)  # one open petition, risk and suggestion in world.grid

    # The town's grid table, with its counts; another town's grid is not there.
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/grid-work/")
    assert page.locator("h1").first.inner_text() == "网格治理"
    rows = page.locator("#list-table tbody tr")
    assert rows.count() == 1
    row = rows.first
    assert _cell(row, "网格编码") == world.grid.code and _cell(row, "网格") == world.grid.name
    assert _cell(row, "所属村社区") == world.village.name
    counts = {label: _cell(row, label) for label in ("网格员", "联系代表", "未结信访", "未化解隐患", "未办结意见建议")}
    assert counts == {"网格员": "1", "联系代表": "1", "未结信访": "1", "未化解隐患": "1", "未办结意见建议": "1"}
    assert world.other_grid.code not in page.content()
    shot(page, "grids-table")

    # A grid's page: its people and its open work, each linked.
    row.locator("td[data-label='网格'] a").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/grid-work/{world.grid.pk}/"
    cards = {c.locator(".card-header").inner_text().strip(): c.inner_text()
             for c in page.locator(".card:has(.card-header)").all()}
    assert world.grid_worker.name in cards["网格员 1"]
    assert world.deputy.name in cards["联系代表 1"]
    assert petitions[0].subject in cards["未结信访件 1"]
    assert risks[0].title in cards["未化解隐患 1"]
    assert suggestions[0].title in cards["未办结意见建议 1"]
    page.click(f"a[href='/petitions/{petitions[0].pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == petitions[0].subject
    shot(page, "grids-petition-from-grid")
    page.go_back()
    shot(page, "grids-grid-page")

    # The grid worker's home lists their grid with the same counts (on a phone).
    log_in(phone_page, base, world.users[Role.GRID_WORKER].username)
    assert phone_page.url == f"{base}/home/grid/"
    mine = phone_page.locator("#my-grids li")
    assert mine.count() == 1
    text = mine.first.inner_text()
    assert world.grid.name in text and world.grid.code in text
    for badge in ("未结信访 1", "未化解隐患 1", "未办结意见建议 1"):
        assert badge in text, badge
    assert world.grid_worker.name in text and world.deputy.name in text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone_page, "grids-home-grid-worker-phone")
    phone_page.click(f"#my-grids a[href='/grid-work/{world.grid.pk}/']")
    phone_page.wait_for_load_state("networkidle")
    assert "未化解隐患" in phone_page.content() and risks[0].title in phone_page.content()
    shot(phone_page, "grids-grid-page-phone")
