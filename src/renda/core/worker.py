"""The background worker that survives: ``renda worker`` runs django-tasks' database worker
(``db_worker``) in a loop that never dies of a task or a database error.

- Each pass of the loop runs every ready job (``db_worker``'s batch mode) and writes the
  heartbeat, ``$RENDA_DATA_DIR/worker.heartbeat`` (the time and the pid, as JSON); while a job
  runs, a thread writes it every ``BEAT`` seconds. The health page (``/health/``) calls the worker
  dead when the heartbeat is older than ``DEAD_AFTER``.
- An error of the loop itself (``database is locked`` while claiming a job or recording its end,
  a lost connection) is logged and the pass retried after 1, 2, 4 … 60 seconds. A job's own
  error marks that job failed (``db_worker`` catches it); jobs that meet a locked database retry
  it themselves (``core.retry.retry_when_locked``).
- At start-up and then daily the stale pending uploads are swept (``core.uploads.sweep``), and
  the progress files and cancel flags a killed job left (``core.jobs.sweep_progress``).
- Each worker also beats under its own id (``$RENDA_DATA_DIR/workers/<id>.json``). A job still
  marked running whose worker has not beaten for ``DEAD_AFTER`` seconds (the process was killed,
  ran out of memory, or the machine restarted) is marked failed (:class:`WorkerLost`) by any
  living worker every ``REAP_EVERY`` seconds (:func:`reap_orphans`), so its page says so instead of
  "running" for ever. Its work left nothing: a job writes in one transaction, which the database
  rolled back when the connection died. Workers that share a database share the data directory
  (the files they write are served from it).
- The periodic tasks apps register (:func:`periodic`; the notifications' outbox) run every
  ``every`` seconds; one that fails is logged and tried at its next turn, the loop goes on.
- The process's address space is bounded (``RENDA_WORKER_MEMORY_MB``, default 2048): a job that
  runs away fails with ``MemoryError`` instead of taking the machine.
- ``make run`` restarts the process if it exits all the same.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from renda.core import jobs, uploads

logger = logging.getLogger("renda.worker")

#: Seconds between heartbeats while a job runs; after DEAD_AFTER without one the worker is dead.
BEAT = 10
DEAD_AFTER = 60
#: Seconds between two looks for jobs whose worker died.
REAP_EVERY = 30
SWEEP_EVERY = 24 * 3600
MAX_BACKOFF = 60.0


@dataclass
class Periodic:
    name: str
    every: float
    fn: Callable[[], Any]
    last: float = 0.0


#: name → the periodic task an app registered (its AppConfig.ready)
PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, *, every: float, fn: Callable[[], Any]) -> None:
    """Have the worker call ``fn()`` every ``every`` seconds (registered again: replaced)."""
    PERIODIC[name] = Periodic(name=name, every=every, fn=fn)


def run_periodic(*, now: float | None = None) -> None:
    """Each registered task whose turn has come; a failure is logged, not raised."""
    at = time.time() if now is None else now
    for task in list(PERIODIC.values()):
        if at - task.last < task.every:
            continue
        task.last = at
        try:
            task.fn()
        except Exception:
            logger.exception("worker: periodic task %s failed", task.name)
            close_old_connections()


def heartbeat_path() -> Path:
    return Path(settings.DATA_DIR) / "worker.heartbeat"


def worker_beat_path(worker_id: str) -> Path:
    """The heartbeat of one worker (``worker_id`` as django-tasks records it on the jobs it
    claims; anything but letters, digits, ``-`` and ``_`` is refused, so no path is built from
    another string)."""
    if not worker_id or not all(c.isascii() and (c.isalnum() or c in "-_") for c in worker_id):
        raise ValueError("not a worker id")
    folder = Path(settings.DATA_DIR) / "workers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{worker_id}.json"


def _write_beat(path: Path, stamp: float) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"at": stamp, "pid": os.getpid()}))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def beat(*, now: float | None = None, worker_id: str | None = None) -> None:
    """The heartbeat: the machine's (the health page) and, given its id, this worker's own."""
    stamp = time.time() if now is None else now
    _write_beat(heartbeat_path(), stamp)
    if worker_id:
        _write_beat(worker_beat_path(worker_id), stamp)


def worker_alive(worker_id: str, *, now: float | None = None) -> bool:
    """Whether the worker ``worker_id`` has beaten in the last ``DEAD_AFTER`` seconds."""
    try:
        data = json.loads(worker_beat_path(worker_id).read_text())
        at = float(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (time.time() if now is None else now) - at <= DEAD_AFTER


def sweep_worker_beats(max_age: float, *, now: float | None = None) -> int:
    """Remove the heartbeats of workers gone for ``max_age`` seconds (each start of ``renda
    worker`` beats under a new id); a missing heartbeat reads as a dead worker all the same."""
    return jobs.sweep_files(Path(settings.DATA_DIR) / "workers", {".json", ".tmp"}, max_age, now=now)


class WorkerLost(RuntimeError):
    """The worker running this job stopped (killed, out of memory, the machine restarted) before
    the job ended; whatever it was writing was rolled back with its transaction."""


def reap_orphans(*, now: float | None = None) -> int:
    """Mark failed every job still running whose worker has not beaten for ``DEAD_AFTER``
    seconds and which started at least that long ago; returns how many. A job that ended
    meanwhile is left as it ended (the update is conditional on its state)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    at = time.time() if now is None else now
    started_before = datetime.fromtimestamp(at - DEAD_AFTER, tz=UTC)
    reaped = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=started_before)
    for result in running.only("id", "worker_ids", "started_at", "task_path"):
        ids = [str(i) for i in (result.worker_ids or [])]
        with contextlib.suppress(ValueError):
            if ids and worker_alive(ids[-1], now=at):
                continue
        lost = WorkerLost(f"worker {ids[-1] if ids else '?'} stopped while running {result.task_path}")
        changed = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at,
        ).update(status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
                 exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                 traceback=f"{WorkerLost.__qualname__}: {lost}\n")
        if changed:
            jobs.clear_progress(result.pk)
            logger.warning("worker: job %s marked failed: %s", result.pk, lost)
            reaped += changed
    return reaped


def status(*, now: float | None = None) -> dict[str, Any]:
    """What the health page says of the worker: alive or not, and when it was last seen."""
    try:
        data = json.loads(heartbeat_path().read_text())
        at = float(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return {"alive": False, "last_seen": None, "age_seconds": None}
    age = (time.time() if now is None else now) - at
    seen = timezone.localtime(datetime.fromtimestamp(at, tz=UTC))
    return {"alive": age <= DEAD_AFTER, "last_seen": seen.isoformat(), "age_seconds": int(age)}


def limit_memory() -> None:
    megabytes = int(os.environ.get("RENDA_WORKER_MEMORY_MB", "2048"))
    if megabytes <= 0:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError) as exc:  # not on this platform, or above the hard limit
        logger.warning("worker: cannot limit memory: %s", exc)


class _Beating:
    """Writes the heartbeat every BEAT seconds while a job runs."""

    def __init__(self, worker_id: str | None = None) -> None:
        self._worker_id = worker_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(BEAT):
            with contextlib.suppress(OSError):
                beat(worker_id=self._worker_id)

    def __enter__(self) -> _Beating:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()


def make_worker(interval: float) -> Any:
    """django-tasks' database worker in batch mode (one pass: every ready job), beating while a
    job runs."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    class BeatingWorker(Worker):
        def run_task(self, db_task_result: Any) -> None:
            with _Beating(self.worker_id):
                super().run_task(db_task_result)

    return BeatingWorker(queue_names=["default"], interval=interval, batch=True, backend_name="default",
                         startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
                         excluded_queue_names=[])


def run(*, interval: float = 1.0, passes: int | None = None, sleep: Callable[[float], None] = time.sleep,
        worker: Any = None) -> None:
    """The loop (``passes`` bounds it for tests)."""
    worker = worker or make_worker(interval)
    backoff = 1.0
    last_sweep = 0.0
    done = 0
    worker_id = getattr(worker, "worker_id", None)
    last_reap = 0.0
    while passes is None or done < passes:
        done += 1
        try:
            beat(worker_id=worker_id if isinstance(worker_id, str) else None)
            if time.time() - last_reap >= REAP_EVERY:
                last_reap = time.time()
                reap_orphans()
            if time.time() - last_sweep >= SWEEP_EVERY:
                removed = uploads.sweep()
                stale = jobs.sweep_progress(uploads.PENDING_MAX_AGE)
                sweep_worker_beats(SWEEP_EVERY)
                last_sweep = time.time()
                if removed or stale:
                    logger.info("worker: removed %s stale upload(s), %s stale job progress file(s)", removed, stale)
            run_periodic()
            worker.run()
            backoff = 1.0
        except Exception:
            logger.exception("worker: the loop failed; retrying in %.0f s", backoff)
            close_old_connections()
            sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        if not getattr(worker, "running", True):
            return
        sleep(interval)
