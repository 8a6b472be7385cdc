"""Reads of notifications, limited to the user's own; of the outbox, to the user's town."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from renda.core.policy import town_scoped
from renda.notifications.models import Delivery, Notification
from renda.notifications.policy import DELIVERY_KEEPERS


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """How many of the user's notifications are unread: one query."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def deliveries_visible_to(user: Any) -> QuerySet[Delivery]:
    """The outbox of the user's town (every town for the district's administrators); nothing
    for anyone but the office staff and the administrators."""
    qs = Delivery.objects.select_related("town", "user")
    if user is None:
        return qs
    if not getattr(user, "is_authenticated", False) or user.role not in DELIVERY_KEEPERS:
        return qs.none()
    return town_scoped(qs, user)
