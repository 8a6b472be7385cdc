"""What duties adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import WorkItem, card, worklist_section
from renda.core.navigation import DEPUTY_WORK, NavItem, register
from renda.core.panels import panel
from renda.core.roles import Role
from renda.duties import policy, selectors
from renda.duties.models import Activity, VoterReport
from renda.duties.workflow import ReportState, State

#: The entries sit in the 代表工作 menu (core.navigation.DEPUTY_WORK) with 人代会, 民生实事 and 联系群众.
OFFICE = frozenset({"presidium", "staff", "district_viewer", "admin"})
DEPUTY = frozenset({"deputy"})

register(
    NavItem(gettext_lazy("履职活动"), "duty_activities:list", OFFICE, DEPUTY_WORK, order=400),
    NavItem(gettext_lazy("履职档案"), "duties:archives", OFFICE, DEPUTY_WORK, order=410),
    NavItem(gettext_lazy("述职评议"), "duty_reports:list", OFFICE, DEPUTY_WORK, order=420),
    NavItem(gettext_lazy("荣誉"), "duty_awards:list", OFFICE, DEPUTY_WORK, order=430),
    NavItem(gettext_lazy("履职积分排名"), "duties:ranking", frozenset({"presidium", "staff"}), DEPUTY_WORK,
            order=440),
    NavItem(gettext_lazy("履职积分设置"), "duties:settings", frozenset({"staff"}), DEPUTY_WORK, order=450),
    NavItem(gettext_lazy("履职活动"), "duty_activities:list", DEPUTY, DEPUTY_WORK, order=400),
    NavItem(gettext_lazy("我的履职档案"), "duties:archives", DEPUTY, DEPUTY_WORK, order=410),
    NavItem(gettext_lazy("述职评议"), "duty_reports:list", DEPUTY, DEPUTY_WORK, order=420),
)


def activity_item(a: Activity) -> WorkItem:
    when = a.on.isoformat() + (f" {a.starts_at:%H:%M}" if a.starts_at else "")
    return WorkItem(url=reverse("duty_activities:detail", args=[a.pk]), code=a.code, title=a.title,
                    meta=" · ".join(x for x in (str(a.get_type_display()), when, a.place) if x))


def report_item(r: VoterReport) -> WorkItem:
    return WorkItem(url=reverse("duty_reports:detail", args=[r.pk]), code=str(r.year), title=r.deputy.name,
                    meta=str(r.get_state_display()))


@card("duty_work", template="duties/partials/home_duty_work.html",
      roles={Role.STAFF, Role.PRESIDIUM, Role.DEPUTY}, order=60)
def duty_work(user: Any) -> dict[str, Any] | None:
    """The duty work of the home page: the office's coming activities, those held and not yet
    archived, and reports waiting for it; a deputy's coming activities and reports to draft."""
    today = timezone.localdate()
    acts = selectors.activities_visible_to(user).order_by("on", "starts_at", "id")
    reports = selectors.reports_visible_to(user).order_by("-year", "id")
    activities_url = reverse("duty_activities:list")
    reports_url = reverse("duty_reports:list")
    own = policy.deputy_of(user)
    if user.role == Role.DEPUTY:
        if not own:
            return None
        mine = acts.filter(participations__deputy_id=own, on__gte=today, state=State.PLANNED)
        sections = [
            worklist_section(key="coming", label=_("我将参加的活动"), qs=mine, row=activity_item,
                             more_url=f"{activities_url}?mine=yes&state=planned",
                             empty=_("近期没有安排您参加的活动。")),
            worklist_section(key="drafting", label=_("待完成的述职报告"),
                             qs=reports.filter(state=ReportState.DRAFTING),
                             row=report_item, more_url=reports_url, empty=_("没有待完成的述职报告。")),
        ]
        return {"id": "duty-work", "title": _("代表履职"), "sections": sections,
                "footer": [{"url": reverse("duties:archive", args=[own]), "label": _("我的履职档案")}]}
    sections = [
        worklist_section(key="coming", label=_("近期活动"), qs=acts.filter(on__gte=today, state=State.PLANNED),
                         row=activity_item, more_url=f"{activities_url}?state=planned", empty=_("近期没有安排活动。")),
        worklist_section(key="to_archive", label=_("待归档的活动"), qs=acts.filter(state=State.HELD),
                         row=activity_item, more_url=f"{activities_url}?state=held", empty=_("没有待归档的活动。")),
        worklist_section(key="reports", label=_("待测评的述职"), qs=reports.filter(state=ReportState.SUBMITTED),
                         row=report_item, more_url=f"{reports_url}?state=submitted", empty=_("没有待测评的述职。")),
    ]
    actions = [{"url": reverse("duty_activities:create"), "label": _("安排履职活动"), "primary": True}] \
        if policy.can(user, "create") else []
    return {"id": "duty-work", "title": _("代表履职"), "sections": sections, "actions": actions,
            "footer": [{"url": reverse("duties:archives"), "label": _("履职档案")},
                       {"url": reverse("duties:ranking"), "label": _("履职积分排名")}]}


@panel("deputies")
def deputy_archive(user: Any, deputy: Any) -> list[dict[str, Any]]:
    """On a deputy's page: the way to the deputy's duty archive (履职档案), for whoever may read it."""
    if not policy.can_view_archive(user, deputy):
        return []
    rows = [(_("履职档案（出席、视察调研、培训、小组活动、建议、述职、荣誉与积分）"),
             reverse("duties:archive", args=[deputy.pk]))]
    return [{"title": _("履职档案"), "count": len(rows), "rows": rows}]
