"""Who sees the indicators: the office (staff), presidium members, the district viewer and
administrators — of their own town, or of every town for the district roles."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import DISTRICT_ROLES, ORG_READERS, Role

#: Who has a dashboard of their own (我的统计): a handling unit, a grid worker, a deputy (and a
#: presidium member, as a deputy).
OWN = frozenset({Role.UNIT, Role.GRID_WORKER, Role.DEPUTY, Role.PRESIDIUM})


def can(user: Any, action: str, obj: Any = None) -> bool:
    """``view``: the town's (or district's) dashboard; ``view_own``: 我的统计; ``view_district``:
    every town side by side (district roles only)."""
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action == "view":
        return user.role in ORG_READERS
    if action == "view_own":
        return user.role in OWN
    if action == "view_district":
        return user.role in DISTRICT_ROLES
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
