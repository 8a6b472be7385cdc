"""Web uploads of a ledger are checked and imported by the background worker, never in the
request (issue #14 item 3): the upload is stored 0600 and removed when its job ends; a zip bomb
or a whitespace bomb is refused in under a second with a clear message; the sweep removes what a
killed job left. The worker runs in-process (``db_worker --batch``), as in the export tests; a
module of its own because the tests are transactional."""

from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core import uploads
from renda.core.roles import Role
from renda.ledger import importer
from renda.ledger.tests.helpers import workbook
from renda.places.models import Region

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["网格编码", "名称", "所属村社区代码"]


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def world(transactional_db: None) -> World:
    return World()


def login(world: World) -> Client:
    client = Client()
    client.force_login(world.users[Role.STAFF])
    return client


def grids(world: World, n: int, start: int = 100) -> bytes:
    """``n`` new grids of the world's village (codes the world's own grids do not hold: their
    numbers come from a factory sequence that grows over a test process)."""
    taken = set(Region.objects.values_list("code", flat=True))
    codes = [c for c in (f"{world.village.code}{i:03d}" for i in range(1, 1000)) if c not in taken][:n]
    assert len(codes) == n
    rows = [[code, f"上传网格{start + j}", world.village.code] for j, code in enumerate(codes)]
    return workbook({"网格": [HEADER, *rows]}).getvalue()


def post(client: Client, data: bytes, name: str = "台账.xlsx") -> Any:
    return client.post(reverse("ledger:upload"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def pending(data_dir: Path) -> list[Path]:
    folder = data_dir / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_500_row_workbook_is_previewed_and_imported_by_the_worker(world: World, data_dir: Path) -> None:
    client = login(world)
    started = time.monotonic()
    response = post(client, grids(world, 500))
    assert time.monotonic() - started < 5  # the request only stores the file
    assert response.status_code == 302
    job_url = response["Location"]
    # Nothing read yet: the page says so and polls.
    waiting = client.get(job_url)
    html = waiting.content.decode()
    assert waiting.status_code == 200 and "排队中" in html and 'hx-trigger="every 2s"' in html
    assert "确认导入" not in html
    stored = pending(data_dir)
    assert len(stored) == 1
    assert stat.S_IMODE(stored[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "uploads").stat().st_mode) == 0o700

    run_worker()
    preview = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert "新增 500 条, 更新 0 条, 未变 0 条" in preview and "确认导入" in preview
    assert "另有 300 条未列出" in preview and 'hx-trigger' not in preview
    assert not Region.objects.filter(name="上传网格100").exists()
    assert pending(data_dir) == stored  # kept for the import

    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    confirmed = client.post(reverse("ledger:confirm"), {"job": job_id})
    assert confirmed.status_code == 302 and confirmed["Location"] != job_url
    run_worker()
    done = client.get(confirmed["Location"]).content.decode()
    assert "已导入：新增 500 条, 更新 0 条" in done and "确认导入" not in done
    assert Region.objects.filter(name__startswith="上传网格").count() == 500
    grid = Region.objects.get(name="上传网格100")
    event = AuditEvent.objects.get(verb="region.create", target_id=str(grid.pk))
    assert event.actor == world.users[Role.STAFF] and event.source == "import"
    assert pending(data_dir) == []  # removed when the import ended
    state = client.get(confirmed["Location"], {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["result"]["committed"] is True

    # The preview cannot be confirmed twice.
    assert client.post(reverse("ledger:confirm"), {"job": job_id}).status_code == 302
    assert Region.objects.filter(name__startswith="上传网格").count() == 500


def test_a_preview_with_errors_removes_the_file_and_offers_no_confirm(world: World, data_dir: Path) -> None:
    client = login(world)
    data = workbook({"网格": [HEADER, [f"{world.other_village.code}777", "外镇网格", world.other_village.code]]})
    job_url = post(client, data.getvalue())["Location"]
    run_worker()
    html = client.get(job_url).content.decode()
    assert "工作表「网格」第2行「所属村社区代码」: 不属于您所在的镇街" in html
    assert "确认导入" not in html
    assert pending(data_dir) == []
    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    assert client.post(reverse("ledger:confirm"), {"job": job_id}).status_code == 302
    run_worker()
    assert not Region.objects.filter(name="外镇网格").exists()


def test_another_user_cannot_see_the_job(world: World) -> None:
    job_url = post(login(world), grids(world, 1))["Location"]
    other = Client()
    other.force_login(world.users[Role.ADMIN])
    assert other.get(job_url).status_code == 404


# -- hostile workbooks, generated here ---------------------------------------------------------


def shared_strings_bomb(megabytes: int = 300) -> bytes:
    """A valid-looking workbook whose sharedStrings.xml is hundreds of MB of one repeated string."""
    good = zipfile.ZipFile(io.BytesIO(workbook({"网格": [HEADER]}).getvalue()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in good.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, good.read(info))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            block = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(block)
            fh.write(b"</t></si></sst>")
    return buf.getvalue()


def whitespace_bomb(megabytes: int = 60) -> bytes:
    """A workbook whose sheet is mostly whitespace between tags (what grew a worker to 2 GB)."""
    good = zipfile.ZipFile(io.BytesIO(workbook({"网格": [HEADER]}).getvalue()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in good.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                    block = b" " * (1024 * 1024)
                    for _ in range(megabytes):
                        fh.write(block)
                    fh.write(b"</sheetData></worksheet>")
            else:
                out.writestr(info, good.read(info))
    return buf.getvalue()


@pytest.mark.parametrize(("bomb", "message"), [
    (shared_strings_bomb, "工作簿"),
    (whitespace_bomb, "压缩比异常"),
])
def test_bombs_are_refused_at_once_with_a_clear_message(world: World, data_dir: Path, bomb: Any,
                                                          message: str) -> None:
    data = bomb()
    assert len(data) < 2 * 1024 * 1024
    client = login(world)
    started = time.monotonic()
    response = post(client, data)
    elapsed = time.monotonic() - started
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "已拒绝" in html
    assert elapsed < 1.0, elapsed
    assert pending(data_dir) == []
    # The importer itself (the command line, the job) refuses it as quickly.
    started = time.monotonic()
    result = importer.import_workbook(io.BytesIO(data))
    assert time.monotonic() - started < 1.0
    assert not result.ok and "已拒绝" in result.errors[0].message


def test_the_shared_strings_bomb_is_named_for_what_it_is(world: World) -> None:
    result = importer.import_workbook(io.BytesIO(shared_strings_bomb(megabytes=60)))
    assert result.error_lines() == ["工作簿中的文字内容解压后过大，已拒绝。"]


def test_a_sheet_declaring_too_many_rows_is_refused_before_reading(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(uploads, "XLSX_MAX_ROWS", 100)
    result = importer.import_workbook(io.BytesIO(grids(world, 150)))
    assert result.error_lines() == [uploads.too_many_rows()]


def test_rows_beyond_the_limit_stop_the_import_as_it_reads(world: World, monkeypatch: Any) -> None:
    """A sheet that hides its size (no dimension) is stopped by the rows it really has."""
    monkeypatch.setattr(uploads, "XLSX_MAX_ROWS", 100)
    data = grids(world, 150)
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = body.replace(b'<dimension ref="A1:C151"/>', b"")
            out.writestr(info, body)
    result = importer.import_workbook(io.BytesIO(buf.getvalue()), dry_run=True)
    assert uploads.too_many_rows() in result.error_lines()
    assert not Region.objects.filter(name="上传网格100").exists()


def test_a_file_that_is_not_a_workbook_is_refused_in_the_request(world: World, data_dir: Path) -> None:
    response = post(login(world), b"not a workbook")
    assert response.status_code == 400 and "无法读取文件" in response.content.decode()
    assert pending(data_dir) == []


# -- the sweep ---------------------------------------------------------------------------------


def test_the_sweep_removes_stale_uploads_only(data_dir: Path) -> None:
    folder = uploads.pending_dir()
    stale = folder / "ledger-0123456789abcdef0123456789abcdef.xlsx"
    fresh = folder / "ledger-fedcba9876543210fedcba9876543210.xlsx"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"y")
    old = time.time() - uploads.PENDING_MAX_AGE - 60
    os.utime(stale, (old, old))
    call_command("sweep_uploads", verbosity=0)
    assert not stale.exists() and fresh.exists()


def test_a_job_whose_file_was_swept_says_the_preview_expired(world: World, data_dir: Path) -> None:
    client = login(world)
    job_url = post(client, grids(world, 1))["Location"]
    for f in pending(data_dir):
        f.unlink()
    run_worker()
    assert "预览已失效，请重新上传台账。" in client.get(job_url).content.decode()


def test_the_command_line_has_no_rows_limit(world: World, monkeypatch: Any, tmp_path: Path) -> None:
    """An administrator's ``renda import_ledger`` on the server imports a district's full ledger;
    the zip's sizes are still checked."""
    monkeypatch.setattr(uploads, "XLSX_MAX_ROWS", 100)
    book = tmp_path / "grids.xlsx"
    book.write_bytes(grids(world, 150))
    out = io.StringIO()
    call_command("import_ledger", str(book), "--dry-run", stdout=out, stderr=out)
    assert "新增 150 条" in out.getvalue(), out.getvalue()
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(whitespace_bomb())
    out = io.StringIO()
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_ledger", str(bomb), "--dry-run", stdout=out, stderr=out)
    assert "压缩比异常" in out.getvalue()


def test_a_job_that_meets_a_locked_database_retries_and_succeeds(world: World, data_dir: Path,
                                                                  monkeypatch: Any) -> None:
    from django.db import OperationalError

    from renda.core import retry
    from renda.ledger import jobs

    real = jobs.import_workbook
    calls: list[int] = []

    def locked_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    sleeps: list[float] = []
    monkeypatch.setattr(jobs, "import_workbook", locked_once)
    monkeypatch.setattr(retry.time, "sleep", sleeps.append)
    client = login(world)
    job_url = post(client, grids(world, 3))["Location"]
    run_worker()
    state = client.get(job_url, {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["result"]["ok"] is True
    assert len(calls) == 2 and sleeps == [2.0]
