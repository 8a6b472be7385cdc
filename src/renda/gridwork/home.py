"""What gridwork adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.home import card
from renda.core.navigation import PETITIONS, NavItem, register
from renda.core.roles import Role
from renda.gridwork import selectors as gridwork
from renda.petitions import selectors as petitions
from renda.places.models import Level, Region
from renda.risks import selectors as risks
from renda.shifts.models import AssignmentState, DutyAssignment

register(
    NavItem(
        _("网格治理"),
        "grid_work:list",
        frozenset({"presidium", "staff", "district_viewer", "admin", "deputy"}),
        PETITIONS,
        order=140,
    ),
)


@card(
    "grids",
    template="gridwork/partials/home_grids.html",
    roles={Role.DEPUTY, Role.GRID_WORKER, Role.PRESIDIUM},
    order=30,
    orders={Role.GRID_WORKER: 10, Role.PRESIDIUM: 20},
    columns={Role.PRESIDIUM: "side"},
)
def my_grids(user: Any) -> list[Region]:
    """A grid worker's or deputy's own grids, each with its open petitions, risks and suggestions."""
    if user.role not in {Role.GRID_WORKER, Role.DEPUTY, Role.PRESIDIUM} or not (user.grid_worker_id or user.deputy_id):
        return []
    qs = (gridwork.grids_for(user) if user.role != Role.PRESIDIUM
          else Region.objects.filter(level=Level.GRID, deputies=user.deputy_id))
    return list(gridwork.with_counts(qs.filter(is_active=True)).select_related("parent")
                .prefetch_related("grid_workers", "deputies").order_by("code"))


@card(
    "petition_work",
    template="gridwork/partials/home_petition_work.html",
    roles={Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.GRID_WORKER},
    order=20,
)
def petition_work(user: Any) -> dict[str, Any]:
    """The 信访与网格 card of a home page: what this user has to do about petitions, duty shifts and
    risks, as counts with links (each from the owning app's selectors)."""
    today = timezone.localdate()
    links: list[dict[str, Any]] = []
    role = user.role
    if role == Role.STAFF:
        queue = petitions.office_queue(user, today=today)
        base = reverse("petitions:queue")
        for key, label in (("to_decide", _("待决定是否受理")), ("due_soon", _("临近期限")), ("overdue", _("已超期")),
                           ("reviews", _("复查复核待答复")), ("instructions", _("送阅批未返回"))):
            links.append({"label": label, "count": queue[key].count(), "url": f"{base}?tab={key}",
                          "danger": key == "overdue"})
    if role == Role.PRESIDIUM:
        links.append({"label": _("待阅批来信"), "count": petitions.instructions_for(user)["pending"].count(),
                      "url": reverse("petitions:instructions"), "danger": False})
    if role in {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.GRID_WORKER}:
        counts = risks.risk_counts(user)
        links.append({"label": _("未化解隐患"), "count": counts["total"], "url": reverse("risks:list") + "?state=open",
                      "danger": bool(counts["high"])})
    shifts: list[Any] = []
    if user.deputy_id:
        shifts = list(DutyAssignment.objects.filter(
            deputy_id=user.deputy_id, state=AssignmentState.SCHEDULED, shift__date__gte=today,
            shift__date__lte=today + dt.timedelta(days=31)).select_related("shift").order_by("shift__date")[:5])
    if not links and not shifts:
        return {}
    return {"links": links, "shifts": shifts,
            "register_risk": role in {Role.STAFF, Role.DEPUTY, Role.GRID_WORKER, Role.PRESIDIUM}}
