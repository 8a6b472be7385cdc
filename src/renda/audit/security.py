"""Security events: failed logins, lockouts, denied accesses — to the log and to a table."""

from __future__ import annotations

import logging
from typing import Any

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
