"""Web uploads of a ledger workbook, checked and imported by the background worker.

The request never reads the workbook: it stores the upload (``core.uploads.store_pending``:
mode 0600, a random name) and enqueues :func:`preview_upload`, the dry run; the page polls the
job (HTMX) and shows its preview. When the user confirms, :func:`import_upload` imports the same
file and removes it, whatever happens. A preview with errors removes the file at once; a preview
never confirmed is removed by the sweep (``renda worker``, ``renda sweep_uploads``).

A job is the task result itself (``django_tasks_db``): its ``args`` are (user id, token, file
name); only that user sees it. Its return value is the import's result as JSON (the first
``PREVIEW_ITEMS`` records of each sheet).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django_tasks import task

from renda.core import uploads
from renda.core.jobs import owned_result
from renda.core.retry import retry_when_locked
from renda.ledger.importer import ImportResult, import_workbook

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


def _run(user_id: int, token: str, *, dry_run: bool) -> dict[str, Any]:
    from renda.accounts.models import User

    path = path_for(token)
    keep = False
    try:
        if not path.is_file():
            return {"ok": False, "missing": True, "errors": [], "warnings": [], "sheets": []}
        user = User.objects.select_related("town").get(pk=user_id)
        result = retry_when_locked(lambda: import_workbook(path, actor=user, dry_run=dry_run))
        keep = dry_run and result.ok
        return as_json(result)
    finally:
        if not keep:
            path.unlink(missing_ok=True)


@task()
def preview_upload(user_id: int, token: str, filename: str) -> dict[str, Any]:
    """The dry run of a stored upload; the file is kept for the import only if it passed."""
    return _run(user_id, token, dry_run=True)


@task()
def import_upload(user_id: int, token: str, filename: str) -> dict[str, Any]:
    """The import of a previewed upload; the file is removed when the job ends."""
    return _run(user_id, token, dry_run=False)


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
