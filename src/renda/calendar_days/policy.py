"""Who may see and change the working-day calendar: everyone logged in sees it; only
system administrators change it (it decides every statutory deadline in every town)."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role

READ_ACTIONS = frozenset({"view", "list"})
WRITE_ACTIONS = frozenset({"create", "change", "delete"})


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action in READ_ACTIONS:
        return True
    if action in WRITE_ACTIONS:
        return bool(user.role == Role.ADMIN)
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
