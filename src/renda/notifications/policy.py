"""Who may do what with notifications: each user reads and marks only their own."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.notifications.models import Notification


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if isinstance(obj, Notification):
        return action in {"view", "mark_read"} and obj.user_id == user.pk
    return action in {"list", "mark_all_read"}


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
