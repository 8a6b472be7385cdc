"""What the public pages read: active towns, villages, grids and categories; a village's or
grid's deputies with their stations and published reception days. Nothing here reads a person's
data but a deputy's name, level and — only with their recorded consent — phone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from renda.liaison.models import PUBLISH_DAYS_AHEAD, ReceptionDay, Station
from renda.people.models import Deputy
from renda.places.models import Level, Region
from renda.suggestions.models import SuggestionCategory


def towns() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code")


def villages(town: Region | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(level=Level.VILLAGE, is_active=True).select_related("parent")
    return (qs.filter(parent=town) if town is not None else qs).order_by("code")


def grids(town: Region | None = None) -> QuerySet[Region]:
    qs = Region.objects.filter(level=Level.GRID, is_active=True).select_related("parent")
    return (qs.filter(town=town) if town is not None else qs).order_by("code")


def categories(town: Region) -> QuerySet[SuggestionCategory]:
    return SuggestionCategory.objects.filter(town=town, is_active=True).order_by("name")


def deputy(pk: int | None) -> Deputy | None:
    if pk is None:
        return None
    return Deputy.objects.select_related("town").filter(pk=pk, is_active=True).first()


def station(pk: int | None) -> Station | None:
    if pk is None:
        return None
    return Station.objects.select_related("town", "village").filter(pk=pk, is_active=True).first()


@dataclass
class PublicDeputy:
    pk: int
    name: str
    level: str
    phone: str  # empty unless the deputy consented
    stations: list[Any] = field(default_factory=list)


def deputies_for(*, village: Region | None = None, grid: Region | None = None,
                 today: dt.date | None = None) -> list[PublicDeputy]:
    """The active deputies of a village (living there or linked to one of its grids) or of a
    grid, each with their active stations and those stations' published reception days. A fixed
    number of queries whatever the number of deputies."""
    if village is None and grid is None:
        return []
    today = today or timezone.localdate()
    if grid is not None:
        where = Q(grids=grid) | Q(village_id=grid.parent_id) if grid.parent_id else Q(grids=grid)
    else:
        assert village is not None
        where = Q(village=village) | Q(grids__parent=village)
    days = ReceptionDay.objects.filter(on__gte=today, on__lte=today + dt.timedelta(days=PUBLISH_DAYS_AHEAD)
                                       ).order_by("on")
    stations = Station.objects.filter(is_active=True).order_by("name").prefetch_related(
        Prefetch("reception_days", queryset=days, to_attr="published"))
    qs = (Deputy.objects.filter(where, is_active=True).distinct().order_by("-is_presidium", "name")
          .prefetch_related(Prefetch("stations", queryset=stations)))
    return [PublicDeputy(pk=d.pk, name=d.name, level=d.get_level_display(), phone=d.phone if d.phone_public else "",
                         stations=list(d.stations.all())) for d in qs]
