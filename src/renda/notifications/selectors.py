"""Reads of notifications, limited to the user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from renda.notifications.models import Notification


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
