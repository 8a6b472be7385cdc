"""The only writers of notifications.

``notify`` is not audited: a notification is a message about a change (which the sending
service has already audited), not a change of record. Marking read is the user's own business
and not audited either."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from renda.core.services import lock
from renda.core.types import Actor
from renda.notifications import policy
from renda.notifications.models import Notification


def notify(*, users: Iterable[Any], verb: str, text: str, url: str = "") -> list[Notification]:
    """One notification per distinct active user in ``users`` (``None`` entries are skipped)."""
    now = timezone.now()
    seen: set[Any] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, verb=verb[:50], text=text, url=url[:500], created_at=now))
    return Notification.objects.bulk_create(rows) if rows else []


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification_id: int) -> Notification:
    notification = lock(Notification, notification_id)
    policy.require(actor, "mark_read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of ``actor`` read; returns how many."""
    policy.require(actor, "mark_all_read")
    if actor is None:  # the system has no notifications
        return 0
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
