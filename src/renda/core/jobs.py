"""Background jobs a user started (exports, ledger uploads, the work report): finding the user's
own job, the file it wrote, how far it has got, and the one status page and download every
background export shares.

A job is a ``django_tasks`` result whose first argument is the user's id: a job id someone else
started answers as if it did not exist (404, logged), like another town's object.

Progress: a job that knows how far it is (a task with ``takes_context=True`` knows its own id,
``context.task_result.id``) calls ``set_progress(id, percent)``; the status page reads
``progress(id)`` and shows a bar while the job runs. A job may add a small dict of counts
(``set_progress(id, percent, details)``, read with ``progress_details(id)``): the ledger import
says how many rows it has checked and written, its errors and the time left. The store is one
small JSON file per job id under ``$RENDA_DATA_DIR/jobs`` (written atomically, readable by every
web process on the machine that also serves the job's file), removed when the job ends
(``tracking``).

Cancelling: ``request_cancel(id)`` leaves a flag beside the progress file (a file of its own, so
the job's next progress write cannot overwrite it); a job that can stop asks
``cancel_requested(id)`` as it goes. The flag goes when the job ends (``clear_progress``).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from renda.audit.security import log_event
from renda.core.downloads import attach

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_dir() -> Path:
    """Where background exports write their files (under the data directory)."""
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _progress_file(job_id: object) -> Path:
    """The progress file of ``job_id`` (a UUID: anything else is refused, so no path is built
    from free text)."""
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{uuid.UUID(str(job_id)).hex}.json"


#: The most a job's progress details may hold (JSON), so a page never reads a large file.
DETAILS_MAX_BYTES = 4096


def set_progress(job_id: object, percent: int, details: Mapping[str, Any] | None = None) -> None:
    """Record that the job ``job_id`` is ``percent`` (0–100) done, with ``details`` (a small
    JSON-serializable dict: counts, not rows) for its status page."""
    path = _progress_file(job_id)
    data: dict[str, Any] = {"percent": max(0, min(100, int(percent)))}
    if details:
        encoded = json.dumps(dict(details))
        if len(encoded) > DETAILS_MAX_BYTES:
            raise ValueError("progress details too large")
        data["details"] = dict(details)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)


def _read(job_id: object) -> dict[str, Any]:
    try:
        data = json.loads(_progress_file(job_id).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def progress(job_id: object) -> int | None:
    """How far the job ``job_id`` is (0–100), or None when it has not said (or has ended)."""
    value = _read(job_id).get("percent")
    return value if isinstance(value, int) else None


def progress_details(job_id: object) -> dict[str, Any] | None:
    """The details the job ``job_id`` last recorded with its progress, or None when it has not
    said (or has ended)."""
    value = _read(job_id).get("details")
    return value if isinstance(value, dict) else None


def _cancel_file(job_id: object) -> Path:
    return _progress_file(job_id).with_suffix(".cancel")


def request_cancel(job_id: object) -> None:
    """Ask the job ``job_id`` to stop (it sees it through ``cancel_requested``)."""
    _cancel_file(job_id).touch()


def cancel_requested(job_id: object) -> bool:
    return _cancel_file(job_id).exists()


def clear_progress(job_id: object) -> None:
    """Forget the job's progress and its cancel flag (the job has ended)."""
    with contextlib.suppress(ValueError):  # not a job id: nothing to forget
        for path in (_progress_file(job_id), _cancel_file(job_id)):
            with contextlib.suppress(OSError):
                path.unlink()


def sweep_files(folder: Path, suffixes: set[str], max_age: float, *, now: float | None = None) -> int:
    """Remove the files of ``folder`` ending in one of ``suffixes`` untouched for ``max_age``
    seconds; returns how many."""
    if not folder.is_dir():
        return 0
    cutoff = (time.time() if now is None else now) - max_age
    removed = 0
    for f in folder.iterdir():
        with contextlib.suppress(OSError):
            if f.suffix in suffixes and f.stat().st_mtime < cutoff:
                f.unlink(missing_ok=True)
                removed += 1
    return removed


def sweep_progress(max_age: float, *, now: float | None = None) -> int:
    """Remove progress files and cancel flags untouched for ``max_age`` seconds (what a killed
    worker's jobs left: a running job rewrites its file as it goes); returns how many."""
    return sweep_files(Path(settings.DATA_DIR) / "jobs", {".json", ".tmp", ".cancel"}, max_age, now=now)


@contextlib.contextmanager
def tracking(job_id: object) -> Iterator[Callable[[int], None]]:
    """``with tracking(id) as step: ... step(40) ...``: the job's progress, removed when it ends
    (successfully or not)."""
    set_progress(job_id, 0)
    try:
        yield lambda percent: set_progress(job_id, percent)
    finally:
        clear_progress(job_id)


def owned_result(tasks: Iterable[Any], user: Any, job_id: str) -> Any | None:
    """The result of one of ``tasks`` with this id if ``user`` started it (None otherwise)."""
    for t in tasks:
        try:
            result = t.get_result(job_id)
        except (TaskResultDoesNotExist, TaskResultMismatch, ValueError):
            continue
        if not result.args or result.args[0] != user.pk:
            return None
        return result
    return None


def job_or_404(request: HttpRequest, lookup: Callable[[Any, str], Any | None], job_id: Any, *, kind: str) -> Any:
    """``lookup(user, id)``'s job, or a logged 404 (an unknown id and another user's look the same)."""
    job = lookup(request.user, str(job_id))
    if job is None:
        log_event(kind="not_found", user=request.user, path=request.path, detail=f"{kind}:{job_id}")
        raise Http404
    return job


def finished_file(result: Any) -> tuple[Path, str] | None:
    """The file and the download name of a successful export job, if the file is still there."""
    if result.status != TaskResultStatus.SUCCESSFUL:
        return None
    value = result.return_value or {}
    name = str(value.get("file", ""))
    if not name or "/" in name or "\\" in name:
        return None
    path = export_dir() / name
    return (path, str(value.get("filename") or name)) if path.exists() else None


def content_type(result: Any) -> str:
    """The content type of the file a job wrote (its return value's ``content_type``; xlsx when
    it says none, as the list and statistics exports do)."""
    value = (result.return_value or {}) if result.status == TaskResultStatus.SUCCESSFUL else {}
    return str(value.get("content_type") or XLSX)


def export_status_response(request: HttpRequest, job: Any, *, status_url: str, download_url: str,
                           title: str, back_url: str, back_label: str,
                           download_label: str | None = None) -> HttpResponse:
    """The state of a background export: a page that polls itself (HTMX), or JSON with ?format=json.
    While the job runs, its progress (``set_progress``) shows as a bar, with the rows written so
    far when its details say (``rows_written``, ``sheet``)."""
    done = finished_file(job)
    status = str(job.status)
    data = {
        "id": str(job.id), "status": status, "finished": job.is_finished,
        "rows": (job.return_value or {}).get("rows") if done else None,
        "download": download_url if done else None,
        "progress": None if job.is_finished else progress(job.id),
        "details": None if job.is_finished else progress_details(job.id),
    }
    if request.GET.get("format") == "json":
        return JsonResponse(data)
    template = "core/partials/export_status.html" if getattr(request, "htmx", False) else "core/export_status.html"
    labels = {"READY": _("排队中"), "RUNNING": _("正在生成"), "SUCCESSFUL": _("已完成"), "FAILED": _("生成失败")}
    return render(request, template, {
        **data, "label": labels.get(status, status), "failed": status == "FAILED", "status_url": status_url,
        "title": title, "back_url": back_url, "back_label": back_label,
        "download_label": download_label or _("下载 Excel"),
    })


def export_download_response(job: Any) -> FileResponse:
    """The file a finished export wrote, as an attachment (404 while running or once swept)."""
    done = finished_file(job)
    if done is None:
        raise Http404
    path, filename = done
    response = FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type(job))
    attach(response, filename)
    return response
