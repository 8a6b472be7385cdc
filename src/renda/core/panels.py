"""Related tables an app above adds to a lower app's detail page (``core.crud.Resource``).

The people app cannot import the projects or duties apps (they sit above it), yet a deputy's
page should show the projects the deputy supervises and their duty archive. An app registers
``panel("deputies")(fn)`` in its ``home.py`` (imported at start-up); ``fn(user, obj)`` returns
related tables in the shape ``Resource.related`` returns (``{"title", "count", "rows": [(label,
url)]}``), or ``[]`` — already restricted to what ``user`` may see.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from renda.core.plugins import app_modules

Panel = Callable[[Any, Any], list[dict[str, Any]]]

_PANELS: dict[str, list[Panel]] = {}


def panel(resource: str) -> Callable[[Panel], Panel]:
    """Register ``fn(user, obj) -> [table]`` on the detail page of the resource named ``resource``."""

    def register(fn: Panel) -> Panel:
        if fn not in _PANELS.setdefault(resource, []):
            _PANELS[resource].append(fn)
        return fn

    return register


def tables(resource: str, user: Any, obj: Any) -> list[dict[str, Any]]:
    """Every registered panel's tables for ``obj``, in registration order."""
    app_modules("home")  # the apps' home.py register their panels (once per process)
    return [table for fn in _PANELS.get(resource, []) for table in fn(user, obj)]
