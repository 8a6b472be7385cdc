from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from renda.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The navbar badge: the user's unread notifications (one query; none when logged out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
