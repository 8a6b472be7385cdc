"""The top menu for each role. Apps add their entries from their ``home`` module (``register``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from renda.core.plugins import app_modules


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset[str]
    group: Any = None  # items of one group are shown together in a dropdown
    order: int = 1000  # place in the menu (and in its group)


#: Groups of the top menu (items of one group are shown together in a dropdown).
ORGANIZATION = _("组织机构")
SYSTEM = _("系统")
PETITIONS = _("信访网格")
#: 人代会, 民生实事, 履职 and 联系群众: the deputies' work, for the office and the deputies alike.
DEPUTY_WORK = _("代表工作")
#: The statistics, the town comparison and the work report.
REPORTS = _("统计报告")

#: Role sets that several apps' menu entries use.
EVERYONE = frozenset({"presidium", "staff", "deputy", "unit", "grid_worker", "district_viewer", "admin"})
ORG = frozenset({"presidium", "staff", "district_viewer", "admin"})

_ITEMS: list[NavItem] = []


#: Menus drawn so far, by role, language and URL configuration: the same on every page.
_MENUS: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def register(*items: NavItem) -> None:
    """Add entries to the top menu (from an app's ``home`` module)."""
    _ITEMS.extend(items)
    _MENUS.clear()


def items() -> list[NavItem]:
    """Every menu entry, by ``order`` (every app's ``home`` module imported first)."""
    app_modules("home")
    return sorted(_ITEMS, key=lambda i: i.order)


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The user's menu: plain entries, and groups (with ``children``) shown as dropdowns.
    It depends on the role only (and the language and URLs): drawn once for each and kept;
    a copy each time, so a caller may change its own."""
    key = (user.role, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key not in _MENUS:
        _MENUS[key] = _draw(user.role)
    return [{**e, **({"children": [dict(c) for c in e["children"]], "names": list(e["names"])}
                     if "children" in e else {})} for e in _MENUS[key]]


def _draw(role: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in items():
        if role not in item.roles:
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
