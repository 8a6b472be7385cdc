"""The work report page's background job: the draft of the period and towns the user chose,
in the chosen format, written to ``core.jobs.export_dir()`` with its progress on the way.

The task rebuilds the period and the scope from the same URL parameters for the same user
(``selection.choose``, as the statistics export does) and writes what ``renda work_report``
writes (``work_report.produce``): the same document from the page and from the command.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskContext

from renda.core import jobs
from renda.reports import policy, selection, work_report


@task(takes_context=True)
def make_work_report(context: TaskContext, user_id: int, query: str, fmt: str) -> dict[str, Any]:
    """Write the work report ``user_id`` may see for ``query`` (period, as_of, town) in ``fmt``."""
    from renda.accounts.models import User

    user = User.objects.get(pk=user_id)
    policy.require(user, "view")
    chosen = selection.choose(QueryDict(query), selection.towns_for(user), today=timezone.localdate())
    if fmt not in work_report.FORMATS:
        raise ValueError(fmt)
    with jobs.tracking(context.task_result.id) as step:
        content = work_report.produce(chosen.period, chosen.scope, fmt, progress=step)
        name = f"{uuid.uuid4().hex}.{fmt}"
        final = jobs.export_dir() / name
        partial = final.with_suffix(".part")
        partial.write_bytes(content)
        os.replace(partial, final)
    return {"file": name, "filename": work_report.filename(chosen.period, chosen.scope, fmt),
            "content_type": work_report.CONTENT_TYPES[fmt], "format": fmt}


def start(user: Any, query: str, fmt: str) -> str:
    return str(make_work_report.enqueue(int(user.pk), query, fmt).id)


def job_for(user: Any, job_id: str) -> Any | None:
    """The job if it exists and belongs to ``user`` (None otherwise: the caller answers 404)."""
    return jobs.owned_result([make_work_report], user, job_id)
