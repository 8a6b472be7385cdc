from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from renda.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The navbar badge: the user's unread notifications (one query, and only where a template
    shows the badge: not for an HTMX partial; none when logged out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
