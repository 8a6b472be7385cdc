"""Who may do what with deputies and presidium–deputy contact assignments."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import ORG_READERS, ORG_WRITERS, Role
from renda.people.models import ContactAssignment, Deputy


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role
    if isinstance(obj, Deputy):
        if action == "view":
            if role in {Role.DEPUTY, Role.PRESIDIUM} and user.deputy_id == obj.pk:
                return True
            return role in ORG_READERS and base.in_town(user, obj.town_id)
        return role in ORG_WRITERS and base.in_town(user, obj.town_id)
    if isinstance(obj, ContactAssignment):
        if action == "view":
            if role == Role.PRESIDIUM and user.deputy_id == obj.presidium_member_id:
                return True
            return role in ORG_READERS and base.in_town(user, obj.town_id)
        return role in ORG_WRITERS and base.in_town(user, obj.town_id)
    if action in {"list", "export", "view"}:
        return role in ORG_READERS
    return role in ORG_WRITERS


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
