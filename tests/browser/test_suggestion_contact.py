"""In Chromium: the unit handling a public opinion reveals the submitter's phone with a reason
(查看联系方式); the office ticks rows on the list and downloads their 交办单 as one Word file."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from renda.core.roles import Role
from renda.suggestions import services
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reveal_and_bulk_documents(live_server: Any, page: Any) -> None:
    world = World()
    base = live_server.url
    staff = world.users[Role.STAFF]
    items = []
    for title in ("修建公交车站台", "三组路灯不亮", "排水沟堵塞"):
        s = services.suggestion_register(actor=staff, town=world.town, kind="public", title=title,
                                         content="村民反映", source="visit", submitter_name="张小三",
                                         submitter_phone="13812345678", grid=world.grid)
        items.append(services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit,
                                                comment="请实地查看后答复"))
    first = items[0]

    # The lead unit sees the contact masked, states a reason, and sees it once.
    log_in(page, base, world.users[Role.UNIT].username)
    page.goto(f"{base}/suggestions/{first.pk}/")
    see(page, "138****5678")
    shot(page, "suggestions-contact-masked")
    page.fill("#id_reveal-reason", "电话了解现场情况")
    page.click("#reveal-form button[type=submit]")
    see(page, "13812345678")
    see(page, "已显示完整信息")
    shot(page, "suggestions-contact-revealed")
    page.goto(f"{base}/suggestions/{first.pk}/")
    see(page, "138****5678")

    # The office ticks two rows of the list and downloads their 交办单 in one file.
    page.context.clear_cookies()
    log_in(page, base, staff.username)
    page.goto(f"{base}/suggestions/")
    see(page, "下载意见建议交办单")
    page.check(f'input[name="ids"][value="{items[0].pk}"]')
    page.check(f'input[name="ids"][value="{items[2].pk}"]')
    shot(page, "suggestions-list-ticked")
    with page.expect_download() as info:
        page.click("#bulk-form button:has-text('下载意见建议交办单')")
    download = info.value
    assert download.suggested_filename == "意见建议交办单-2件.docx"
    with open(download.path(), "rb") as fh:
        text = "\n".join(c.text for t in Document(io.BytesIO(fh.read())).tables for r in t.rows for c in r.cells)
    assert items[0].code in text and items[2].code in text and items[1].code not in text
