"""What ledger adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import SYSTEM, NavItem, register

register(
    NavItem(
        _("台账导入导出"),
        "ledger:index",
        frozenset({"staff", "admin", "presidium", "district_viewer"}),
        SYSTEM,
        order=230,
    ),
)
