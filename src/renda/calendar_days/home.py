"""What calendar_days adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import SYSTEM, NavItem, register

register(
    NavItem(_("工作日历"), "calendar_days:index", frozenset({"admin", "staff"}), SYSTEM, order=250),
)
