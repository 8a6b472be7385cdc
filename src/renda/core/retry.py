"""Database lock errors: how to tell one, and how a background job waits one out.

A write that meets another writer's lock first waits (SQLite's busy timeout, see
``settings.database_from_url``; PostgreSQL's lock wait). When the wait runs out the database
raises ``OperationalError`` — ``database is locked`` on SQLite, ``lock_not_available`` (55P03)
or a deadlock (40P01) on PostgreSQL. A page or API request answers it with 503 and
``Retry-After`` (``core.middleware.BusyMiddleware``, ``core.api``); a background job retries with
back-off (:func:`retry_when_locked`). See docs/decisions/0011-locks-and-uploads.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import OperationalError

logger = logging.getLogger("renda.worker")

T = TypeVar("T")

#: Seconds a client is told to wait before trying again.
RETRY_AFTER = 10
_PG_LOCK_CODES = {"55P03", "40P01", "40001"}


def is_lock_error(exc: BaseException) -> bool:
    """True for a database error that only says another writer holds the lock."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    if "database is locked" in text or "database table is locked" in text:
        return True
    cause = exc.__cause__
    code = getattr(cause, "pgcode", None) or getattr(getattr(cause, "diag", None), "sqlstate", None)
    return code in _PG_LOCK_CODES or "lock timeout" in text or "deadlock detected" in text


def retry_when_locked(fn: Callable[[], T], *, attempts: int = 5, first_delay: float = 2.0,
                      sleep: Callable[[float], None] | None = None) -> T:
    """``fn()``, tried again after 2, 4, 8 … seconds while the database is locked."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as exc:
            if not is_lock_error(exc) or attempt == attempts:
                raise
            logger.warning("database locked (attempt %s of %s), retrying in %.0f s", attempt, attempts, delay)
            (sleep or time.sleep)(delay)
            delay = min(delay * 2, 60.0)
    raise AssertionError("unreachable")


def busy_message() -> str:
    from django.utils.translation import gettext as _

    return _("系统正忙，请稍后重试")


def busy_response(request: Any, *, json: bool = False) -> Any:
    """503 with ``Retry-After`` and the message: a page, or ``{"code", "message"}`` for the API."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    if json:
        response: Any = JsonResponse({"code": "busy", "message": busy_message(), "fields": {}}, status=503)
    else:
        body = render_to_string("core/busy.html", {"message": busy_message(), "retry_after": RETRY_AFTER})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
