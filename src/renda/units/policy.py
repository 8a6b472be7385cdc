"""Who may do what with handling units."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import ORG_READERS, ORG_WRITERS, Role
from renda.units.models import Unit


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if isinstance(obj, Unit):
        if action == "view":
            if user.role == Role.UNIT:
                return bool(user.unit_id == obj.pk)
            return user.role in ORG_READERS and base.in_town(user, obj.town_id)
        return user.role in ORG_WRITERS and base.in_town(user, obj.town_id)
    if action in {"list", "export", "view"}:
        return user.role in ORG_READERS
    return user.role in ORG_WRITERS


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
