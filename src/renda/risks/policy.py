"""Who may do what with risks (信访隐患).

Visibility: the office and presidium see their town's risks; a deputy the risks they take part
in, those in their grids and those they reported; a grid worker the risks in their grids, those
they take part in and those they reported; district viewers and administrators every town,
read-only; handling units none.

``roles_on(user, risk)`` says which workflow parts (``workflow.Role``) a user plays towards one
risk; ``can`` asks ``workflow.ROLES_FOR_ACTION``. Whether the action fits the risk's *state* is
the workflow's question (asked by the services); ``available_actions`` combines both for pages
and API.
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role as UserRole
from renda.risks import workflow
from renda.risks.models import Risk, RiskParticipant
from renda.risks.workflow import Action
from renda.risks.workflow import Role as WRole

_ACTIONS = frozenset(a.value for a in Action)

#: Roles that see every risk of their town (or of every town, when district-wide).
TOWN_READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN})
#: Roles that register risks at all (the grid decides for grid workers).
REGISTRARS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DEPUTY, UserRole.GRID_WORKER})
#: Roles that may read the risks list.
LIST_READERS = frozenset({*TOWN_READERS, UserRole.DEPUTY, UserRole.GRID_WORKER})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _deputy_id(user: Any) -> int | None:
    if user.role in {UserRole.DEPUTY, UserRole.PRESIDIUM}:
        return getattr(user, "deputy_id", None)
    return None


def _grid_worker_id(user: Any) -> int | None:
    return getattr(user, "grid_worker_id", None) if user.role == UserRole.GRID_WORKER else None


def is_participant(user: Any, risk: Risk) -> bool:
    if risk.pk is None:
        return False
    deputy_id, worker_id = _deputy_id(user), _grid_worker_id(user)
    if deputy_id:
        return RiskParticipant.objects.filter(risk_id=risk.pk, deputy_id=deputy_id).exists()
    if worker_id:
        return RiskParticipant.objects.filter(risk_id=risk.pk, grid_worker_id=worker_id).exists()
    return False


def in_own_grid(user: Any, grid_id: int | None) -> bool:
    """Whether ``grid_id`` is one of the user's grids (a deputy's contact grids or a grid
    worker's grids)."""
    if grid_id is None:
        return False
    from renda.people.models import Deputy
    from renda.places.models import GridWorker

    deputy_id, worker_id = _deputy_id(user), _grid_worker_id(user)
    if deputy_id:
        return Deputy.grids.through.objects.filter(deputy_id=deputy_id, region_id=grid_id).exists()
    if worker_id:
        return GridWorker.grids.through.objects.filter(gridworker_id=worker_id, region_id=grid_id).exists()
    return False


def _reported_by(user: Any, risk: Risk) -> bool:
    return risk.reported_by_id is not None and risk.reported_by_id == user.pk


def can_view(user: Any, risk: Risk) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    role = user.role
    if role in TOWN_READERS:
        return base.in_town(user, risk.town_id)
    if role in {UserRole.DEPUTY, UserRole.GRID_WORKER}:
        if not base.in_town(user, risk.town_id):
            return False
        return _reported_by(user, risk) or in_own_grid(user, risk.grid_id) or is_participant(user, risk)
    return False


def roles_on(user: Any, risk: Risk) -> set[WRole]:
    """The workflow parts ``user`` plays towards ``risk`` (empty for those who may not see it)."""
    if base.is_system(user):
        return set(WRole)
    if not _active(user) or not base.in_town(user, risk.town_id):
        return set()
    roles: set[WRole] = set()
    role = user.role
    simple = {UserRole.STAFF: WRole.STAFF, UserRole.PRESIDIUM: WRole.PRESIDIUM, UserRole.ADMIN: WRole.ADMIN,
              UserRole.DISTRICT_VIEWER: WRole.DISTRICT_VIEWER, UserRole.UNIT: WRole.UNIT}
    if role in simple:
        roles.add(simple[role])
    if role == UserRole.UNIT:
        return roles
    if (_deputy_id(user) or _grid_worker_id(user)) and is_participant(user, risk):
        roles.add(WRole.PARTICIPANT)
    if in_own_grid(user, risk.grid_id):
        roles.add(WRole.GRID_DEPUTY if _deputy_id(user) else WRole.GRID_WORKER)
    return roles


def _can_register(user: Any, risk: Risk) -> bool:
    role = user.role
    if role not in REGISTRARS or not base.in_town(user, risk.town_id) or not user.town_id:
        return False
    if role == UserRole.GRID_WORKER:
        # A grid worker reports from one of their own grids.
        return in_own_grid(user, risk.grid_id)
    if role == UserRole.DEPUTY:
        return bool(user.deputy_id)
    return True


def can_edit_part(user: Any, participant: RiskParticipant) -> bool:
    """The office writes anyone's part; a deputy or grid worker their own."""
    risk = participant.risk
    if base.is_system(user):
        return True
    if not _active(user) or not can_view(user, risk):
        return False
    if roles_on(user, risk) & workflow.OFFICE:
        return True
    deputy_id, worker_id = _deputy_id(user), _grid_worker_id(user)
    return bool((deputy_id and participant.deputy_id == deputy_id)
                or (worker_id and participant.grid_worker_id == worker_id))


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, RiskParticipant):
        if action == "view":
            return can_view(user, obj.risk)
        if action == "edit_part":
            return can_edit_part(user, obj)
        return can(user, action, obj.risk)
    if isinstance(obj, Risk):
        if action == "view":
            return can_view(user, obj)
        if action == Action.REGISTER:
            return _can_register(user, obj)
        if action not in _ACTIONS:
            return False
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    # No object: list pages, export and the register button.
    if action in {"list", "view", "export"}:
        return user.role in LIST_READERS
    if action == Action.REGISTER:
        return user.role in REGISTRARS and bool(user.town_id)
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def available_actions(user: Any, risk: Risk) -> list[Action]:
    """The actions ``user`` may take on ``risk`` now: those the workflow allows the user's roles in
    the risk's state (``workflow.allowed_actions``) — one answer for the pages and the API."""
    if not can_view(user, risk):
        return []
    allowed = {a for role in roles_on(user, risk) for a in workflow.allowed_actions(risk.state, role)}
    return [a for a in Action if a in allowed]
