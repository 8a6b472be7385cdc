"""Who may do what with regions and grid workers."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import ORG_READERS, ORG_WRITERS, Role
from renda.places.models import GridWorker, Level, Region

ACTIONS = ("view", "list", "create", "change", "deactivate", "export")


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role
    if isinstance(obj, Region):
        return _can_region(user, role, action, obj)
    if isinstance(obj, GridWorker):
        if action == "view":
            if role == Role.GRID_WORKER:
                return bool(user.grid_worker_id == obj.pk)
            return role in ORG_READERS and base.in_town(user, obj.town_id)
        return role in ORG_WRITERS and base.in_town(user, obj.town_id)
    # Without an object: list pages, exports and "create" buttons.
    if action in {"list", "export", "view"}:
        return role in ORG_READERS
    return role in ORG_WRITERS


def _can_region(user: Any, role: str, action: str, region: Region) -> bool:
    town_id = region.pk if region.level == Level.TOWN else region.town_id
    if action == "view":
        if region.level == Level.DISTRICT:
            return role in ORG_READERS
        if role == Role.GRID_WORKER and region.level == Level.GRID:
            return bool(user.grid_worker and user.grid_worker.grids.filter(pk=region.pk).exists())
        return role in ORG_READERS and base.in_town(user, town_id)
    if region.level in {Level.DISTRICT, Level.TOWN}:
        # Towns and districts are set up by the district's administrators.
        return role == Role.ADMIN and user.town_id is None
    return role in ORG_WRITERS and base.in_town(user, town_id)


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
