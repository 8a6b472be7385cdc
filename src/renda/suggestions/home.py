"""What suggestions adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import WorkItem, card, worklist_section
from renda.core.navigation import EVERYONE, ORG, SYSTEM, NavItem, register
from renda.core.roles import Role
from renda.suggestions import rules, selectors
from renda.suggestions.models import Suggestion
from renda.suggestions.workflow import HANDLING

register(
    NavItem(gettext_lazy("交办工作"), "suggestions:queue", frozenset({"staff"}), order=20),
    NavItem(gettext_lazy("本单位待办"), "suggestions:inbox", frozenset({"unit"}), order=30),
    NavItem(gettext_lazy("我的建议"), "suggestions:mine", frozenset({"deputy", "presidium"}), order=40),
    NavItem(gettext_lazy("上报民意"), "suggestions:create", frozenset({"grid_worker"}), order=50),
    NavItem(gettext_lazy("意见建议"), "suggestions:list", EVERYONE, order=60),
    NavItem(gettext_lazy("意见建议类别"), "suggestion_categories:list", ORG, SYSTEM, order=260),
)


@card(
    "suggestion_queue",
    template="suggestions/partials/home_queue.html",
    roles={Role.STAFF, Role.PRESIDIUM, Role.DEPUTY},
    order=10,
)
def suggestion_queue(user: Any) -> dict[str, Any] | None:
    """The role's suggestion work for its home page: each queue's count and link."""
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
    if user.role in {Role.DEPUTY, Role.PRESIDIUM} and user.deputy_id:
        url = reverse("suggestions:mine")
        return {"title": _("我的建议"), "action_url": new, "action_label": _("提交代表建议"),
                "tabs": [{"label": _("我的建议"), "count": selectors.deputy_items(user).count(), "url": url},
                         {"label": _("待测评"), "count": selectors.deputy_to_evaluate(user).count(),
                          "url": f"{url}?tab=to_evaluate"}]}
    return None


def work_item(s: Suggestion, today: dt.date) -> WorkItem:
    """A suggestion as a row of a home page's work list: its deadline, and whether it is overdue or
    due soon (the queues' definition, ``selectors.due_and_overdue``)."""
    meta = [s.get_state_display()]
    if s.deadline:
        meta.append(_("期限 {date}").format(date=s.deadline.isoformat()))
    badge, danger = "", False
    if s.deadline and s.state in {st.value for st in HANDLING}:
        if s.deadline < today:
            badge, danger = _("已超期"), True
        elif s.deadline <= today + dt.timedelta(days=rules.DEFAULT.due_soon_days):
            badge = _("即将到期")
    return WorkItem(url=reverse("suggestions:detail", args=[s.pk]), code=s.code, title=s.title,
                    meta=" · ".join(meta), badge=badge, danger=danger)


@card("deputy_opinions", template="suggestions/partials/home_deputy_opinions.html", roles={Role.DEPUTY, Role.PRESIDIUM},
      order=11)
def deputy_opinions(user: Any) -> dict[str, Any] | None:
    """A deputy's home: public opinions given through their QR code, waiting for their note,
    passing on or adoption (shown only when there are some)."""
    if not getattr(user, "deputy_id", None):
        return None
    qs = selectors.deputy_opinions_to_follow_up(user)
    section = worklist_section(
        key="opinions", label=_("待处理"), qs=qs, more_url=reverse("suggestions:mine"),
        row=lambda s: WorkItem(url=reverse("suggestions:follow_up", args=[s.pk]), code=s.code, title=s.title,
                               meta=s.registered_at.isoformat(), badge="", danger=False),
        empty=_("没有待处理的群众意见。"))
    if not section["count"]:
        return None
    return {"id": "deputy-opinions", "title": _("群众通过二维码反映的意见"), "sections": [section], "footer": []}


@card("unit_work", template="suggestions/partials/home_unit_work.html", roles={Role.UNIT}, order=10)
def unit_work(user: Any) -> dict[str, Any] | None:
    """A unit's home: the items waiting for it — to accept (签收), to reply (办理中), overdue, and
    co-handling opinions still missing — each the first few with a link to the whole queue."""
    if not user.unit_id:
        return None
    today = timezone.localdate()
    queues = selectors.unit_inbox(user, today=today)
    inbox = reverse("suggestions:inbox")

    def section(key: str, label: str, empty: str, *, danger: bool = False) -> dict[str, Any]:
        return worklist_section(key=key, label=label, qs=queues[key], row=lambda s: work_item(s, today),
                                more_url=f"{inbox}?tab={key}", empty=empty, danger=danger)

    sections = [section("to_accept", _("待签收"), _("没有待签收的事项。")),
                section("handling", _("待答复"), _("没有待答复的事项。")),
                section("overdue", _("已超期"), _("没有超期的事项。"), danger=True)]
    co = section("co_handling", _("待提协办意见"), _("没有待提协办意见的事项。"))
    if co["count"]:
        sections.append(co)
    return {"id": "unit-work", "title": _("本单位待办"), "sections": sections,
            "footer": [{"url": f"{inbox}?tab=due_soon", "label": _("即将到期的事项")},
                       {"url": reverse("suggestions:list"), "label": _("本单位全部事项")}]}
