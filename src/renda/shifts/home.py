"""What shifts adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import PETITIONS, NavItem, register

register(
    NavItem(
        _("信访值班"),
        "shifts:roster",
        frozenset({"presidium", "staff", "deputy", "district_viewer", "admin"}),
        PETITIONS,
        order=120,
    ),
)
