"""Who may manage user accounts: admins everywhere, office staff for their own town's
non-staff accounts (deputies, units, grid workers)."""

from __future__ import annotations

from typing import Any

from renda.accounts.models import User
from renda.core import policy as base
from renda.core.roles import Role

STAFF_MAY_MANAGE = frozenset({Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.PRESIDIUM})


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if isinstance(obj, User):
        if action == "view" and obj.pk == user.pk:
            return True
        if user.role == Role.ADMIN:
            return user.town_id is None or obj.town_id == user.town_id
        if user.role == Role.STAFF:
            if action == "view":
                return obj.town_id == user.town_id
            return obj.town_id == user.town_id and obj.role in STAFF_MAY_MANAGE
        return False
    return user.role in {Role.ADMIN, Role.STAFF}


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
