"""Who sees the indicators: the office (staff), presidium members, the district viewer and
administrators — of their own town, or of every town for the district roles."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import ORG_READERS


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action == "view" and user.role in ORG_READERS


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
