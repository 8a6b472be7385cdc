"""What places adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import ORG, ORGANIZATION, NavItem, register

register(
    NavItem(_("镇街"), "towns:list", ORG, ORGANIZATION, order=150),
    NavItem(_("村社区"), "villages:list", ORG, ORGANIZATION, order=160),
    NavItem(_("网格"), "grids:list", ORG, ORGANIZATION, order=170),
    NavItem(_("网格员"), "grid_workers:list", ORG, ORGANIZATION, order=180),
)
