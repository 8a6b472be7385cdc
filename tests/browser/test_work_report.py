"""The work report page in Chromium (issue #17 item 3): the office picks a period and a format,
the job runs in the background (the status page polls, with a progress bar while it runs), and
the download is the Word file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from renda.core.roles import Role
from tests.browser.conftest import see, shot
from tests.browser.test_ledger_upload import run_worker_soon
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_makes_the_work_report_and_downloads_it(live_server: Any, page: Any, settings: Any,
                                                        tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    world = World()
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/reports/")
    page.click("#nav a.dropdown-toggle:text-is('统计报告')")  # the 统计报告 menu group
    page.click("#nav a:text-is('工作报告')")
    see(page, "工作报告初稿")
    page.select_option("#id_kind", "half")
    page.select_option("#id_year", "2023")
    page.select_option("#id_half", "1")
    assert not page.locator("#id_quarter").is_visible()
    page.check("#id_format_0")  # Word
    shot(page, "work-report-form")
    thread = run_worker_soon(1.5)
    page.click("#work-report-submit")
    see(page, "排队中")
    shot(page, "work-report-waiting")
    see(page, "下载 Word 文档", timeout=60_000)
    thread.join()
    page.reload()  # the status page survives a reload
    see(page, "已完成")
    shot(page, "work-report-done")
    with page.expect_download() as info:
        page.click("#job-download")
    name = info.value.suggested_filename
    assert name == f"{world.town.name}2023年上半年人大主席团工作报告.docx", name
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"
