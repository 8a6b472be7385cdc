"""The public pages' rate limits (``core.ratelimit``, in the database, so they hold across app
servers). Counted per client IP and, for an item, per tracking code; ``(limit, window seconds)``."""

from __future__ import annotations

from django.http import HttpRequest

from renda.audit.security import log_event_limited
from renda.core import ratelimit
from renda.core.middleware import client_ip

#: Opinions submitted from one IP (a contact station's shared phone included).
SUBMIT_PER_IP = (10, 3600)
#: Status pages and lookups from one IP.
LOOKUP_PER_IP = (60, 600)
#: Codes that found nothing, from one IP: what an enumeration attempt runs into first.
MISS_PER_IP = (10, 3600)
#: Views of one item's status page, whoever asks.
VIEWS_PER_CODE = (120, 3600)
#: Evaluations posted for one item (the service takes one per reply).
EVALUATE_PER_CODE = (5, 86400)
#: "Find my deputies" searches from one IP.
FIND_PER_IP = (120, 600)


def over(request: HttpRequest, scope: str, rule: tuple[int, int], value: str | None = None) -> int:
    """Count this request; 0 when within ``rule``, else the seconds to wait (logged, at most one
    security event per minute and IP)."""
    limit, window = rule
    verdict = ratelimit.hit(f"portal.{scope}", value if value is not None else client_ip(request),
                            limit=limit, window=window)
    if verdict.allowed:
        return 0
    log_event_limited(kind="rate_limited", detail=f"portal.{scope}", path=request.path)
    return verdict.retry_after


def missed_too_often(request: HttpRequest) -> int:
    """Seconds to wait when this IP already tried too many codes that found nothing (not counted)."""
    limit, window = MISS_PER_IP
    if ratelimit.peek("portal.miss", client_ip(request), window=window) >= limit:
        return window
    return 0
