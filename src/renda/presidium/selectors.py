"""Reads of the presidium's records, already limited to what the user may see (``policy`` has the
rules), and what the work report and the home card read: the tasks of a half, the division of
duties of a year, the information items and honours of a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from renda.core.policy import town_scoped
from renda.duties.models import Award
from renda.places.models import Region
from renda.presidium import halves
from renda.presidium.models import DutyDivision, InfoItem, Plan, PlanTask, PlanTaskLink, PlanTaskReview
from renda.presidium.policy import KINDS


def _scoped(qs: QuerySet[Any], user: Any, kind: str) -> QuerySet[Any]:
    if user is None:
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in KINDS[kind]:
        return qs.none()
    return town_scoped(qs, user)


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    return _scoped(Plan.objects.select_related("town").annotate(task_count=Count("tasks")), user, "plans")


def _task_base() -> QuerySet[PlanTask]:
    return (PlanTask.objects.select_related("plan", "town", "lead")
            .prefetch_related("supporters", Prefetch("reviews", queryset=PlanTaskReview.objects.order_by("half")),
                              Prefetch("links", queryset=PlanTaskLink.objects.select_related(
                                  "suggestion", "activity", "project", "contact_target__town"))))


def tasks_visible_to(user: Any) -> QuerySet[PlanTask]:
    return _scoped(_task_base(), user, "tasks")


def divisions_visible_to(user: Any) -> QuerySet[DutyDivision]:
    return _scoped(DutyDivision.objects.select_related("town", "member").prefetch_related("regions", "groups"),
                   user, "divisions")


def info_visible_to(user: Any) -> QuerySet[InfoItem]:
    return _scoped(InfoItem.objects.select_related("town", "author"), user, "info")


def latest_review(task: PlanTask) -> PlanTaskReview | None:
    """The task's last review (from the prefetched reviews)."""
    reviews = list(task.reviews.all())
    return max(reviews, key=lambda r: halves.key(r.half)) if reviews else None


# --- for the work report and the home card --------------------------------------------------------


def tasks_for_half(town: Region | int, half: str) -> QuerySet[PlanTask]:
    """The town's tasks due in ``half`` (e.g. the next half's for 下半年工作安排), in plan order."""
    town_id = town if isinstance(town, int) else town.pk
    return _task_base().filter(town_id=town_id, due_half=half).order_by("plan__year", "ordinal", "pk")


def unreviewed_due(town_id: int, half: str) -> QuerySet[PlanTask]:
    """The town's tasks due in ``half`` or before, not yet reviewed for ``half`` and not done in
    an earlier review: the presidium's home card."""
    year, h = halves.key(half)
    due = Q(plan__year__lt=year) | Q(due_half=half) | (Q(due_half=halves.code(year, 1)) if h == 2 else Q(pk__in=[]))
    done_before = PlanTaskReview.objects.filter(status="done").values("task_id")
    return (PlanTask.objects.select_related("plan", "lead").filter(due, town_id=town_id, plan__year__gte=year - 1)
            .exclude(reviews__half=half).exclude(pk__in=done_before).order_by("plan__year", "ordinal", "pk"))


def division_of_duties(town: Region | int, year: int) -> QuerySet[DutyDivision]:
    """The division of duties of the town's presidium for ``year`` (职责分工), by member."""
    town_id = town if isinstance(town, int) else town.pk
    return (DutyDivision.objects.filter(town_id=town_id, year=year).select_related("member")
            .prefetch_related("regions", "groups").order_by("member__name", "pk"))


@dataclass(frozen=True)
class Information:
    """The information work of a period, for the work report's political-leadership part."""

    submitted: int
    adopted: int
    items: Sequence[InfoItem]
    honours: Sequence[Award]


def info_items_in(town_ids: Sequence[int], start: dt.date, end: dt.date) -> QuerySet[InfoItem]:
    return InfoItem.objects.filter(town_id__in=town_ids, submitted_on__gte=start, submitted_on__lte=end)


def honours_in(town_ids: Sequence[int], start: dt.date, end: dt.date) -> QuerySet[Award]:
    """Honours received in [start, end]: the presidium's, the office's and the deputies'."""
    return Award.objects.filter(town_id__in=town_ids, on__gte=start, on__lte=end).select_related("deputy")


def adopted_by(items: QuerySet[InfoItem], as_of: dt.date) -> QuerySet[InfoItem]:
    """Of ``items``, those adopted (used or published) on or before ``as_of``: ``information.adopted``,
    the database's form of the test ``information_for_report`` applies to the items it lists."""
    return items.filter(adopted=True, adopted_on__isnull=False, adopted_on__lte=as_of)


def information_for_report(period: Any, scope: Any) -> Information:
    """``period`` (``core.stats.Period``) and ``scope`` (``reports.metrics.Scope``): the items
    submitted in [from, to] (up to as-of), those adopted by as-of, and the honours received."""
    end = min(period.to, period.as_of)
    items = info_items_in(scope.town_ids, period.from_, end).order_by("submitted_on", "pk")
    adopted = sum(1 for i in items if i.adopted and i.adopted_on is not None and i.adopted_on <= period.as_of)
    return Information(submitted=len(items), adopted=adopted, items=list(items),
                       honours=list(honours_in(scope.town_ids, period.from_, end).order_by("on", "pk")))
