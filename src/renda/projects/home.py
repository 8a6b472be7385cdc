"""What projects adds to the home pages and the top menu (see renda.core.home, renda.core.navigation):
the warnings card (stages overdue, bid above the tender ceiling, paid above the contract,
rectification reports due) for the office, the presidium and the lead units, and a deputy's
projects."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import WORKLIST_LIMIT, WorkItem, card, worklist_section
from renda.core.navigation import DEPUTY_WORK, NavItem, register
from renda.core.panels import panel
from renda.core.roles import Role
from renda.projects import selectors
from renda.projects.models import Project
from renda.projects.workflow import CandidateState

#: The items go in the 人代会 group of the top menu (congress' sessions and votes): the projects are
#: voted and evaluated at the sessions, and one more group would wrap the presidium's top bar.
_READERS = frozenset({"presidium", "staff", "deputy", "unit", "district_viewer", "admin"})
_ORG = frozenset({"presidium", "staff", "deputy", "district_viewer", "admin"})

register(
    NavItem(gettext_lazy("民生实事项目"), "projects:list", _READERS, DEPUTY_WORK, order=330),
    NavItem(gettext_lazy("候选项目（储备库）"), "project_candidates:list", _ORG, DEPUTY_WORK, order=331),
    NavItem(gettext_lazy("候选项目名单"), "project_lists:list", _ORG, DEPUTY_WORK, order=332),
    NavItem(gettext_lazy("满意度测评"), "projects:evaluation", frozenset({"presidium", "staff"}), DEPUTY_WORK,
            order=333),
    NavItem(gettext_lazy("民生实事设置"), "projects:settings", frozenset({"staff"}), DEPUTY_WORK, order=334),
    NavItem(gettext_lazy("民生实事公示栏"), "projects:board", _READERS, DEPUTY_WORK, order=335),
)


def _item(p: Project, meta: str = "", badge: str = "", danger: bool = False) -> WorkItem:
    return WorkItem(url=reverse("projects:detail", args=[p.pk]), code=p.code, title=p.title, meta=meta,
                    badge=badge, danger=danger)


@card("project_work", template="projects/partials/home_card.html",
      roles={Role.STAFF, Role.PRESIDIUM, Role.UNIT, Role.DEPUTY}, order=40)
def project_work(user: Any) -> dict[str, Any] | None:
    """民生实事: the projects with warnings, the rectification reports due, the ideas to screen
    (office), a deputy's own projects."""
    list_url = reverse("projects:list")
    sections = []
    if user.role in {Role.STAFF, Role.PRESIDIUM, Role.UNIT}:
        warned = selectors.warned_for(user)
        sections.append({
            "key": "warnings", "label": _("项目预警"), "count": len(warned), "more_url": list_url,
            "items": [_item(w.project, "；".join(x.text for x in w.warnings), _("预警"), True)
                      for w in warned[:WORKLIST_LIMIT]],
            "more": len(warned) > WORKLIST_LIMIT, "empty": _("没有预警的项目"), "danger": bool(warned)})
        sections.append(worklist_section(
            key="rectify", label=_("待提交整改报告"), qs=selectors.rectifications_due(user), more_url=list_url,
            row=lambda p: _item(p, _("整改期限 {d}").format(d=p.rectify_deadline.isoformat() if p.rectify_deadline
                                                           else "—")),
            empty=_("没有待整改的项目")))
    if user.role == Role.STAFF:
        to_screen = selectors.candidates_visible_to(user).filter(state=CandidateState.COLLECTED).order_by("id")
        sections.append(worklist_section(
            key="to_screen", label=_("待初审的候选项目"), qs=to_screen, more_url=reverse("project_candidates:list"),
            row=lambda c: WorkItem(url=reverse("project_candidates:detail", args=[c.pk]), code=c.code, title=c.title,
                                   meta=c.get_source_display()),
            empty=_("没有待初审的候选项目")))
    if user.role in {Role.DEPUTY, Role.PRESIDIUM} and getattr(user, "deputy_id", None):
        parts = selectors.deputy_parts(user, user.deputy_id)
        if not parts and user.role == Role.DEPUTY:
            return None
        sections.append({
            "key": "mine", "label": _("我督办的项目"), "count": len(parts), "more_url": list_url,
            "items": [_item(x.project, " · ".join(x.roles)) for x in parts[:WORKLIST_LIMIT]],
            "more": len(parts) > WORKLIST_LIMIT, "empty": _("暂未参与督办民生实事项目"), "danger": False})
    if not sections:
        return None
    return {"id": "project-work", "title": _("民生实事"), "sections": sections,
            "actions": [{"url": list_url, "label": _("全部项目"), "primary": False}], "footer": []}


@panel("deputies")
def deputy_projects(user: Any, deputy: Any) -> list[dict[str, Any]]:
    """On a deputy's page: the livelihood projects the deputy supervises, is in the group of,
    inspected or noted (among those the viewer may see), with the deputy's part."""
    rows = []
    for x in selectors.deputy_parts(user, deputy.pk):
        part = " · ".join([*(str(r) for r in x.roles),
                           _("视察 %(n)s 次") % {"n": x.inspections}, _("督办记录 %(n)s 条") % {"n": x.notes}])
        rows.append((f"{x.project.code} {x.project.title}（{part}）", reverse("projects:detail", args=[x.project.pk])))
    return [{"title": _("参与民生实事项目"), "count": len(rows), "rows": rows}]
