from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from renda.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The top menu, drawn only where a template shows it (the page, not its HTMX partials)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": SimpleLazyObject(lambda: menu_for(user))}
