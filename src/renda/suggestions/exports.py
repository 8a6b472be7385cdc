"""Excel export of the suggestions list as a background job (django-tasks, database back end).

A list of up to ``SYNC_LIMIT`` rows is exported at once, in the request. A larger one (a
district holds a million items) is a task: the list page enqueues ``export_list`` with the
user and the list's query string, and redirects to a status page that polls until the file is
ready, then offers the download. The worker (``renda db_worker``) rebuilds the same filtered
queryset from the same selector — so the file holds exactly what the user may see — and
streams it to an .xlsx in ``$RENDA_DATA_DIR/exports`` row by row (openpyxl write-only, rows
read with ``iterator()``), so memory does not grow with the number of rows.

The job is the task result itself (``django_tasks_db.DBTaskResult``): its ``args`` name the
user, only that user may see its status or download its file.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django_tasks import task
from openpyxl import Workbook

from renda.core.export import write_sheet
from renda.core.jobs import export_dir, owned_result
from renda.core.replica import replica_reads

#: Lists up to this many rows are exported in the request; larger ones in the background.
SYNC_LIMIT = 5000
#: How many rows the worker reads from the database at a time.
CHUNK = 2000


def _request_for(user: Any, query: str) -> HttpRequest:
    """A request carrying the list's query string and the user, for ``Resource.filtered``."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    return request


@task()
@replica_reads()
def export_list(user_id: int, query: str) -> dict[str, Any]:
    """Write the suggestions list of ``user_id`` filtered by ``query`` to an .xlsx; returns
    the file name (in ``export_dir()``), the download name and the number of rows."""
    from renda.accounts.models import User
    from renda.suggestions import views

    user = User.objects.get(pk=user_id)
    resource = views.suggestions
    resource.require(user, "export")
    qs, _form, _q, _sort = resource.filtered(_request_for(user, query))
    columns = resource.columns
    count = 0

    def rows() -> Any:
        nonlocal count
        for obj in qs.iterator(chunk_size=CHUNK):
            count += 1
            yield [c.value(obj) for c in columns]

    name = f"{uuid.uuid4().hex}.xlsx"
    final = export_dir() / name
    partial = final.with_suffix(".part")
    wb = Workbook(write_only=True)
    write_sheet(wb, str(resource.label_plural)[:31], [str(c.label) for c in columns], rows())
    wb.save(partial)
    os.replace(partial, final)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return {"file": name, "filename": f"{resource.export_name}-{stamp}.xlsx", "rows": count}


def start(user: Any, query: str) -> str:
    """Enqueue an export of the list the user sees with ``query``; returns the job id."""
    return str(export_list.enqueue(int(user.pk), query).id)


def job_for(user: Any, job_id: str) -> Any | None:
    """The job if it exists and belongs to ``user`` (None otherwise: the caller answers 404)."""
    return owned_result([export_list], user, job_id)
