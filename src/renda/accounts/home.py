"""What accounts adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import EVERYONE, SYSTEM, NavItem, register

register(
    NavItem(_("工作台"), "accounts:home", EVERYONE, order=10),
    NavItem(_("用户"), "users:list", frozenset({"admin", "staff"}), SYSTEM, order=240),
)
