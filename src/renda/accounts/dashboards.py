"""What each role's home page shows — reads only, built from the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from renda.audit.models import AuditEvent
from renda.audit.selectors import HistoryEntry, describe_changes
from renda.audit.verbs import describe
from renda.people.models import Deputy
from renda.people.selectors import deputies_visible_to
from renda.places.models import Level, Region
from renda.places.selectors import region_counts, towns_visible_to
from renda.units.selectors import units_visible_to


def town_summary(user: Any) -> dict[str, Any]:
    town = user.town
    counts = region_counts(town)
    deputies = deputies_visible_to(user).filter(is_active=True).aggregate(
        total=Count("pk"), district=Count("pk", filter=Q(level="district")),
        town=Count("pk", filter=Q(level="town")), presidium=Count("pk", filter=Q(is_presidium=True)))
    counts["units"] = units_visible_to(user).filter(is_active=True).count()
    return {"town": town, "counts": counts, "deputies": deputies}


def recent_changes(user: Any, limit: int = 10) -> list[HistoryEntry]:
    qs = AuditEvent.objects.order_by("-id")
    if user.town_id is not None:
        qs = qs.filter(town_id=user.town_id)
    return [HistoryEntry(e, describe(e.verb), describe_changes(e)) for e in qs[:limit]]


def towns_overview(user: Any) -> list[dict[str, Any]]:
    towns = towns_visible_to(user).filter(is_active=True).order_by("code")
    grid_counts = dict(
        Region.objects.filter(level=Level.GRID, is_active=True, town__in=towns).values_list("town")
        .annotate(n=Count("pk")).values_list("town", "n"))
    village_counts = dict(
        Region.objects.filter(level=Level.VILLAGE, is_active=True, town__in=towns).values_list("town")
        .annotate(n=Count("pk")).values_list("town", "n"))
    deputy_counts = dict(
        Deputy.objects.filter(is_active=True, town__in=towns).values_list("town").annotate(n=Count("pk"))
        .values_list("town", "n"))
    return [{"town": t, "villages": village_counts.get(t.pk, 0), "grids": grid_counts.get(t.pk, 0),
             "deputies": deputy_counts.get(t.pk, 0)} for t in towns]
