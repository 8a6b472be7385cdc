"""Who may do what with the presidium's records (主席团工作).

- The town's office (staff) and presidium manage the plan, its tasks (links and half-year
  reviews included), the division of duties and the information items of their town;
  administrators those of every town.
- The town's deputies read the plan, its tasks and the division of duties (not the information
  items, which are the office's working records).
- District viewers read everything of every town; handling units, grid workers and the public
  see nothing here.

``can(user, action, obj, kind=...)``: ``kind`` names the record type for the object-less checks
(list pages, the create buttons); ``for_kind(kind)`` gives a Resource its ``can``/``require``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from renda.core import policy as base
from renda.core.roles import Role
from renda.presidium.models import DutyDivision, InfoItem, Plan, PlanTask, PlanTaskLink, PlanTaskReview

MANAGERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.ADMIN})
READERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN})
#: kind → the roles that read it (list, view, export, the Word prints)
KINDS: dict[str, frozenset[str]] = {
    "plans": READERS | {Role.DEPUTY},
    "tasks": READERS | {Role.DEPUTY},
    "divisions": READERS | {Role.DEPUTY},
    "info": READERS,
}
READ_ACTIONS = frozenset({"list", "view", "export", "print"})
WRITE_ACTIONS = frozenset({"create", "change", "review", "link", "unlink"})


def _kind_of(obj: Any) -> str:
    if isinstance(obj, Plan):
        return "plans"
    if isinstance(obj, PlanTask | PlanTaskLink | PlanTaskReview):
        return "tasks"
    if isinstance(obj, DutyDivision):
        return "divisions"
    if isinstance(obj, InfoItem):
        return "info"
    return ""


def _town_id(obj: Any) -> int | None:
    if isinstance(obj, PlanTaskLink):
        return obj.task.town_id
    return getattr(obj, "town_id", None)


def can(user: Any, action: str, obj: Any = None, *, kind: str = "") -> bool:
    if base.is_system(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if obj is not None:
        kind = _kind_of(obj)
        if not kind or not base.in_town(user, _town_id(obj)):
            return False
    if action in READ_ACTIONS:
        return user.role in KINDS.get(kind, frozenset())
    if action in WRITE_ACTIONS and kind in KINDS:
        if action in {"review", "link", "unlink"} and kind != "tasks":
            return False
        return user.role in MANAGERS and (obj is not None or bool(user.town_id) or base.sees_every_town(user))
    return False


def require(user: Any, action: str, obj: Any = None, *, kind: str = "") -> None:
    base.require(partial(can, kind=kind), user, action, obj)


def for_kind(kind: str) -> tuple[Callable[..., bool], Callable[..., None]]:
    """The ``can`` and ``require`` of one record type's pages (``core.crud.Resource``)."""
    return partial(can, kind=kind), partial(require, kind=kind)
