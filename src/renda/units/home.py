"""What units adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renda.core.navigation import ORG, ORGANIZATION, NavItem, register

register(
    NavItem(_("承办单位"), "units:list", ORG, ORGANIZATION, order=190),
)
