"""Lists in Chromium: 导出 Excel after filtering in the page exports exactly the rows shown;
a list of 20 items reads on a phone (a compact card per item, the filters folded behind one
button) and on a 1366 px desktop no code, date or state breaks across lines."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World, make_unit, make_village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Lines of a cell's text: the distinct tops of its line boxes.
LINES = """cell => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  return new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""


def twenty_items(world: World) -> list[Suggestion]:
    """20 items with long words in every column: 12 registered, 8 assigned to a unit with a
    long name (so they have a deadline)."""
    staff = world.users[Role.STAFF]
    unit = make_unit(world.town, name="区农业农村局农田水利建设管理服务中心")
    village = make_village(world.town, name="东山街道幸福里第二社区居民委员会")
    items = []
    for i in range(20):
        s = services.suggestion_register(
            actor=staff, town=world.town, kind="deputy", lead_deputy=world.deputy, village=village,
            title=f"关于加强农田水利基础设施建设与施工质量全过程监督管理的建议（第{i + 1}号）",
            content="建议加强监督", source="session")
        if i % 5 in (1, 3):
            services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=unit)
        items.append(s)
    return items


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


def test_export_after_filtering_in_the_page(live_server: Any, desktop_page: Any) -> None:
    from playwright.sync_api import expect

    world = World()
    twenty_items(world)
    page = desktop_page
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/suggestions/")
    rows = page.locator("#list-table tbody tr")
    expect(rows).to_have_count(20)

    # Filter in the page (HTMX, no reload): the assigned items, then a search within them.
    page.select_option("#id_state", "assigned")
    expect(rows).to_have_count(8)
    page.fill("#id_q", "第1")  # the assigned 第2, 4, 7, 9, 12, 14, 17 and 19号: 第12, 14, 17 and 19号
    page.press("#id_q", "Enter")
    expect(rows).to_have_count(4)
    codes = [rows.nth(i).locator("td:not(.bulk-select)").first.inner_text().strip() for i in range(4)]
    shot(page, "list-filtered-before-export")

    with page.expect_download() as download_info:
        page.click("text=导出 Excel")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).worksheets[0]
    header, *data = list(sheet.iter_rows(values_only=True))
    exported = [row[header.index("编号")] for row in data]
    assert exported == codes
    assert {row[header.index("状态")] for row in data} == {"已交办"}


def test_a_list_of_20_reads_on_a_phone(live_server: Any, phone_page: Any) -> None:
    from playwright.sync_api import expect

    world = World()
    twenty_items(world)

    # Phone, 390 px: 20 compact cards; the filters folded behind one button.
    log_in(phone_page, live_server.url, world.users[Role.STAFF].username)
    phone_page.goto(f"{live_server.url}/suggestions/")
    see(phone_page, "共 20 条")
    expect(phone_page.locator("#id_state")).to_be_hidden()
    height = phone_page.evaluate("document.documentElement.scrollHeight")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    shot(phone_page, "list-phone")
    assert height < 3000, f"a phone list of 20 items is {height} px high"
    assert width <= 390, f"the phone page is {width} px wide"
    first = phone_page.locator("#list-table tbody tr").first
    card = first.inner_text()
    assert "关于加强农田水利" in card and ("已登记" in card or "已交办" in card)
    # Only the card's fields: not the deputy or the village of the table's other columns.
    assert world.deputy.name not in card and "幸福里" not in card
    phone_page.click("button[aria-controls=filters-panel]")
    expect(phone_page.locator("#id_state")).to_be_visible()
    expect(phone_page.locator("#filters-panel")).to_have_class(re.compile(r"\bshow\b"))  # opened, not opening
    shot(phone_page, "list-phone-filters-open")
    phone_page.select_option("#id_state", "assigned")
    expect(phone_page.locator("#list-table tbody tr")).to_have_count(8)



def test_no_code_date_or_state_breaks_on_a_desktop(live_server: Any, desktop_page: Any) -> None:
    world = World()
    twenty_items(world)

    # Desktop, 1366 px: codes, dates and states each on one line; no 所属镇街 for one town's staff.
    page = desktop_page
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/suggestions/")
    see(page, "共 20 条")
    shot(page, "list-desktop")
    whole = {"编号", "状态", "登记日期", "办理期限", "类型"}
    checked = 0
    for cell in page.locator("#list-table tbody td").all():
        label = cell.get_attribute("data-label") or ""
        if label in whole and cell.inner_text().strip():
            lines = cell.evaluate(LINES)
            assert lines == 1, f"{label} 「{cell.inner_text()}」 breaks over {lines} lines"
            checked += 1
    assert checked >= 20 * 4
    for th in page.locator("#list-table thead th").all():
        assert th.evaluate(LINES) == 1, f"the heading {th.inner_text()} breaks"
    headers = page.locator("#list-table thead th").all_inner_texts()
    assert "所属镇街" not in headers and "编号" in headers

    # A search lists its rows first and its total right after (read by a second request).
    page.goto(f"{live_server.url}/suggestions/?q=" + "水利")
    see(page, "第 1–20 条")
    see(page, "共 20 条")
    assert page.locator("text=正在统计总数").count() == 0
    shot(page, "list-search-counted-after")

    # A district-wide user does see the town column.
    page.context.clear_cookies()
    log_in(page, live_server.url, world.users[Role.DISTRICT_VIEWER].username)
    page.goto(f"{live_server.url}/suggestions/")
    see(page, "共 20 条")
    assert "所属镇街" in page.locator("#list-table thead th").all_inner_texts()
