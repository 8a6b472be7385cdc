"""The web import of a large workbook in Chromium (issue 19, "Done when"): a few thousand
意见建议 rows, generated here; while the worker checks them, and again while it imports them, the
job page shows the progress bar with the rows checked, the rows written, the errors and the time
left, a reload keeps them (the job id is in the URL), and then the result. Screenshots are saved
as artifacts (``RENDA_ARTIFACTS_DIR``)."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from renda.core.roles import Role
from renda.ledger.tests.helpers import workbook
from renda.ledger.tests.test_large_imports import SUGGESTION_HEADERS, suggestion_row
from renda.suggestions.models import Suggestion
from tests.browser.conftest import ARTIFACTS, see, shot
from tests.browser.test_ledger_upload import run_worker_soon
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = int(os.environ.get("RENDA_BROWSER_LEDGER_ROWS", "2000"))


def count(page: Any, name: str) -> int:
    """The number a progress count shows (``[data-count=name]``: "1200 / 约 3000 行" → 1200; 0 once
    the bar has gone)."""
    from playwright.sync_api import Error

    try:
        shown = page.locator(f"#ledger-progress [data-count={name}]").inner_text(timeout=1000)
    except Error:  # swapped out as the job ended
        return 0
    match = re.match(r"\s*(\d+)", shown)
    assert match, shown
    return int(match.group(1))


def top(page: Any, name: str) -> None:
    """What the user sees without scrolling (the result's head; ``shot`` takes the whole page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def flat(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.inner_text(selector))


def wait_for_rows(page: Any, name: str, timeout: float = 300) -> int:
    """Wait until the running job's page shows ``name`` > 0 (the page polls itself)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.locator("#ledger-progress").count():
            n = count(page, name)
            if n > 0:
                return n
        page.wait_for_timeout(300)
    raise AssertionError(f"{name} never shown:\n{page.inner_text('body')[-2000:]}")


def test_a_large_import_shows_its_progress_then_its_result(live_server: Any, page: Any, settings: Any,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DATA_DIR = tmp_path
    # The bulk path (a sheet of 1,000 rows or more) takes 2,000 rows in a few seconds: smaller
    # batches and a pause at each report (every 50 rows) keep it running for a few of the page's
    # 2-second polls, so the test sees the counts grow, whatever the machine's speed.
    from renda.ledger import importer

    monkeypatch.setattr(importer, "BULK_BATCH", 250)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 50)
    report = importer._Tracker.report

    def slowly(self: Any, result: Any, sheet: str | None = None) -> None:
        report(self, result, sheet)
        time.sleep(0.15)

    monkeypatch.setattr(importer._Tracker, "report", slowly)
    world = World()
    book = tmp_path / "意见建议台账.xlsx"
    rows = [suggestion_row(world, f"YJ2023-{n:05d}") for n in range(1, ROWS + 1)]
    book.write_bytes(workbook({"意见建议": [SUGGESTION_HEADERS, *rows]}).getvalue())
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/ledger/")
    page.set_input_files("#id_file", str(book))

    # The dry run: the bar and the counts while the worker checks the rows.
    thread = run_worker_soon(1.0)
    started = time.monotonic()
    page.click("text=上传并预览")
    checked = wait_for_rows(page, "rows_checked")
    assert page.locator("#job-progress").is_visible()
    assert page.locator("#job-cancel").is_visible()
    page_text = flat(page, "#ledger-progress")
    assert f"/ 约 {ROWS} 行" in page_text and "可写入" in page_text and "错误" in page_text
    assert "剩余时间" in page_text
    shot(page, "ledger-progress-preview-running")
    # A reload keeps the job and its counts (never fewer rows than before).
    job_url = page.url
    page.reload()
    assert page.url == job_url
    if page.locator("#ledger-progress").count():
        assert count(page, "rows_checked") >= checked
        shot(page, "ledger-progress-preview-reloaded")
    see(page, f"校验通过，确认后将写入：新增 {ROWS + 1} 条", timeout=600_000)  # the rows and their category
    preview_seconds = time.monotonic() - started
    thread.join()
    assert f"已检查 {ROWS} 行" in flat(page, "#ledger-counts")
    shot(page, "ledger-progress-preview-done")
    top(page, "ledger-progress-preview-done-top")
    assert not Suggestion.objects.filter(code__startswith="YJ2023-").exists()

    # The import: the rows written grow while it runs, then the result.
    thread = run_worker_soon(1.0)
    started = time.monotonic()
    page.click("text=确认导入")
    written = wait_for_rows(page, "rows_written")
    assert 0 < written < ROWS
    assert "已写入" in page.inner_text("#ledger-progress")
    shot(page, "ledger-progress-import-running")
    # The page polls: the counts grow without a reload.
    deadline = time.monotonic() + 300
    while page.locator("#ledger-progress").count() and count(page, "rows_written") <= written:
        assert time.monotonic() < deadline
        page.wait_for_timeout(300)
    if count(page, "rows_checked") > written:
        shot(page, "ledger-progress-import-running-later")
    see(page, f"已导入：新增 {ROWS + 1} 条", timeout=600_000)
    import_seconds = time.monotonic() - started
    thread.join()
    counts = flat(page, "#ledger-counts")
    assert f"已检查 {ROWS} 行" in counts and f"已写入 {ROWS} 行" in counts and "错误 0 个" in counts
    shot(page, "ledger-progress-import-done")
    top(page, "ledger-progress-import-done-top")
    assert Suggestion.objects.filter(code__startswith="YJ2023-").count() == ROWS
    print(f"\n{ROWS} rows: preview {preview_seconds:.1f} s, import {import_seconds:.1f} s")
