"""What suggestions adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import card
from renda.core.navigation import EVERYONE, ORG, SYSTEM, NavItem, register
from renda.core.roles import Role
from renda.suggestions import selectors

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
    roles={Role.STAFF, Role.PRESIDIUM, Role.UNIT, Role.DEPUTY, Role.GRID_WORKER},
    order=10,
    orders={Role.GRID_WORKER: 30},
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
