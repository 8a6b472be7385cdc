"""The top menu for each role. Apps add entries here as they are built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset[str]
    group: Any = None  # items of one group are shown together in a dropdown


ORGANIZATION = _("组织机构")
SYSTEM = _("系统")
PETITIONS = _("信访网格")


ORG = frozenset({"presidium", "staff", "district_viewer", "admin"})
ITEMS: list[NavItem] = [
    NavItem(_("工作台"), "accounts:home", frozenset({"presidium", "staff", "deputy", "unit", "grid_worker",
                                                     "district_viewer", "admin"})),
    NavItem(_("交办工作"), "suggestions:queue", frozenset({"staff"})),
    NavItem(_("本单位待办"), "suggestions:inbox", frozenset({"unit"})),
    NavItem(_("我的建议"), "suggestions:mine", frozenset({"deputy", "presidium"})),
    NavItem(_("上报民意"), "suggestions:create", frozenset({"grid_worker"})),
    NavItem(_("意见建议"), "suggestions:list", frozenset({"presidium", "staff", "deputy", "unit", "grid_worker",
                                                      "district_viewer", "admin"})),
    NavItem(_("信访件"), "petitions:list", frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer",
                                                 "admin"}), PETITIONS),
    NavItem(_("登记信访"), "petitions:create", frozenset({"grid_worker"}), PETITIONS),
    NavItem(_("查找信访人"), "petitions:lookup", frozenset({"presidium", "staff"}), PETITIONS),
    NavItem(_("信访工作台"), "petitions:queue", frozenset({"staff"}), PETITIONS),
    NavItem(_("待阅批来信"), "petitions:instructions", frozenset({"presidium"}), PETITIONS),
    NavItem(_("信访值班"), "shifts:roster", frozenset({"presidium", "staff", "deputy", "district_viewer", "admin"}),
            PETITIONS),
    NavItem(_("信访隐患"), "risks:list", frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer",
                                                  "admin"}), PETITIONS),
    NavItem(_("网格治理"), "grid_work:list", frozenset({"presidium", "staff", "district_viewer", "admin", "deputy"}),
            PETITIONS),
    NavItem(_("镇街"), "towns:list", ORG, ORGANIZATION),
    NavItem(_("村社区"), "villages:list", ORG, ORGANIZATION),
    NavItem(_("网格"), "grids:list", ORG, ORGANIZATION),
    NavItem(_("网格员"), "grid_workers:list", ORG, ORGANIZATION),
    NavItem(_("承办单位"), "units:list", ORG, ORGANIZATION),
    NavItem(_("代表"), "deputies:list", ORG, ORGANIZATION),
    NavItem(_("联系代表"), "contacts:list", ORG, ORGANIZATION),
    NavItem(_("统计"), "reports:dashboard", ORG),
    NavItem(_("台账导入导出"), "ledger:index", frozenset({"staff", "admin", "presidium", "district_viewer"}), SYSTEM),
    NavItem(_("用户"), "users:list", frozenset({"admin", "staff"}), SYSTEM),
    NavItem(_("工作日历"), "calendar_days:index", frozenset({"admin", "staff"}), SYSTEM),
    NavItem(_("意见建议类别"), "suggestion_categories:list", ORG, SYSTEM),
]


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The user's menu: plain entries, and groups (with ``children``) shown as dropdowns."""
    out: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in ITEMS:
        if user.role not in item.roles:
            continue
        try:
            entry = {"label": str(item.label), "url": reverse(item.url_name), "name": item.url_name}
        except NoReverseMatch:
            continue
        if item.group is None:
            out.append(entry)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = {"label": key, "children": [], "names": []}
            out.append(groups[key])
        groups[key]["children"].append(entry)
        groups[key]["names"].append(item.url_name)
    return out
