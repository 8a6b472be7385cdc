"""What reports adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import ORG, NavItem, register

register(
    NavItem(_("统计"), "reports:dashboard", ORG, order=220),
)
