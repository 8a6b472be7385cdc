"""What the presidium app adds to the home pages (the tasks of this half not yet reviewed) and
the top menu (组织机构 for the office, the presidium and district viewers; 代表工作 for deputies,
who read the plan and the division of duties)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import WorkItem, card, worklist_section
from renda.core.navigation import DEPUTY_WORK, ORG, ORGANIZATION, NavItem, register
from renda.core.roles import Role
from renda.presidium import halves, policy, selectors
from renda.presidium.models import PlanTask

register(
    NavItem(gettext_lazy("年度工作要点"), "presidium_plans:list", ORG, ORGANIZATION, order=100),
    NavItem(gettext_lazy("职责分工"), "duty_divisions:list", ORG, ORGANIZATION, order=110),
    NavItem(gettext_lazy("信息报送"), "info_items:list", ORG, ORGANIZATION, order=120),
    NavItem(gettext_lazy("年度工作要点"), "presidium_plans:list", frozenset({"deputy"}), DEPUTY_WORK, order=600),
    NavItem(gettext_lazy("职责分工"), "duty_divisions:list", frozenset({"deputy"}), DEPUTY_WORK, order=610),
)


def task_item(t: PlanTask) -> WorkItem:
    return WorkItem(url=reverse("plan_tasks:detail", args=[t.pk]), code=f"{t.plan.year}-{t.ordinal}",
                    title=t.text.splitlines()[0][:60] if t.text else t.area,
                    meta=" · ".join((t.area, t.lead.name, halves.label(t.due_half))))


@card("plan_reviews", template="presidium/partials/home_card.html", roles={Role.PRESIDIUM, Role.STAFF}, order=55)
def plan_reviews(user: Any) -> dict[str, Any] | None:
    """The town's plan tasks due this half (or earlier, not yet done) without a review of this half."""
    if not user.town_id or not policy.can(user, "list", kind="tasks"):
        return None
    half = halves.of(timezone.localdate())
    qs = selectors.unreviewed_due(user.town_id, half)
    section = worklist_section(
        key="unreviewed", label=_("{half}待评估的工作任务").format(half=halves.label(half)), qs=qs, row=task_item,
        more_url=f"{reverse('plan_tasks:list')}?unreviewed={half}", empty=_("本半年度到期的工作任务都已评估。"))
    return {"id": "plan-reviews", "title": _("年度工作要点"), "sections": [section],
            "footer": [{"url": reverse("presidium_plans:list"), "label": _("年度工作要点")},
                       {"url": reverse("duty_divisions:list"), "label": _("职责分工")}]}
