from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from renda.accounts import throttle
from renda.audit.security import log_event
from renda.core.middleware import client_ip


class LoginLocked(Exception):
    pass


class ThrottledModelBackend(ModelBackend):
    """Argon2-hashed passwords (settings.PASSWORD_HASHERS) with per-(username, IP) throttling."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        if throttle.is_locked(username, ip):
            log_event(kind="login_locked", username=username, detail="too many failures")
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(username, ip)
            log_event(kind="login_failed", username=username)
            return None
        throttle.clear(username, ip)
        return user
