"""Who may do what with petitions (信访件).

Decisions (个人信息保护法 arts. 28, 51 — petitioners' data is sensitive):

============================  ====================================================  =======================
role                          sees                                                   acts
============================  ====================================================  =======================
congress office staff         every petition of their town                           the whole legal flow,
                                                                                    routing, conversion;
                                                                                    **reveal**, notices
presidium member              every petition of their town                           registers visits on
                                                                                    duty, writes the
                                                                                    instructions routed to
                                                                                    them; **reveal**, notices
deputy                        petitions of the grids they are placed in (masked)     nothing
grid worker                   petitions of their grids and those they registered      registers a petition
                              (masked, also the ones they registered)                they received (own
                                                                                    town, own grids)
handling unit                 nothing — the person or unit complained about never    nothing
                              sees a petition, so units do not see petitions at all
district viewer               every town, read-only, masked                          nothing
administrator                 their town (or every town), read-only, masked — a       nothing
                              configuration role, not a handler
============================  ====================================================  =======================

Revealing (``reveal``) shows the petitioners' plain name, ID number, phone and address in that
one response, after a stated reason, and writes an audit event
(``core.privacy.record_reveal``). Notices (告知书) are addressed to the petitioner by name, so
downloading one is a reveal too (reason "生成告知书"), open to the same two roles.
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import TOWN_OFFICE
from renda.core.roles import Role as UserRole
from renda.petitions import workflow
from renda.petitions.models import Petition, ReviewInstruction
from renda.petitions.workflow import Action
from renda.petitions.workflow import Role as WRole

_ACTIONS = frozenset(a.value for a in Action)
#: Roles that may reveal petitioners' personal data and download notices (of their own town).
REVEALERS = TOWN_OFFICE
#: Roles that may open the petitions list at all.
LISTERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DEPUTY, UserRole.GRID_WORKER,
                     UserRole.DISTRICT_VIEWER, UserRole.ADMIN})
REGISTRARS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.GRID_WORKER})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _in_own_town(user: Any, town_id: int | None) -> bool:
    """Strictly the user's own town (district-wide users have none)."""
    return bool(user.town_id) and user.town_id == town_id


def _in_grids(user: Any, grid_id: int | None, *, deputy: bool) -> bool:
    if grid_id is None:
        return False
    from renda.petitions.selectors import deputy_grid_ids, worker_grid_ids

    ids = deputy_grid_ids(user.deputy_id) if deputy else worker_grid_ids(user.grid_worker_id)
    return ids.filter(region_id=grid_id).exists()


def can_view(user: Any, p: Petition) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    role = user.role
    if role in {UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN}:
        return base.in_town(user, p.town_id)
    if role == UserRole.DEPUTY and user.deputy_id:
        return _in_own_town(user, p.town_id) and _in_grids(user, p.grid_id, deputy=True)
    if role == UserRole.GRID_WORKER and user.grid_worker_id:
        if p.created_by_id is not None and p.created_by_id == user.pk:
            return True
        return _in_grids(user, p.grid_id, deputy=False)
    return False


def _pending_instruction(user: Any, p: Petition) -> bool:
    if not user.deputy_id or p.pk is None:
        return False
    return ReviewInstruction.objects.filter(petition_id=p.pk, presidium_member_id=user.deputy_id,
                                            instructed_on__isnull=True).exists()


def roles_on(user: Any, p: Petition) -> set[WRole]:
    """The workflow parts ``user`` plays towards ``p`` (empty for read-only viewers)."""
    if base.is_system(user):
        return set(WRole)
    if not _active(user) or not _in_own_town(user, p.town_id):
        return set()
    roles: set[WRole] = set()
    if user.role == UserRole.STAFF:
        roles.add(WRole.STAFF)
    if user.role == UserRole.PRESIDIUM:
        roles.add(WRole.PRESIDIUM)
        if _pending_instruction(user, p):
            roles.add(WRole.INSTRUCTOR)
    if user.role == UserRole.GRID_WORKER:
        roles.add(WRole.GRID_WORKER)
    return roles


def _can_register(user: Any, p: Petition) -> bool:
    if user.role not in REGISTRARS or not _in_own_town(user, p.town_id):
        return False
    if user.role == UserRole.GRID_WORKER:
        # A grid worker records what they received in their own grids.
        return bool(user.grid_worker_id) and (p.grid_id is None or _in_grids(user, p.grid_id, deputy=False))
    return True


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, Petition):
        if action == "view":
            return can_view(user, obj)
        if action in {"reveal", "notice", "attachment"}:
            return user.role in REVEALERS and _in_own_town(user, obj.town_id)
        if action == "attach":
            return (user.role in TOWN_OFFICE and _in_own_town(user, obj.town_id)) or (
                obj.created_by_id is not None and obj.created_by_id == user.pk)
        if action == Action.REGISTER:
            return _can_register(user, obj)
        if action not in _ACTIONS:
            return False
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    # No object: list pages, queues and buttons.
    role = user.role
    if action in {"list", "view", "export"}:
        return role in LISTERS
    if action == Action.REGISTER:
        return role in REGISTRARS and bool(user.town_id)
    if action in {"queue", "from_suggestion"}:
        return role == UserRole.STAFF and bool(user.town_id)
    if action == "lookup":
        return role in REVEALERS and bool(user.town_id)
    if action == "instructions":
        return role == UserRole.PRESIDIUM and bool(user.deputy_id)
    if action in {"reveal", "notice"}:
        return role in REVEALERS and bool(user.town_id)
    return role == UserRole.STAFF and bool(user.town_id)


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def available_actions(user: Any, p: Petition) -> list[Action]:
    """The actions ``user`` may take on ``p`` now: those the workflow allows the user's roles in the
    petition's state (``workflow.allowed_actions``), less what the petition's data rules out (one
    extension only; no conversion twice) — one answer for the pages and the API."""
    allowed = {a for role in roles_on(user, p) for a in workflow.allowed_actions(p.state, role)}
    out: list[Action] = []
    for a in Action:
        if a not in allowed:
            continue
        if a == Action.EXTEND and p.extended_on is not None:
            continue
        if a == Action.TO_SUGGESTION and p.suggestion_id is not None:
            continue
        if a == Action.ACCEPT and p.repeat_kind == "final":
            continue
        out.append(a)
    return out
