"""Web uploads of a ledger workbook, checked and imported by the background worker.

The request never reads the workbook: it stores the upload (``core.uploads.store_pending``:
mode 0600, a random name) and enqueues :func:`preview_upload`, the dry run; the page polls the
job (HTMX) and shows its preview. When the user confirms, :func:`import_upload` imports the same
file and removes it, whatever happens. A preview with errors removes the file at once; a preview
never confirmed is removed by the sweep (``renda worker``, ``renda sweep_uploads``).

A job is the task result itself (``django_tasks_db``): its ``args`` are (user id, token, file
name); only that user sees it. Its return value is the import's result as JSON (the first
``PREVIEW_ITEMS`` records of each sheet), with its last progress and whether it was cancelled.

Progress and cancelling: while a preview or an import runs, the importer's progress (rows
checked, rows written, errors, time left: ``importer.Progress``) goes to the job's progress store
(``core.jobs.set_progress``), which the job page reads; the page's 取消 sets the job's cancel flag
(``core.jobs.request_cancel``), which the progress callback sees at its next call and answers by
raising ``ImportCancelled``: the importer rolls the whole transaction back.

:func:`export_ledger` is the web's background export of the user's ledger (masked, as the page's
plain download), with its rows written sheet by sheet in the same store.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

from django_tasks import task
from django_tasks.base import TaskContext

from renda.core import jobs as core_jobs
from renda.core import uploads
from renda.core.jobs import owned_result
from renda.core.replica import replica_reads
from renda.core.retry import retry_when_locked
from renda.ledger import policy
from renda.ledger.exporter import ExportProgress, export_filename, export_workbook
from renda.ledger.importer import ImportCancelled, ImportResult, Progress, import_workbook

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
PREFIX = "ledger"
SUFFIX = ".xlsx"
#: How many created/updated records of each sheet the preview lists.
PREVIEW_ITEMS = 200


def path_for(token: str) -> Path:
    if not TOKEN_RE.match(token):
        raise ValueError("bad token")
    return uploads.pending_dir() / f"{PREFIX}-{token}{SUFFIX}"


def store(f: Any) -> str:
    """Store an upload for a job; returns its token."""
    token, _path = uploads.store_pending(f, prefix=PREFIX, suffix=SUFFIX)
    return token


def discard(token: str) -> None:
    if TOKEN_RE.match(token or ""):
        path_for(token).unlink(missing_ok=True)


def as_json(result: ImportResult) -> dict[str, Any]:
    return {
        "dry_run": result.dry_run,
        "ok": result.ok,
        "committed": result.committed,
        "summary": result.summary,
        "errors": result.error_lines(),
        "warnings": result.warning_lines(),
        "sheets": [
            {
                "name": s.name,
                "summary": s.summary,
                "items": [{"action": str(i.action.value), "row": i.row, "label": i.label, "detail": i.detail}
                          for i in s.items[:PREVIEW_ITEMS]],
                "more": s.item_count - min(len(s.items), PREVIEW_ITEMS),
            }
            for s in result.sheets
        ],
    }


#: The least time (seconds) between two progress writes of a job, and two looks at its cancel
#: flag: the importer reports every 200 rows, which a fast import reaches many times a second.
#: The last report is always written.
REPORT_EVERY = 0.5


class _Reporter:
    """The importer's ``progress`` callback for the job ``job_id``: records the reports in the
    job's progress store (at most every ``REPORT_EVERY`` seconds) and stops the import when the
    job's cancel flag is set."""

    def __init__(self, job_id: object) -> None:
        self.job_id = job_id
        self.cancelled = False
        self.last: dict[str, Any] = {}
        self.written_at = float("-inf")

    def __call__(self, p: Progress) -> None:
        self.last = p.as_dict()
        now = time.monotonic()
        if not p.finished and now - self.written_at < REPORT_EVERY:
            return
        self.written_at = now
        core_jobs.set_progress(self.job_id, p.percent, self.last)
        if not p.finished and core_jobs.cancel_requested(self.job_id):
            self.cancelled = True
            raise ImportCancelled


def _run(job_id: object, user_id: int, token: str, *, dry_run: bool) -> dict[str, Any]:
    from renda.accounts.models import User

    path = path_for(token)
    keep = False
    try:
        if not path.is_file():
            return {"ok": False, "missing": True, "errors": [], "warnings": [], "sheets": []}
        user = User.objects.select_related("town").get(pk=user_id)
        with core_jobs.tracking(job_id):
            reporter = _Reporter(job_id)

            def attempt() -> ImportResult:
                reporter.cancelled = False
                return import_workbook(path, actor=user, dry_run=dry_run, progress=reporter)

            result = retry_when_locked(attempt)
        keep = dry_run and result.ok
        return as_json(result) | {"progress": reporter.last, "cancelled": reporter.cancelled}
    finally:
        if not keep:
            path.unlink(missing_ok=True)


@task(takes_context=True)
def preview_upload(context: TaskContext, user_id: int, token: str, filename: str) -> dict[str, Any]:
    """The dry run of a stored upload; the file is kept for the import only if it passed."""
    return _run(context.task_result.id, user_id, token, dry_run=True)


@task(takes_context=True)
def import_upload(context: TaskContext, user_id: int, token: str, filename: str) -> dict[str, Any]:
    """The import of a previewed upload; the file is removed when the job ends."""
    return _run(context.task_result.id, user_id, token, dry_run=False)


def start_preview(user: Any, token: str, filename: str) -> str:
    return str(preview_upload.enqueue(int(user.pk), token, filename).id)


def start_import(user: Any, token: str, filename: str) -> str:
    return str(import_upload.enqueue(int(user.pk), token, filename).id)


def job_for(user: Any, job_id: str) -> Any | None:
    """The preview or import job if it exists and belongs to ``user`` (None otherwise)."""
    return owned_result([preview_upload, import_upload], user, job_id)


def value(job: Any) -> dict[str, Any]:
    """What a finished job returned ({} while it runs, or when it failed)."""
    if str(job.status) != "SUCCESSFUL":
        return {}
    return dict(job.return_value or {})


def is_import(job: Any) -> bool:
    return bool(job.task.module_path == import_upload.module_path)


def cancel(job: Any) -> bool:
    """Ask a running (or queued) preview or import to stop; False when it has already ended."""
    if job.is_finished:
        return False
    core_jobs.request_cancel(job.id)
    return True


def progress_of(job: Any) -> dict[str, Any] | None:
    """The job's progress: what it last recorded while it runs, what it returned once it ended."""
    if job.is_finished:
        last = value(job).get("progress")
        return last if isinstance(last, dict) and last else None
    return core_jobs.progress_details(job.id)


# --- the background export ----------------------------------------------------------------


@task(takes_context=True)
@replica_reads()
def export_ledger(context: TaskContext, user_id: int) -> dict[str, Any]:
    """Write the ledger ``user_id`` may export (their town's, or every town's for a district-wide
    user; personal data masked) to ``core.jobs.export_dir()``, its rows recorded as it goes."""
    from renda.accounts.models import User

    user = User.objects.select_related("town").get(pk=user_id)
    policy.require(user, "export")
    town = user.town if user.town_id is not None else None
    job_id = context.task_result.id

    def report(p: ExportProgress) -> None:
        core_jobs.set_progress(job_id, p.percent, p.as_dict())

    with core_jobs.tracking(job_id):
        name = f"{uuid.uuid4().hex}.xlsx"
        final = core_jobs.export_dir() / name
        partial = final.with_suffix(".part")
        try:
            done = export_workbook(partial, town=town, progress=report)
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return {"file": name, "filename": export_filename(town), "rows": done.rows_written,
            "progress": done.as_dict()}


def start_export(user: Any) -> str:
    return str(export_ledger.enqueue(int(user.pk)).id)


def export_job_for(user: Any, job_id: str) -> Any | None:
    """The export job if it exists and belongs to ``user`` (None otherwise)."""
    return owned_result([export_ledger], user, job_id)
