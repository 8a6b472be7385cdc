"""Types shared by every app."""

from __future__ import annotations

from typing import Any, Protocol, TypeAlias, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class ActingUser(Protocol):
    """The user who acts, as services and policies see them. ``accounts.User`` is one; the
    floor (core, audit) and the organisation apps below ``accounts`` name the user by this
    protocol, so they need not import ``accounts``."""

    @property
    def pk(self) -> Any: ...

    @property
    def role(self) -> str: ...

    @property
    def town_id(self) -> int | None: ...

    @property
    def unit_id(self) -> int | None: ...

    @property
    def deputy_id(self) -> int | None: ...

    @property
    def grid_worker_id(self) -> int | None: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...


#: The ``actor`` of every service: the acting user, or ``None`` for the system (commands, the
#: demo, imports run on the shell).
Actor: TypeAlias = ActingUser | None


def acting(request: HttpRequest) -> ActingUser:
    """The logged-in user of a page (behind ``login_required``), as services take it."""
    user = request.user
    if not user.is_authenticated:  # pages are login_required: not reached but for a wiring error
        raise PermissionDenied
    return cast(ActingUser, user)
