"""Reads of regions and grid workers, already restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from renda.core.compiled import CompiledQuery
from renda.core.errors import InvalidInput, NotFound
from renda.core.policy import sees_every_town
from renda.core.roles import ORG_READERS, Role
from renda.places.models import GridWorker, Level, Region

#: ``regions_by_id``'s query for 1, 2 and 3 ids, compiled once per connection.
_BY_ID: dict[int, CompiledQuery[Region]] = {
    n: CompiledQuery(lambda *ids: Region.objects.select_related("parent").order_by().filter(pk__in=ids),
                     kinds=(int,) * n) for n in (1, 2, 3)}


def regions_by_id(ids: set[int]) -> dict[int, Region]:
    """The regions of ``ids`` with their parents, by id, in one query (none for no id): a
    registration's town, village and grid. Not restricted to a user: the caller checks each."""
    if not ids:
        return {}
    query = _BY_ID.get(len(ids))
    found = query.all(*ids) if query is not None else Region.objects.select_related("parent").filter(pk__in=ids)
    return {r.pk: r for r in found}


def _town_filter(user: Any, field: str = "town_id") -> Q | None:
    """None when the user sees every town; else a filter on their town."""
    if sees_every_town(user):
        return None
    return Q(**{field: user.town_id})


def regions_visible_to(user: Any) -> QuerySet[Region]:
    qs = Region.objects.select_related("parent", "town")
    if user is not None and user.role == Role.GRID_WORKER:
        return qs.filter(level=Level.GRID, grid_workers=user.grid_worker_id)
    if user is not None and user.role not in ORG_READERS:
        return qs.none()
    f = _town_filter(user)
    if f is None:
        return qs
    district = Region.objects.filter(pk=user.town_id).values("parent_id")
    return qs.filter(f | Q(level=Level.DISTRICT, pk__in=district))


def towns_visible_to(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=Level.TOWN)


def villages_visible_to(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=Level.VILLAGE)


def grids_visible_to(user: Any) -> QuerySet[Region]:
    return regions_visible_to(user).filter(level=Level.GRID)


def grid_workers_visible_to(user: Any) -> QuerySet[GridWorker]:
    qs = GridWorker.objects.select_related("town").prefetch_related("grids")
    if user is not None and user.role == Role.GRID_WORKER:
        return qs.filter(pk=user.grid_worker_id)
    if user is not None and user.role not in ORG_READERS:
        return qs.none()
    f = _town_filter(user)
    return qs if f is None else qs.filter(f)


def grid_for_code(code: str) -> Region | None:
    return Region.objects.filter(level=Level.GRID, code=code).first()


def region_counts(town: Region) -> dict[str, int]:
    """Villages, grids and grid workers of a town, active only."""
    c = Region.objects.filter(town=town, is_active=True).aggregate(
        villages=Count("pk", filter=Q(level=Level.VILLAGE)), grids=Count("pk", filter=Q(level=Level.GRID))
    )
    c["grid_workers"] = GridWorker.objects.filter(town=town, is_active=True).count()
    return c


def town_ref(user: Any, town_id: int | None) -> Region:
    """The town an input names (default: the user's own), among the towns the user may see;
    an unseen id is a 404 naming ``town_id``, none at all a 400."""
    wanted = town_id if town_id is not None else user.town_id
    if wanted is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town_id": _("必填")})
    town = towns_visible_to(user).filter(pk=wanted).first()
    if town is None:
        raise NotFound(fields={"town_id": _("不存在或无权查看：{id}").format(id=wanted)})
    return town
