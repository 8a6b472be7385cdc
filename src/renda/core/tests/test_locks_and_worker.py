"""Locks and the worker (issue #14 item 4): a write that meets another writer's lock waits and
then succeeds, or — when the lock outlasts the busy timeout — the page and the API answer 503
with ``Retry-After`` and 系统正忙，请稍后重试, never a 500; the worker's loop survives a locked
database and any error, with back-off; the health page reports a worker whose heartbeat is stale
as dead. (Transactional: a second SQLite connection really holds the write lock.)"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from tests.support import World

from renda.core import worker
from renda.core.retry import is_lock_error, retry_when_locked
from renda.core.roles import Role
from renda.suggestions.models import Suggestion

BUSY = "系统正忙，请稍后重试"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def short_busy_timeout() -> Iterator[None]:
    """Django's connections wait 0.3 s for a lock here (20 s in production)."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    options["timeout"] = 0.3
    options["init_command"] = str(options.get("init_command", "")).replace("busy_timeout=20000", "busy_timeout=300")
    connection.close()
    yield
    options.clear()
    options.update(saved)
    connection.close()


def hold_write_lock() -> sqlite3.Connection:
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def staff_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users[Role.STAFF])
    return client


FORM = {"kind": "public", "title": "路灯不亮", "source": "visit", "submitter_name": "王五"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="holds SQLite's write lock")
@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_long_lock_is_told_the_system_is_busy(short_busy_timeout: None) -> None:
    world = World()
    client = staff_client(world)
    other = hold_write_lock()
    try:
        page = client.post("/suggestions/new/", FORM)
        api = client.post("/api/suggestions", data=json.dumps(FORM | {"title": "排水沟堵塞"}),
                          content_type="application/json")
    finally:
        other.rollback()
        other.close()
    assert page.status_code == 503, page.content.decode()[:500]
    assert page["Retry-After"] == "10" and BUSY in page.content.decode()
    assert api.status_code == 503, api.content
    assert api["Retry-After"] == "10"
    assert api.json() == {"code": "busy", "message": BUSY, "fields": {}}
    assert not Suggestion.objects.exists()
    # Once the lock is gone the same write goes through.
    assert client.post("/suggestions/new/", FORM).status_code == 302
    assert Suggestion.objects.filter(title="路灯不亮").count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="holds SQLite's write lock")
@pytest.mark.django_db(transaction=True)
def test_a_write_during_a_short_lock_waits_and_succeeds() -> None:
    world = World()
    client = staff_client(world)
    other = hold_write_lock()
    timer = threading.Timer(0.5, lambda: (other.rollback(), other.close()))
    timer.start()
    started = time.monotonic()
    try:
        response = client.post("/suggestions/new/", FORM)
    finally:
        timer.join()
    assert response.status_code == 302, response.content.decode()[:500]
    assert time.monotonic() - started >= 0.4
    assert Suggestion.objects.filter(title="路灯不亮").exists()


def test_lock_errors_are_told_from_other_database_errors() -> None:
    assert is_lock_error(OperationalError("database is locked"))
    assert not is_lock_error(OperationalError("no such table: x"))
    assert not is_lock_error(ValueError("database is locked"))


def test_a_job_retries_a_locked_database_with_back_off() -> None:
    calls: list[int] = []
    sleeps: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_when_locked(flaky, sleep=sleeps.append) == "done"
    assert sleeps == [2.0, 4.0]
    with pytest.raises(OperationalError):
        retry_when_locked(lambda: (_ for _ in ()).throw(OperationalError("database is locked")),
                          attempts=2, sleep=sleeps.append)
    with pytest.raises(OperationalError, match="no such table"):
        retry_when_locked(lambda: (_ for _ in ()).throw(OperationalError("no such table")), sleep=sleeps.append)


class FlakyWorker:
    """db_worker's pass: fails with a locked database, then with any error, then works."""

    running = True

    def __init__(self) -> None:
        self.passes = 0

    def run(self) -> None:
        self.passes += 1
        if self.passes == 1:
            raise OperationalError("database is locked")
        if self.passes == 2:
            raise RuntimeError("anything")


@pytest.mark.django_db
def test_the_worker_loop_survives_errors_with_back_off_and_beats(data_dir: Path) -> None:
    fake = FlakyWorker()
    sleeps: list[float] = []
    worker.run(interval=1.0, passes=4, sleep=sleeps.append, worker=fake)
    assert fake.passes == 4  # it went on after both errors
    assert sleeps == [1.0, 2.0, 1.0, 1.0]  # back-off after the errors, the interval after a pass
    assert worker.status()["alive"] is True
    assert (data_dir / "worker.heartbeat").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_health_page_reports_a_dead_worker() -> None:
    client = Client()
    missing = client.get("/health/")
    assert missing.status_code == 503
    assert missing.json()["worker"]["status"] == "dead" and missing.json()["database"] == "ok"
    worker.beat(now=time.time() - worker.DEAD_AFTER - 5)
    stale = client.get("/health/").json()
    assert stale["status"] == "error" and stale["worker"]["status"] == "dead"
    assert stale["worker"]["age_seconds"] >= worker.DEAD_AFTER
    worker.beat()
    alive = client.get("/health/")
    assert alive.status_code == 200 and alive.json()["worker"]["status"] == "alive"


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_jobs_and_sweeps_at_start_up(data_dir: Path, monkeypatch: Any) -> None:
    """One pass of the real loop: the stale upload is swept, the heartbeat written."""
    from renda.core import uploads

    stale = uploads.pending_dir() / "ledger-0123456789abcdef0123456789abcdef.xlsx"
    stale.write_bytes(b"x")
    old = time.time() - uploads.PENDING_MAX_AGE - 1
    os.utime(stale, (old, old))
    worker.run(interval=0, passes=1, sleep=lambda s: None)
    assert not stale.exists()
    assert worker.status()["alive"] is True


class _LockedAfterTheView:
    """A middleware that meets a locked database after the view returned (as the session
    middleware does when it saves the session): outside any view's exception handling."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        if request.GET.get("fail") == "lock":
            raise OperationalError("database is locked")
        if request.GET.get("fail") == "other":
            raise OperationalError("no such table: renda_x")
        return response


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "fail", "status"), [
    ("/login/", "lock", 503), ("/login/", "other", 500), ("/api/docs", "lock", 503), ("/login/", "", 200),
])
def test_a_lock_error_outside_a_view_is_503_too(settings: Any, path: str, fail: str, status: int) -> None:
    settings.MIDDLEWARE = ["renda.core.tests.test_locks_and_worker._LockedAfterTheView", *settings.MIDDLEWARE]
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(path, {"fail": fail} if fail else {})
    assert response.status_code == status
    if status == 503:
        assert response["Retry-After"] == "10"
        if path.startswith("/api/"):
            assert response.json()["code"] == "busy"
        else:
            assert BUSY in response.content.decode()
    elif status == 500:
        assert "Retry-After" not in response and BUSY not in response.content.decode()
