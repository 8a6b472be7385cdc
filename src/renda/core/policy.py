"""The policy base: every app's ``policy.py`` answers ``can(user, action, obj)``;
``require`` turns a "no" into 404 (may not even see it) or 403 (may see, may not act)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.db.models import Model, QuerySet

from renda.audit.security import log_event
from renda.core.errors import Forbidden, NotFound
from renda.core.roles import DISTRICT_ROLES

M = TypeVar("M", bound=Model)

security_log = logging.getLogger("renda.security")

CanFn = Callable[[Any, str, Any], bool]


class Actor(Protocol):
    pk: Any
    role: str
    town_id: int | None
    is_authenticated: bool


def is_system(user: Any) -> bool:
    """Commands and imports run as the system (no user) and are trusted like the shell."""
    return user is None


def sees_every_town(user: Any) -> bool:
    """The one rule of town scoping: the system and the district-wide roles (a district viewer or
    administrator without a town of their own) see every town; everyone else only their town.
    Every app's ``*_visible_to`` selectors start from it."""
    return user is None or (user.town_id is None and user.role in DISTRICT_ROLES)


def town_scoped(qs: QuerySet[M], user: Any, field: str = "town_id") -> QuerySet[M]:
    """``qs`` limited to what ``user`` may see by town (``sees_every_town``); a user without a town
    who is not district-wide sees nothing."""
    if sees_every_town(user):
        return qs
    return qs.filter(**{field: user.town_id}) if user.town_id else qs.none()


def in_town(user: Any, town_id: int | None) -> bool:
    """Whether ``town_id`` lies in the user's scope: their town, or every town for district roles."""
    if is_system(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.town_id is None:
        return user.role in DISTRICT_ROLES
    return bool(user.town_id == town_id)


def require(can: CanFn, user: Any, action: str, obj: Any = None) -> None:
    if is_system(user):
        return
    # An object being created (no pk yet) cannot be "not found": a refusal to create is a 403.
    existing = obj is not None and getattr(obj, "pk", None) is not None
    if existing and action != "view" and not can(user, "view", obj):
        _log_denied(user, action, obj, "not_found")
        raise NotFound()
    if not can(user, action, obj):
        if obj is not None and action == "view":
            _log_denied(user, action, obj, "not_found")
            raise NotFound()
        _log_denied(user, action, obj, "access_denied")
        raise Forbidden()


def _log_denied(user: Any, action: str, obj: Any, kind: str) -> None:
    target = f"{obj._meta.label_lower}:{obj.pk}" if hasattr(obj, "_meta") else str(obj)
    log_event(kind=kind, user=user, detail=f"{action} {target}")
