"""Rate limits that hold across app servers: fixed-window counters in the database.

``hit(scope, value, limit=…, window=…)`` counts one request of ``value`` (a client IP, a tracking
code …) in ``scope`` and says whether it is still within ``limit`` requests per ``window``
seconds. Counters live in ``core.RateCounter`` (no cache is configured, and a per-process cache
would not hold across the app servers of docs/deploy.md); the key stored is a keyed hash of
scope and value, so the table holds no IP address or code in clear. Rows of windows that ended
more than a day ago are deleted as new windows open. See docs/decisions/0013-portal-public-pages.md.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from renda.core.models import RateCounter

_KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    hits: int
    retry_after: int  # seconds until the window ends (for ``Retry-After``)


def key_for(scope: str, value: str) -> str:
    return salted_hmac("renda.ratelimit", f"{scope}\x00{value}", algorithm="sha256").hexdigest()


def hit(scope: str, value: str | None, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one request; ``allowed`` while the window's count is at most ``limit``. A request
    without a value (no client IP known) is counted under the empty value of the scope."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = key_for(scope, value or "")
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window=start, hits=1)
            except IntegrityError:  # another server opened the window first
                RateCounter.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
            else:
                RateCounter.objects.filter(window__lt=int(now) - _KEEP_SECONDS).delete()
        hits = RateCounter.objects.filter(key=key, window=start).values_list("hits", flat=True).first() or 0
    return Verdict(allowed=hits <= limit, hits=hits, retry_after=max(1, start + window - int(now)))


def peek(scope: str, value: str | None, *, window: int, now: float | None = None) -> int:
    """The count of the current window without counting (for a page that shows a warning)."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    return RateCounter.objects.filter(key=key_for(scope, value or ""), window=start).values_list(
        "hits", flat=True).first() or 0
