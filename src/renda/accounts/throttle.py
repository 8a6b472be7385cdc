"""Login throttling that an attacker cannot turn into a lock-out of the real user.

Failures are counted per (username, client IP) and per client IP over a sliding window:
- ``RENDA_LOGIN_MAX_FAILURES`` failures for one username from one IP lock that pair for
  ``RENDA_LOGIN_LOCK_SECONDS``; the real user on another address is not affected;
- ``RENDA_LOGIN_IP_MAX_FAILURES`` failures from one IP (any usernames) lock that IP.
Locks expire by themselves; a successful login clears the pair's failures.
See docs/decisions/0003-login-throttling.md.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone

from renda.accounts.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.RENDA_LOGIN_LOCK_SECONDS)


def is_locked(username: str, ip: str | None) -> bool:
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower(), ip=ip).count() >= settings.RENDA_LOGIN_MAX_FAILURES:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= settings.RENDA_LOGIN_IP_MAX_FAILURES


def retry_after(username: str, ip: str | None) -> int:
    """Seconds until a locked (username, IP) pair or IP may try again (for ``Retry-After``): the
    lock lasts until the oldest of the failures that make it up leaves the window."""
    recent = LoginFailure.objects.filter(at__gte=_window_start()).order_by("-at")
    ends: list[dt.datetime] = []
    by_ip = recent.filter(ip=ip) if ip is not None else recent.none()
    for qs, limit in ((recent.filter(username=username.lower(), ip=ip), settings.RENDA_LOGIN_MAX_FAILURES),
                      (by_ip, settings.RENDA_LOGIN_IP_MAX_FAILURES)):
        at = qs.values_list("at", flat=True)[limit - 1:limit].first()
        if at is not None:
            ends.append(at + dt.timedelta(seconds=settings.RENDA_LOGIN_LOCK_SECONDS))
    if not ends:
        return 1
    return max(1, math.ceil((max(ends) - timezone.now()).total_seconds()))


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip, at=timezone.now())
    # Keep the table small: failures older than a day are no longer needed.
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def clear(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username=username.lower(), ip=ip).delete()
