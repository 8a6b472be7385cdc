"""What each role's home page shows — reads only, built from the apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from renda.accounts.models import Role
from renda.audit.models import AuditEvent
from renda.audit.selectors import HistoryEntry, describe_changes
from renda.audit.verbs import describe
from renda.people.models import Deputy
from renda.people.selectors import contact_assignments_visible_to, deputies_visible_to
from renda.places.models import Level, Region
from renda.places.selectors import grids_visible_to, region_counts, towns_visible_to
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


def my_contacts(user: Any) -> list[Any]:
    if not user.deputy_id:
        return []
    return list(contact_assignments_visible_to(user).filter(presidium_member_id=user.deputy_id, is_active=True)
                .select_related("deputy", "deputy__village"))


def my_grids(user: Any) -> list[Region]:
    if user.role == Role.GRID_WORKER:
        qs = grids_visible_to(user)
    elif user.deputy_id:
        qs = Region.objects.filter(level=Level.GRID, deputies=user.deputy_id)
    else:
        return []
    return list(qs.select_related("parent").prefetch_related("grid_workers", "deputies").order_by("code"))
