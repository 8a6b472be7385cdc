"""A job whose worker died is not "running" for ever: any living worker marks it failed once the
dead worker has not beaten for ``DEAD_AFTER`` seconds (``worker.reap_orphans``), and the job's
page then says it failed and wrote nothing. Edges: a heartbeat exactly ``DEAD_AFTER`` old is
alive, one second older dead; a job started less than ``DEAD_AFTER`` ago is left alone."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from tests.support import World

from renda.core import jobs, worker
from renda.core.roles import Role

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def running(*, worker_id: str = "w-dead", started_ago: float = 600, user_id: int = 1,
            task: str = "renda.ledger.jobs.import_upload") -> DBTaskResult:
    """A job a worker claimed ``started_ago`` seconds before ``NOW``."""
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path=task, backend_name="default", run_after=get_date_max(),
        args_kwargs={"args": [user_id, "0123456789abcdef0123456789abcdef", "台账.xlsx"], "kwargs": {}},
        started_at=dt.datetime.fromtimestamp(NOW - started_ago, tz=dt.UTC), worker_ids=[worker_id],
    )


def test_a_job_whose_worker_never_beat_is_marked_failed_and_its_progress_forgotten() -> None:
    job = running()
    jobs.set_progress(job.pk, 40, {"rows_checked": 800})
    assert worker.reap_orphans(now=NOW) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED and job.finished_at is not None
    assert job.exception_class_path == "renda.core.worker.WorkerLost"
    assert "w-dead" in job.traceback and "import_upload" in job.traceback
    assert jobs.progress(job.pk) is None
    assert worker.reap_orphans(now=NOW) == 0  # once


def test_the_heartbeat_edge_exactly_dead_after_is_alive_one_second_more_is_dead() -> None:
    job = running(worker_id="w-edge")
    worker.beat(now=NOW - worker.DEAD_AFTER, worker_id="w-edge")
    assert worker.worker_alive("w-edge", now=NOW)
    assert worker.reap_orphans(now=NOW) == 0
    assert worker.reap_orphans(now=NOW + 1) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.FAILED


def test_a_job_started_less_than_dead_after_ago_is_left_to_its_worker() -> None:
    young = running(started_ago=worker.DEAD_AFTER - 1)
    edge = running(started_ago=worker.DEAD_AFTER)
    assert worker.reap_orphans(now=NOW) == 0
    assert worker.reap_orphans(now=NOW + 1) == 1  # ``edge`` is now one second past
    young.refresh_from_db()
    edge.refresh_from_db()
    assert young.status == TaskResultStatus.RUNNING and edge.status == TaskResultStatus.FAILED


def test_only_the_last_worker_that_claimed_the_job_counts_and_finished_jobs_are_never_touched() -> None:
    job = running(worker_id="w-old")
    DBTaskResult.objects.filter(pk=job.pk).update(worker_ids=["w-old", "w-new"])
    worker.beat(now=NOW, worker_id="w-new")
    done = running(worker_id="w-gone")
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)
    assert worker.reap_orphans(now=NOW) == 0
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING


def test_worker_ids_that_are_not_plain_names_build_no_path() -> None:
    for bad in ("", "../x", "a/b", "名"):
        with pytest.raises(ValueError):
            worker.worker_beat_path(bad)
        assert worker.worker_alive(bad, now=NOW) is False


def test_the_loop_beats_under_its_own_id_and_reaps_what_a_dead_worker_left(data_dir: Path) -> None:
    orphan = running(started_ago=NOW - time.time() + 600)  # ten minutes ago, in real time

    class Idle:
        worker_id = "w-live"
        running = True

        def run(self) -> None:
            pass

    worker.run(interval=0, passes=1, sleep=lambda s: None, worker=Idle())
    assert worker.worker_alive("w-live")
    assert (data_dir / "workers" / "w-live.json").stat().st_mode & 0o777 == 0o600
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED


def test_the_ledger_page_of_a_reaped_import_says_it_failed_and_wrote_nothing() -> None:
    world = World()
    user = world.users[Role.STAFF]
    job = running(user_id=user.pk, started_ago=NOW - time.time() + 600)
    client = Client()
    client.force_login(user)
    before = client.get(reverse("ledger:job", args=[job.pk]))
    assert "正在导入" in before.content.decode()
    worker.reap_orphans()
    page = client.get(reverse("ledger:job", args=[job.pk])).content.decode()
    assert "处理失败，没有写入任何数据" in page and "正在导入" not in page


def test_heartbeats_of_workers_gone_a_day_are_swept_and_read_as_dead(data_dir: Path) -> None:
    import os

    worker.beat(now=NOW, worker_id="w-gone")
    worker.beat(now=NOW, worker_id="w-here")
    old = time.time() - worker.SWEEP_EVERY - 1
    os.utime(data_dir / "workers" / "w-gone.json", (old, old))
    assert worker.sweep_worker_beats(worker.SWEEP_EVERY) == 1
    assert sorted(p.name for p in (data_dir / "workers").iterdir()) == ["w-here.json"]
    assert worker.worker_alive("w-gone", now=NOW) is False
