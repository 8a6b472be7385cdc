"""What people adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from renda.core.home import card
from renda.core.navigation import ORG, ORGANIZATION, NavItem, register
from renda.core.roles import Role
from renda.people.selectors import contact_assignments_visible_to

register(
    NavItem(_("代表"), "deputies:list", ORG, ORGANIZATION, order=200),
    NavItem(_("联系代表"), "contacts:list", ORG, ORGANIZATION, order=210),
)


@card("contacts", template="people/partials/home_contacts.html", roles={Role.PRESIDIUM}, column="side", order=10)
def my_contacts(user: Any) -> list[Any]:
    if not user.deputy_id:
        return []
    return list(contact_assignments_visible_to(user).filter(presidium_member_id=user.deputy_id, is_active=True)
                .select_related("deputy", "deputy__village"))
