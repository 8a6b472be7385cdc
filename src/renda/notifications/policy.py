"""Who may do what with notifications: each user reads and marks only their own. The outbox's
deliveries (SMS, e-mail) are looked after by the town's office staff and the administrators:
they see the town's deliveries and retry failed ones; nobody else sees any (404 by URL)."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role
from renda.notifications.models import Delivery, Notification

#: Who looks after the outbox of their town (administrators: of every town).
DELIVERY_KEEPERS = frozenset({Role.STAFF, Role.ADMIN})
DELIVERY_ACTIONS = frozenset({"list", "export", "view", "retry"})


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if isinstance(obj, Delivery):
        return action in DELIVERY_ACTIONS and user.role in DELIVERY_KEEPERS and base.in_town(user, obj.town_id)
    if isinstance(obj, Notification):
        return action in {"view", "mark_read"} and obj.user_id == user.pk
    return action in {"list", "mark_all_read"}


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def can_deliveries(user: Any, action: str, obj: Any = None) -> bool:
    """The outbox pages' rule (``action`` on the list when ``obj`` is None)."""
    if obj is not None:
        return can(user, action, obj)
    if base.is_system(user):
        return True
    return (bool(getattr(user, "is_authenticated", False) and user.is_active)
            and action in DELIVERY_ACTIONS and user.role in DELIVERY_KEEPERS)


def require_deliveries(user: Any, action: str, obj: Any = None) -> None:
    base.require(can_deliveries, user, action, obj)
