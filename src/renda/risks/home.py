"""What risks adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import PETITIONS, NavItem, register

register(
    NavItem(
        _("信访隐患"),
        "risks:list",
        frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer", "admin"}),
        PETITIONS,
        order=130,
    ),
)
