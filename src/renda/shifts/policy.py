"""Who may do what with duty shifts (信访值班).

- 人大办工作人员: read and manage the roster of their town (shifts, people, swaps, attendance);
- 主席团成员 and 代表: read the roster of their town (their own shifts highlighted);
- 区人大(只读) and 系统管理员: read every town's roster (a town-bound administrator: their town);
- 承办单位 and 网格员: nothing (pages 403, objects 404).

``available_actions(user, assignment)`` says which actions of the workflow table a person's row
offers now (the detail page's buttons): those of its state, less what ``workflow.GUARDS`` rule
out, for those who may change the roster.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from renda.core import policy as base
from renda.core.roles import Role
from renda.shifts import workflow
from renda.shifts.models import DutyAssignment, DutyShift
from renda.shifts.workflow import Action

#: Roles that read a town's roster.
READERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN})
#: Roles that change it.
WRITERS = frozenset({Role.STAFF})
#: Actions that only read.
READ_ACTIONS = frozenset({"list", "view", "export", "summary"})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _town_id(obj: Any) -> int | None:
    if isinstance(obj, DutyAssignment):
        return obj.town_id if obj.shift_id else None
    return getattr(obj, "town_id", None)


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    role = user.role
    if isinstance(obj, (DutyShift, DutyAssignment)):
        if not base.in_town(user, _town_id(obj)):
            return False
        if action in READ_ACTIONS:
            return role in READERS
        return role in WRITERS
    # No object: list pages, exports and buttons.
    if action in READ_ACTIONS:
        return role in READERS
    return role in WRITERS


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def can_see_visits(user: Any) -> bool:
    """Whether the shift page lists the petitions received (the petitions app's own scoping
    still applies); deputies read the roster but not the petition register."""
    return base.is_system(user) or (_active(user) and user.role in {Role.STAFF, Role.PRESIDIUM,
                                                                   Role.DISTRICT_VIEWER, Role.ADMIN})


def facts(a: DutyAssignment, *, today: dt.date | None = None, replaced: bool | None = None) -> workflow.Facts:
    """What ``workflow.GUARDS`` need to know of ``a`` besides its state; ``replaced`` may come
    from the shift's rows already loaded (one query otherwise)."""
    if replaced is None:
        replaced = a.replaced_by.exists()
    return workflow.Facts(shift_date=a.shift.date, today=today or timezone.localdate(), replaced=replaced)


def available_actions(user: Any, a: DutyAssignment, *, today: dt.date | None = None,
                      replaced: bool | None = None) -> list[Action]:
    """The actions ``user`` may take on ``a`` now: the workflow table's actions of its state that
    its data does not rule out, for those who may change the roster — one answer for the page's
    buttons and for refusing a posted action it does not offer."""
    if not can(user, "change", a):
        return []
    known = facts(a, today=today, replaced=replaced)
    return [x for x in workflow.allowed_actions(a.state) if workflow.refusal(a.state, x, known) is None]
