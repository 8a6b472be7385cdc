"""The statistics page's Excel export, in the request or as a background job.

A town's statistics take well under a second; the district's may take ten (shared/METRICS.md's
suggestion facts over a million items: bench/results). As the list exports do
(``suggestions.exports``), the page decides by size: when the period holds more than
``SYNC_LIMIT`` suggestions in the scope, the export is a task (django-tasks, database back end)
that the worker (``renda db_worker``) runs; the page redirects to a status page that polls until
the file is ready. The task rebuilds the period and the towns from the same URL parameters for
the same user (``selection.choose``), and writes the same workbook (``workbook.write``).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from renda.core.jobs import export_dir, owned_result
from renda.core.replica import replica_reads
from renda.reports import forms, metrics, policy, selection, workbook
from renda.suggestions.models import Suggestion

#: Periods with up to this many suggestions in scope are exported at once (about a second).
SYNC_LIMIT = 10_000


def is_large(chosen: selection.Chosen) -> bool:
    """Whether the export of ``chosen`` would take long enough to need the background."""
    period = chosen.period
    items = Suggestion.objects.filter(town_id__in=chosen.scope.town_ids, registered_at__gte=period.from_,
                                      registered_at__lte=period.to)
    return items[:SYNC_LIMIT + 1].count() > SYNC_LIMIT


def scope_label(chosen: selection.Chosen) -> str:
    return chosen.scope.town.name if chosen.scope.town is not None else _("全区")


def download_name(chosen: selection.Chosen) -> str:
    return workbook.filename(forms.period_label(chosen.period), scope_label(chosen))


def data_for(chosen: selection.Chosen) -> dict[str, Any]:
    return metrics.stats(chosen.period, chosen.scope)


@task()
@replica_reads()
def export_stats(user_id: int, query: str) -> dict[str, Any]:
    """Write the workbook of the statistics ``user_id`` sees with ``query`` to ``export_dir()``."""
    from renda.accounts.models import User

    user = User.objects.get(pk=user_id)
    policy.require(user, "view")
    chosen = selection.choose(QueryDict(query), selection.towns_for(user), today=timezone.localdate())
    name = f"{uuid.uuid4().hex}.xlsx"
    final = export_dir() / name
    partial = final.with_suffix(".part")
    with partial.open("wb") as fh:
        workbook.write(data_for(chosen), fh)
    os.replace(partial, final)
    return {"file": name, "filename": download_name(chosen)}


def start(user: Any, query: str) -> str:
    return str(export_stats.enqueue(int(user.pk), query).id)


def job_for(user: Any, job_id: str) -> Any | None:
    """The job if it exists and belongs to ``user`` (None otherwise: the caller answers 404)."""
    return owned_result([export_stats], user, job_id)
