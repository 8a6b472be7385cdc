"""Who may see the grid governance pages. Read-only: every change happens on the grid, petition,
risk or suggestion pages, under their own policies."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import ORG_READERS, Role
from renda.places.models import Level, Region

#: Roles that have grids to look at: the town's organization readers, grid workers, deputies.
GRID_ROLES = ORG_READERS | {Role.GRID_WORKER, Role.DEPUTY}


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role
    if action not in {"list", "view", "export"}:
        return False
    if action == "export":
        return role in ORG_READERS
    if obj is None:
        return role in GRID_ROLES
    if not isinstance(obj, Region) or obj.level != Level.GRID:
        return False
    if role == Role.GRID_WORKER:
        return bool(user.grid_worker_id and obj.grid_workers.filter(pk=user.grid_worker_id).exists())
    if role == Role.DEPUTY:
        return bool(user.deputy_id and obj.deputies.filter(pk=user.deputy_id).exists())
    return role in ORG_READERS and base.in_town(user, obj.town_id)


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
