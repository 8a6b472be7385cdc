"""Security events: failed logins, lockouts, denied accesses — to the log and to a table."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from renda.audit import context
from renda.audit.models import SecurityEvent

logger = logging.getLogger("renda.security")


def log_event(*, kind: str, user: Any = None, username: str = "", detail: str = "", path: str = "") -> None:
    ctx = context.current()
    real_user = user if user is not None and getattr(user, "pk", None) else None
    name = username or (real_user.username if real_user else "")
    logger.warning("%s user=%s ip=%s request=%s %s %s", kind, name, ctx.ip, ctx.request_id, path, detail)
    SecurityEvent.objects.create(
        kind=kind, user=real_user, username=name[:150], ip=ctx.ip, path=path[:500], detail=detail[:500]
    )


def log_event_limited(*, kind: str, detail: str, path: str = "", per_seconds: int = 60) -> None:
    """A security event that a flood could repeat (an invalid API token on every request): at
    most one row — and one log line — per kind, detail and client IP per ``per_seconds``; the
    repeats are counted on that row (``detail ×N``)."""
    ctx = context.current()
    since = timezone.now() - dt.timedelta(seconds=per_seconds)
    row = (SecurityEvent.objects.filter(kind=kind, ip=ctx.ip, at__gte=since, detail__startswith=detail)
           .order_by("-at").first())
    if row is None:
        log_event(kind=kind, detail=detail, path=path)
        return
    head, _, count = row.detail.rpartition(" ×")
    n = int(count) + 1 if head == detail and count.isdigit() else 2
    SecurityEvent.objects.filter(pk=row.pk).update(detail=f"{detail} ×{n}"[:500])
