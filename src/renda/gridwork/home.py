"""What gridwork adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.home import card, worklist_section
from renda.core.navigation import PETITIONS, NavItem, register
from renda.core.roles import Role
from renda.gridwork import selectors as gridwork
from renda.people import selectors as people
from renda.petitions import home as petitions_home
from renda.petitions import selectors as petitions
from renda.places.models import Level, Region
from renda.risks import home as risks_home
from renda.risks import selectors as risks
from renda.risks.models import Level as RiskLevel
from renda.shifts.models import AssignmentState, DutyAssignment
from renda.suggestions import home as suggestions_home
from renda.suggestions import selectors as suggestions
from renda.suggestions.workflow import OPEN as SUGGESTION_OPEN

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
def my_grids(user: Any) -> dict[str, Any]:
    """A grid worker's or deputy's own grids, each with its open petitions, risks and suggestions,
    and whom to work with there: the grid workers and the other deputies of the grid (a deputy is
    not their own contact), and for a deputy the presidium members who keep in touch with them."""
    if user.role not in {Role.GRID_WORKER, Role.DEPUTY, Role.PRESIDIUM} or not (user.grid_worker_id or user.deputy_id):
        return {"grids": [], "presidium": []}
    qs = (gridwork.grids_for(user) if user.role != Role.PRESIDIUM
          else Region.objects.filter(level=Level.GRID, deputies=user.deputy_id))
    grids = list(gridwork.with_counts(qs.filter(is_active=True)).select_related("parent")
                 .prefetch_related("grid_workers", "deputies").order_by("code"))
    me = user.deputy_id if user.role in {Role.DEPUTY, Role.PRESIDIUM} else None
    rows = [{"grid": g, "workers": [w for w in g.grid_workers.all() if w.is_active],
             "other_deputies": [d for d in g.deputies.all() if d.is_active and d.pk != me]} for g in grids]
    presidium = list(people.presidium_contacts_of(me)) if user.role == Role.DEPUTY and grids else []
    return {"grids": rows, "presidium": presidium, "is_deputy": me is not None}


@card(
    "petition_work",
    template="gridwork/partials/home_petition_work.html",
    roles={Role.STAFF, Role.PRESIDIUM, Role.DEPUTY},
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
    if role in {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY}:
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
            "register_risk": role in {Role.STAFF, Role.DEPUTY, Role.PRESIDIUM}}


@card("grid_work", template="gridwork/partials/home_grid_work.html", roles={Role.GRID_WORKER}, order=5)
def grid_work(user: Any) -> dict[str, Any] | None:
    """A grid worker's home: what is open in their grids (and what they reported) — risks, high
    ones first; petitions and suggestions, nearest time limit first — each the first few with a
    link to the whole list. Each list comes from the owning app's selector and row."""
    if not user.grid_worker_id:
        return None
    today = timezone.localdate()
    level_rank = Case(When(level=RiskLevel.HIGH, then=Value(0)), When(level=RiskLevel.MEDIUM, then=Value(1)),
                      default=Value(2), output_field=IntegerField())
    open_risks = risks.open_for(user).prefetch_related(None).order_by(level_rank, "-registered_on", "-id")
    open_petitions = (petitions.petitions_visible_to(user).open().prefetch_related(None)
                      .order_by(F("deadline").asc(nulls_last=True), "id"))
    open_suggestions = (suggestions.suggestions_visible_to(user).filter(state__in=[s.value for s in SUGGESTION_OPEN])
                        .order_by(F("deadline").asc(nulls_last=True), "-registered_at", "-id"))
    return {
        "id": "grid-work", "title": _("我的网格待办"),
        "actions": [{"url": reverse("risks:create"), "label": _("登记隐患"), "primary": False},
                    {"url": reverse("petitions:create"), "label": _("登记信访"), "primary": False},
                    {"url": reverse("suggestions:create"), "label": _("上报群众意见"), "primary": True}],
        "sections": [
            worklist_section(key="risks", label=_("未化解隐患"), qs=open_risks, row=risks_home.work_item,
                             more_url=reverse("risks:list") + "?state=open", empty=_("网格内没有未化解的隐患。"),
                             danger=True),
            worklist_section(key="petitions", label=_("未结信访件"), qs=open_petitions,
                             row=lambda p: petitions_home.work_item(p, today), more_url=reverse("petitions:list"),
                             empty=_("网格内没有未办结的信访件。")),
            worklist_section(key="suggestions", label=_("未办结意见建议"), qs=open_suggestions,
                             row=lambda s: suggestions_home.work_item(s, today), more_url=reverse("suggestions:list"),
                             empty=_("网格内没有未办结的意见建议。")),
        ],
    }
