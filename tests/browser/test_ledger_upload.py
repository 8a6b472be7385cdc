"""A ledger upload in Chromium (issue #14 item 3): the upload page hands the workbook to the
worker, the job page polls until the preview is ready, the import runs in the background too, and
a zip bomb is refused on the upload page at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from renda.core import worker
from renda.core.roles import Role
from renda.ledger.tests.test_upload_jobs import grids, whitespace_bomb
from renda.places.models import Region
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker_soon(delay: float = 2.5) -> threading.Thread:
    """The worker, a little later, in another thread (the page must be seen polling first)."""

    def work() -> None:
        time.sleep(delay)
        try:
            worker.make_worker(0).run()  # one pass (signals are the main thread's)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_upload_preview_and_import_in_the_background(live_server: Any, page: Any, settings: Any,
                                                      tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    world = World()
    book = tmp_path / "台账.xlsx"
    book.write_bytes(grids(world, 500))
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/ledger/")
    page.set_input_files("#id_file", str(book))
    thread = run_worker_soon()
    page.click("text=上传并预览")
    see(page, "排队中")
    shot(page, "ledger-upload-waiting")
    see(page, "校验通过，确认后将写入：新增 500 条", timeout=60_000)
    thread.join()
    shot(page, "ledger-upload-preview")
    thread = run_worker_soon(1.0)
    page.click("text=确认导入")
    see(page, "已导入：新增 500 条", timeout=60_000)
    thread.join()
    shot(page, "ledger-upload-done")
    assert Region.objects.filter(name__startswith="上传网格").count() == 500
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_bomb_is_refused_on_the_upload_page(live_server: Any, page: Any, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    world = World()
    book = tmp_path / "炸弹.xlsx"
    book.write_bytes(whitespace_bomb())
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/ledger/")
    page.set_input_files("#id_file", str(book))
    page.click("text=上传并预览")
    see(page, "工作簿压缩比异常（疑似压缩炸弹），已拒绝。")
    shot(page, "ledger-upload-bomb")
