"""What petitions adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import PETITIONS, NavItem, register

register(
    NavItem(
        _("信访件"),
        "petitions:list",
        frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer", "admin"}),
        PETITIONS,
        order=70,
    ),
    NavItem(_("登记信访"), "petitions:create", frozenset({"grid_worker"}), PETITIONS, order=80),
    NavItem(_("查找信访人"), "petitions:lookup", frozenset({"presidium", "staff"}), PETITIONS, order=90),
    NavItem(_("信访工作台"), "petitions:queue", frozenset({"staff"}), PETITIONS, order=100),
    NavItem(_("待阅批来信"), "petitions:instructions", frozenset({"presidium"}), PETITIONS, order=110),
)
