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


ORG = frozenset({"presidium", "staff", "district_viewer", "admin"})
ITEMS: list[NavItem] = [
    NavItem(_("工作台"), "accounts:home", frozenset({"presidium", "staff", "deputy", "unit", "grid_worker",
                                                     "district_viewer", "admin"})),
    NavItem(_("镇街"), "towns:list", ORG),
    NavItem(_("村社区"), "villages:list", ORG),
    NavItem(_("网格"), "grids:list", ORG),
    NavItem(_("网格员"), "grid_workers:list", ORG),
    NavItem(_("承办单位"), "units:list", ORG),
    NavItem(_("代表"), "deputies:list", ORG),
    NavItem(_("联系代表"), "contacts:list", ORG),
    NavItem(_("台账导入导出"), "ledger:index", frozenset({"staff", "admin", "presidium", "district_viewer"})),
    NavItem(_("用户"), "users:list", frozenset({"admin", "staff"})),
    NavItem(_("工作日历"), "calendar_days:index", frozenset({"admin", "staff"})),
]


def menu_for(user: Any) -> list[dict[str, str]]:
    out = []
    for item in ITEMS:
        if user.role not in item.roles:
            continue
        try:
            out.append({"label": str(item.label), "url": reverse(item.url_name), "name": item.url_name})
        except NoReverseMatch:
            continue
    return out
