"""Grids with what is open in them (网格治理): grid workers, deputies, open petitions, risks and
suggestions — read-only, restricted to the grids the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from renda.core.roles import Role
from renda.people.models import Deputy
from renda.petitions.models import Petition
from renda.places.models import GridWorker, Level, Region
from renda.places.selectors import grids_visible_to
from renda.risks.models import Risk
from renda.suggestions.models import Suggestion
from renda.suggestions.workflow import OPEN as SUGGESTION_OPEN


def grids_for(user: Any) -> QuerySet[Region]:
    """Org readers: their town's grids (district roles: all); grid workers: their grids;
    deputies: the grids they are placed in; others: none."""
    if user is not None and user.role == Role.DEPUTY:
        if not user.deputy_id:
            return Region.objects.none()
        return Region.objects.filter(level=Level.GRID, deputies=user.deputy_id).select_related("parent", "town")
    return grids_visible_to(user)


def _count(qs: QuerySet[Any], field: str) -> Coalesce:
    sub = qs.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def with_counts(qs: QuerySet[Region]) -> QuerySet[Region]:
    """One query for any number of grids: each count is a correlated subquery."""
    return qs.annotate(
        n_workers=_count(GridWorker.grids.through.objects.filter(gridworker__is_active=True), "region"),
        n_deputies=_count(Deputy.grids.through.objects.filter(deputy__is_active=True), "region"),
        open_petitions=_count(Petition.objects.open(), "grid"),
        open_risks=_count(Risk.objects.open(), "grid"),
        open_suggestions=_count(Suggestion.objects.filter(state__in=[s.value for s in SUGGESTION_OPEN]), "grid"),
    )


def town_totals(qs: QuerySet[Region]) -> dict[str, int]:
    """Sums over the grids of ``qs`` (already annotated by ``with_counts``)."""
    totals = {"grids": 0, "n_workers": 0, "n_deputies": 0, "open_petitions": 0, "open_risks": 0,
              "open_suggestions": 0}
    names = ("n_workers", "n_deputies", "open_petitions", "open_risks", "open_suggestions")
    for row in qs.order_by().values(*names):
        totals["grids"] += 1
        for k, v in row.items():
            totals[k] += v
    return totals


def busy(qs: QuerySet[Region]) -> QuerySet[Region]:
    """Grids with anything open."""
    return qs.filter(Q(open_petitions__gt=0) | Q(open_risks__gt=0) | Q(open_suggestions__gt=0))
