"""Who may use the ledger: office staff and administrators import; the district's viewers and
presidium members may also export and download the template. A town-scoped user imports and
exports only their own town (rows for another town are errors)."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import TOWN_OFFICE, Role

ACTIONS = ("view", "import", "export", "template", "reveal")

IMPORTERS = frozenset({Role.STAFF, Role.ADMIN})
EXPORTERS = frozenset({Role.STAFF, Role.ADMIN, Role.DISTRICT_VIEWER, Role.PRESIDIUM})
#: May export personal data in clear (with a reason, audited): the town's office and presidium.
REVEALERS = TOWN_OFFICE


def can(user: Any, action: str, obj: Any = None) -> bool:
    """``obj``, when given, is the town (a Region) the action is about."""
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    role = user.role
    if action == "import":
        allowed = role in IMPORTERS
    elif action == "reveal":
        # Only for one's own town, named explicitly: district-wide roles never export in clear.
        return role in REVEALERS and obj is not None and user.town_id is not None and user.town_id == obj.pk
    elif action in {"view", "export", "template"}:
        allowed = role in EXPORTERS
    else:
        return False
    if not allowed:
        return False
    if obj is not None:
        return base.in_town(user, obj.pk)
    return True


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
