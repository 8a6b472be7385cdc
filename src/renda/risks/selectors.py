"""Reads of risks, already restricted to what the user may see (see ``policy`` for the rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q

from renda.core import crypto
from renda.core.policy import sees_every_town
from renda.core.roles import TOWN_OFFICE, Role
from renda.people.models import Deputy
from renda.places.models import GridWorker
from renda.risks.models import Risk, RiskParticipant, RiskPerson, RiskQuerySet


def _base() -> RiskQuerySet:
    return Risk.objects.select_related("town", "village", "grid", "reported_by").prefetch_related(
        Prefetch("people", queryset=RiskPerson.objects.order_by("position", "id")),
        Prefetch("participants",
                 queryset=RiskParticipant.objects.select_related("deputy", "grid_worker").order_by("id")),
    )


def risks_visible_to(user: Any) -> RiskQuerySet:
    """Office and presidium: their town; deputies: risks they take part in, in their grids or
    reported by them; grid workers: in their grids, taking part or reported by them; district
    viewers and district administrators: every town; units: none."""
    qs = _base()
    if sees_every_town(user):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.town_id:
        return qs.none()
    role = user.role
    if role in {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN}:
        return qs.filter(town_id=user.town_id)
    if role == Role.DEPUTY and user.deputy_id:
        grids = Deputy.grids.through.objects.filter(deputy_id=user.deputy_id).values("region_id")
        part = RiskParticipant.objects.filter(deputy_id=user.deputy_id).values("risk_id")
        return qs.filter(Q(grid_id__in=grids) | Q(pk__in=part) | Q(reported_by_id=user.pk), town_id=user.town_id)
    if role == Role.GRID_WORKER and user.grid_worker_id:
        worker_grids = GridWorker.grids.through.objects.filter(gridworker_id=user.grid_worker_id).values("region_id")
        part = RiskParticipant.objects.filter(grid_worker_id=user.grid_worker_id).values("risk_id")
        return qs.filter(Q(grid_id__in=worker_grids) | Q(pk__in=part) | Q(reported_by_id=user.pk), town_id=user.town_id)
    return qs.none()


def open_for(user: Any) -> RiskQuerySet:
    """The open risks (registered, resolving or escalated) this user may see — for home pages."""
    return risks_visible_to(user).open()


@dataclass(frozen=True)
class RiskFilters:
    state: str | None = None
    level: str | None = None
    town_id: int | None = None
    village_id: int | None = None
    grid_id: int | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None
    resolved_from: dt.date | None = None
    resolved_to: dt.date | None = None
    with_deputies: bool | None = None
    open: bool | None = None
    q: str = ""


def search_people_q(user: Any, q: str) -> Q | None:
    """An exact ID-number or phone typed into the search box finds the risks naming that person,
    through the keyed hashes — only for those who may reveal people (office and presidium)."""
    if user is not None and getattr(user, "role", None) not in TOWN_OFFICE:
        return None
    digits = crypto.normalize_phone(q)
    if len(digits) >= 11 and digits[:17].isdigit():
        return Q(pk__in=RiskPerson.objects.filter(
            Q(id_hash=crypto.id_lookup_hash(q)) | Q(phone_hash=crypto.phone_lookup_hash(q))).values("risk_id"))
    return None


def apply_filters(qs: RiskQuerySet, f: RiskFilters, user: Any = None) -> RiskQuerySet:
    exact = {"state": f.state, "level": f.level, "town_id": f.town_id, "village_id": f.village_id,
             "grid_id": f.grid_id, "registered_on__gte": f.registered_from, "registered_on__lte": f.registered_to,
             "resolved_on__gte": f.resolved_from, "resolved_on__lte": f.resolved_to}
    qs = qs.filter(**{k: v for k, v in exact.items() if v not in (None, "")})
    if f.with_deputies is True:
        qs = qs.with_deputies()
    elif f.with_deputies is False:
        qs = qs.exclude(pk__in=Risk.objects.with_deputies().values("pk"))
    if f.open is True:
        qs = qs.open()
    elif f.open is False:
        qs = qs.filter(state="resolved")
    q = (f.q or "").strip()[:100]
    if q:
        cond = Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        people = search_people_q(user, q)
        if people is not None:
            cond |= people
        qs = qs.filter(cond)
    return qs


def risk_counts(user: Any) -> dict[str, int]:
    """Open risks by level for a home page."""
    from django.db.models import Count

    agg = open_for(user).order_by().aggregate(
        total=Count("pk"), high=Count("pk", filter=Q(level="high")),
        escalated=Count("pk", filter=Q(state="escalated")))
    return {k: int(v or 0) for k, v in agg.items()}
