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
from renda.places.selectors import region_counts, towns_visible_to
from renda.units.selectors import units_visible_to


def town_summary(user: Any) -> dict[str, Any]:
    town = user.town
    counts = region_counts(town)
    deputies = deputies_visible_to(user).filter(is_active=True).aggregate(
        total=Count("pk"), district=Count("pk", filter=Q(level="district")),
        town=Count("pk", filter=Q(level="town")), presidium=Count("pk", filter=Q(is_presidium=True)))
    counts["units"] = units_visible_to(user).filter(is_active=True).count()
    return {"town": town, "counts": counts, "deputies": deputies, "suggestion_queue": suggestion_queue(user)}


def suggestion_queue(user: Any) -> dict[str, Any] | None:
    """The role's suggestion work for its home page: each queue's count and link."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from renda.suggestions import selectors

    def tabs(url_name: str, queues: dict[str, Any], labels: list[tuple[str, str]]) -> list[dict[str, Any]]:
        url = reverse(url_name)
        return [{"label": label, "count": queues[key].count(), "url": f"{url}?tab={key}"} for key, label in labels]

    new = reverse("suggestions:create")
    if user.role == Role.STAFF:
        return {"title": _("意见建议交办"), "action_url": new, "action_label": _("登记意见建议"),
                "list_url": reverse("suggestions:list"), "list_label": _("全部意见建议"),
                "tabs": tabs("suggestions:queue", selectors.office_queue(user), [
                    ("new", _("新登记")), ("to_assign", _("待交办")), ("returned", _("被退回")),
                    ("due_soon", _("即将到期")), ("overdue", _("已超期")), ("to_close", _("待办结"))])}
    if user.role == Role.UNIT:
        return {"title": _("交办给本单位的意见建议"), "list_url": reverse("suggestions:list"),
                "list_label": _("本单位全部事项"),
                "tabs": tabs("suggestions:inbox", selectors.unit_inbox(user), [
                    ("to_accept", _("待签收")), ("handling", _("办理中")), ("due_soon", _("即将到期")),
                    ("overdue", _("已超期"))])}
    if user.role in {Role.DEPUTY, Role.PRESIDIUM} and user.deputy_id:
        url = reverse("suggestions:mine")
        return {"title": _("我的建议"), "action_url": new, "action_label": _("提交代表建议"),
                "tabs": [{"label": _("我的建议"), "count": selectors.deputy_items(user).count(), "url": url},
                         {"label": _("待测评"), "count": selectors.deputy_to_evaluate(user).count(),
                          "url": f"{url}?tab=to_evaluate"}]}
    if user.role == Role.GRID_WORKER:
        return {"title": _("群众意见建议"), "action_url": new, "action_label": _("上报群众意见"),
                "list_url": reverse("suggestions:list"), "list_label": _("我上报和本网格的事项"), "tabs": []}
    return None


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
    """A grid worker's or deputy's own grids, each with its open petitions, risks and suggestions."""
    from renda.gridwork import selectors as gridwork

    if user.role not in {Role.GRID_WORKER, Role.DEPUTY, Role.PRESIDIUM} or not (user.grid_worker_id or user.deputy_id):
        return []
    qs = (gridwork.grids_for(user) if user.role != Role.PRESIDIUM
          else Region.objects.filter(level=Level.GRID, deputies=user.deputy_id))
    return list(gridwork.with_counts(qs.filter(is_active=True)).select_related("parent")
                .prefetch_related("grid_workers", "deputies").order_by("code"))


def petition_work(user: Any) -> dict[str, Any]:
    """The 信访与网格 card of a home page: what this user has to do about petitions, duty shifts and
    risks, as counts with links (each from the owning app's selectors)."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from renda.petitions import selectors as petitions
    from renda.risks import selectors as risks
    from renda.shifts.models import AssignmentStatus, DutyAssignment

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
            deputy_id=user.deputy_id, status=AssignmentStatus.SCHEDULED, shift__date__gte=today,
            shift__date__lte=today + dt.timedelta(days=31)).select_related("shift").order_by("shift__date")[:5])
    if not links and not shifts:
        return {}
    return {"links": links, "shifts": shifts,
            "register_risk": role in {Role.STAFF, Role.DEPUTY, Role.GRID_WORKER, Role.PRESIDIUM}}
