"""Progress on long ledger work (issue 19 item 2): the job store holds a small dict of counts
next to the percent; the preview and import pages show rows checked, rows written, errors and
time left while the worker runs, and keep showing them on a reload (the job id is in the URL);
取消 stops a running import, which then has written nothing; the background ledger export shows
the rows it has written. The worker runs in-process (``db_worker --batch``), as in
test_upload_jobs; transactional, because the worker commits."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core import jobs as core_jobs
from renda.core.roles import Role
from renda.ledger import exporter, importer
from renda.ledger import jobs as ledger_jobs
from renda.ledger.tests.test_upload_jobs import grids, login, post, run_worker
from renda.places.models import Region

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


@pytest.fixture(autouse=True)
def every_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report of the importer reaches the store (the tests count them)."""
    monkeypatch.setattr(ledger_jobs, "REPORT_EVERY", 0)


def job_id_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def text(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed (for "已检查 1200 / 约 3000 行")."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the store -----------------------------------------------------------------------------


def test_the_store_keeps_a_small_dict_beside_the_percent(data_dir: Path) -> None:
    job = uuid.uuid4()
    assert core_jobs.progress(job) is None and core_jobs.progress_details(job) is None
    core_jobs.set_progress(job, 40)
    assert core_jobs.progress(job) == 40 and core_jobs.progress_details(job) is None  # the percent API as before
    core_jobs.set_progress(job, 140, {"rows_checked": 1200, "sheet": "意见建议"})
    assert core_jobs.progress(job) == 100
    assert core_jobs.progress_details(job) == {"rows_checked": 1200, "sheet": "意见建议"}
    with pytest.raises(ValueError):
        core_jobs.set_progress(job, 50, {"rows": "x" * core_jobs.DETAILS_MAX_BYTES})
    assert core_jobs.progress(job) == 100  # the last good write stands


def test_the_cancel_flag_survives_progress_writes_and_goes_with_the_job(data_dir: Path) -> None:
    job = uuid.uuid4()
    assert not core_jobs.cancel_requested(job)
    with core_jobs.tracking(job) as step:
        core_jobs.request_cancel(job)
        step(30)
        core_jobs.set_progress(job, 60, {"rows_checked": 10})
        assert core_jobs.cancel_requested(job)
    assert not core_jobs.cancel_requested(job) and core_jobs.progress(job) is None
    assert list((data_dir / "jobs").iterdir()) == []
    core_jobs.clear_progress("not-a-uuid")  # nothing to forget, no error


# --- the preview and import pages ------------------------------------------------------------


def test_the_job_page_shows_the_counts_so_far_and_a_reload_keeps_them(world: World) -> None:
    client = login(world)
    job_url = post(client, grids(world, 5))["Location"]
    job = job_id_of(job_url)
    # What the worker records halfway (as ledger.jobs._Reporter does).
    state = importer.Progress(rows_total=3000, rows_checked=1200, rows_written=1150, errors=3, sheet="网格")
    state.started -= 60  # 1200 rows in 60 s: 1800 left take 90 s
    core_jobs.set_progress(job, state.percent, state.as_dict())
    for response in (client.get(job_url), client.get(job_url), client.get(job_url, HTTP_HX_REQUEST="true")):
        page = text(response.content.decode())
        assert response.status_code == 200
        assert "已检查 1200 / 约 3000 行" in page
        assert "可写入 1150 行" in page  # a preview writes nothing for good
        assert "错误 3 个" in page
        assert "剩余时间 约 2 分钟" in page
        assert 'value="40"' in response.content.decode()  # the bar
        assert 'hx-trigger="every 2s"' in response.content.decode()
        assert 'id="job-cancel"' in response.content.decode()
    state = client.get(job_url, {"format": "json"}).json()
    assert state["progress"]["rows_checked"] == 1200 and state["finished"] is False

    # Under a minute left; the worker has not said yet.
    core_jobs.set_progress(job, 99, importer.Progress(rows_total=3000, rows_checked=2990).as_dict() | {
        "seconds_left": 12.4})
    assert "剩余时间 约 12 秒" in text(client.get(job_url).content.decode())
    core_jobs.clear_progress(job)
    page = text(client.get(job_url).content.decode())
    assert "已检查" not in page and "排队中" in page


def test_another_users_job_is_a_404_for_its_page_and_its_cancel(world: World) -> None:
    job_url = post(login(world), grids(world, 1))["Location"]
    job = job_id_of(job_url)
    core_jobs.set_progress(job, 10, {"rows_checked": 1})
    other = Client()
    other.force_login(world.users[Role.ADMIN])
    assert other.get(job_url).status_code == 404
    assert other.get(job_url, {"format": "json"}).status_code == 404
    assert other.post(reverse("ledger:cancel", args=[job])).status_code == 404
    assert not core_jobs.cancel_requested(job)


def test_the_worker_records_progress_as_it_goes_and_the_result_keeps_the_last(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 100)
    seen: list[dict[str, Any]] = []
    real = core_jobs.set_progress

    def spy(job_id: object, percent: int, details: Any = None) -> None:
        seen.append(dict(details or {}))
        real(job_id, percent, details)

    monkeypatch.setattr(core_jobs, "set_progress", spy)
    client = login(world)
    job_url = post(client, grids(world, 450))["Location"]
    run_worker()
    checked = [d["rows_checked"] for d in seen if d]
    assert [n for n in checked if n % 100 == 0 and 0 < n < 450] == [100, 200, 300, 400]
    assert seen[-1]["finished"] is True and seen[-1]["rows_checked"] == 450
    assert seen[-1]["rows_total"] == 450 and seen[-1]["errors"] == 0
    # The job has ended: its progress file is gone, its result keeps the last counts.
    assert list((Path(core_jobs.export_dir()).parent / "jobs").iterdir()) == []
    page = text(client.get(job_url).content.decode())
    assert "已检查 450 行" in page and "可写入 450 行" in page and "错误 0 个" in page and "用时" in page
    assert 'id="job-cancel"' not in page


def test_cancel_stops_a_running_import_and_nothing_is_written(world: World,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 50)
    client = login(world)
    preview_url = post(client, grids(world, 300))["Location"]
    run_worker()
    import_url = client.post(reverse("ledger:confirm"), {"job": job_id_of(preview_url)})["Location"]
    job = job_id_of(import_url)
    audited = AuditEvent.objects.count()
    running = client.get(import_url).content.decode()
    assert 'data-confirm="确定取消本次导入？已写入的数据将全部撤销。"' in running

    # The user presses 取消 once the worker reports rows written (from inside its progress call,
    # so the import is surely halfway).
    real = core_jobs.set_progress
    pressed: list[int] = []

    def press_cancel_halfway(job_id: object, percent: int, details: Any = None) -> None:
        real(job_id, percent, details)
        if details and details["rows_written"] >= 100 and not pressed:
            assert Region.objects.filter(name__startswith="上传网格").count() >= 100  # written, not committed
            pressed.append(details["rows_written"])
            assert client.post(reverse("ledger:cancel", args=[job])).status_code == 302

    monkeypatch.setattr(core_jobs, "set_progress", press_cancel_halfway)
    run_worker()
    assert pressed == [100]
    assert not Region.objects.filter(name__startswith="上传网格").exists()
    assert AuditEvent.objects.count() == audited
    page = client.get(import_url).content.decode()
    assert "导入已取消，没有写入任何数据。" in page and "已导入" not in page
    assert "已检查" in text(page) and "已写入 0 行" in text(page)
    state = client.get(import_url, {"format": "json"}).json()
    assert state["cancelled"] is True and state["result"]["committed"] is False
    assert not core_jobs.cancel_requested(job)  # the flag went with the job
    # Too late now: the job has ended.
    response = client.post(reverse("ledger:cancel", args=[job]), follow=True)
    assert "该任务已结束，无法取消。" in response.content.decode()
    assert not core_jobs.cancel_requested(job)


def test_a_preview_cancelled_before_it_starts_stops_at_once(world: World, data_dir: Path) -> None:
    client = login(world)
    job_url = post(client, grids(world, 20))["Location"]
    response = client.post(reverse("ledger:cancel", args=[job_id_of(job_url)]), follow=True)
    assert "已请求取消" in response.content.decode() and "正在取消" in response.content.decode()
    assert 'id="job-cancel" disabled' in response.content.decode()
    run_worker()
    page = client.get(job_url).content.decode()
    assert "校验已取消，没有写入任何数据。" in page and "确认导入" not in page
    assert list((data_dir / "uploads").iterdir()) == []  # the upload went with it


def test_an_uncancelled_job_is_not_reported_as_cancelled(world: World) -> None:
    client = login(world)
    job_url = post(client, grids(world, 3))["Location"]
    run_worker()
    state = client.get(job_url, {"format": "json"}).json()
    assert state["cancelled"] is False and state["result"]["ok"] is True
    assert "已取消" not in client.get(job_url).content.decode()


# --- the background export -------------------------------------------------------------------


def test_the_exporter_reports_rows_sheet_by_sheet(world: World, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(exporter, "PROGRESS_EVERY", 2)
    reports: list[dict[str, Any]] = []
    done = exporter.export_workbook(tmp_path / "t.xlsx", town=world.town,
                                    progress=lambda p: reports.append(p.as_dict()))
    wb = load_workbook(tmp_path / "t.xlsx", read_only=True)
    rows = {ws.title: sum(1 for _ in ws.iter_rows()) - 1 for ws in wb.worksheets}
    assert done.sheet_rows == rows and done.rows_written == sum(rows.values()) > 0
    assert reports[-1]["finished"] is True and reports[-1]["percent"] == 100
    assert reports[-1]["sheets_done"] == reports[-1]["sheets_total"] == len(rows)
    assert [r["percent"] for r in reports] == sorted(r["percent"] for r in reports)
    # Every sheet reports when it starts (0 rows) and when it ends; a sheet of 2+ rows on the way.
    started = list(dict.fromkeys(r["sheet"] for r in reports if r["sheet_rows"].get(r["sheet"]) == 0))
    assert started == list(rows)
    big = next(name for name, n in rows.items() if n >= 2)
    assert any(r["sheet"] == big and r["sheet_rows"][big] == 2 for r in reports)
    # Without a callback the count is the same.
    assert exporter.export_workbook(tmp_path / "u.xlsx", town=world.town).sheet_rows == rows


def test_the_background_export_shows_rows_written_then_offers_the_file(world: World) -> None:
    client = login(world)
    response = client.post(reverse("ledger:export_start"))
    assert response.status_code == 302
    status_url = response["Location"]
    job = job_id_of(status_url)
    waiting = client.get(status_url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "job-download" not in waiting
    core_jobs.set_progress(job, 42, exporter.ExportProgress(
        sheets_total=12, sheet_rows={"镇街": 1, "意见建议": 1234}, sheet="意见建议").as_dict())
    for page in (client.get(status_url), client.get(status_url, HTTP_HX_REQUEST="true")):
        assert "已写入 1235 行（正在导出工作表「意见建议」）" in page.content.decode()
    core_jobs.clear_progress(job)
    run_worker()
    done = client.get(status_url).content.decode()
    assert "job-download" in done
    state = client.get(status_url, {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["rows"] > 0
    download = client.get(reverse("ledger:export_download", args=[job]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert body[:2] == b"PK"
    # Someone else's export is a 404; the job id is not a ledger upload job either.
    other = Client()
    other.force_login(world.users[Role.ADMIN])
    assert other.get(status_url).status_code == 404
    assert other.get(reverse("ledger:export_download", args=[job])).status_code == 404
    assert client.get(reverse("ledger:job", args=[job])).status_code == 404
    assert ledger_jobs.export_job_for(world.users[Role.STAFF], job) is not None


def test_the_sweep_removes_what_a_killed_job_left_only(data_dir: Path) -> None:
    import os
    import time

    dead, alive = uuid.uuid4(), uuid.uuid4()
    core_jobs.set_progress(dead, 40, {"rows_checked": 800})
    core_jobs.request_cancel(dead)
    core_jobs.set_progress(alive, 10, {"rows_checked": 200})
    old = time.time() - 3 * 3600
    for f in (data_dir / "jobs").iterdir():
        if f.stem == dead.hex:
            os.utime(f, (old, old))
    assert core_jobs.sweep_progress(2 * 3600) == 2
    assert core_jobs.progress(dead) is None and not core_jobs.cancel_requested(dead)
    assert core_jobs.progress(alive) == 10


def test_a_fast_import_writes_its_progress_at_most_twice_a_second(data_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger_jobs, "REPORT_EVERY", 0.5)
    clock = [100.0]
    monkeypatch.setattr(ledger_jobs.time, "monotonic", lambda: clock[0])
    job = uuid.uuid4()
    reporter = ledger_jobs._Reporter(job)
    state = importer.Progress(rows_total=1000)
    state.rows_checked = 200
    reporter(state)
    assert core_jobs.progress_details(job)["rows_checked"] == 200  # type: ignore[index]
    core_jobs.request_cancel(job)
    clock[0] += 0.4  # too soon: neither written nor looked at
    state.rows_checked = 400
    reporter(state)
    assert core_jobs.progress_details(job)["rows_checked"] == 200  # type: ignore[index]
    assert reporter.last["rows_checked"] == 400 and not reporter.cancelled
    clock[0] += 0.1  # half a second on: written, and the flag seen
    state.rows_checked = 600
    with pytest.raises(importer.ImportCancelled):
        reporter(state)
    assert core_jobs.progress_details(job)["rows_checked"] == 600  # type: ignore[index]
    assert reporter.cancelled
    state.rows_checked, state.finished = 650, True  # the last report: always written, never cancelled
    reporter(state)
    assert core_jobs.progress_details(job)["finished"] is True
