"""Who may do what with motions (议案).

- The town's office (人大办) and presidium manage the town's motions: draft one (the presidium's,
  or a joint one entered from paper), record signatures, submit, record the presidium's decision,
  the resolution and the follow-up; administrators likewise in every town.
- A deputy sees the town's motions, drafts a joint motion as its lead deputy, signs (and unsigns)
  a draft as themselves, and — as lead — edits, submits or withdraws it.
- A handling unit sees the motions whose follow-up it carries and records their progress.
- District viewers read every town; grid workers and the public see nothing.

``roles_on(user, motion)`` says which workflow parts (``workflow.Role``) a user plays towards a
motion; ``can`` asks ``workflow.ROLES_FOR_ACTION``; whether the action fits the motion's state is
the workflow's question (``available_actions`` combines both for pages and the API).
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role as UserRole
from renda.motions import workflow
from renda.motions.models import Motion, MotionSettings, SessionLimit
from renda.motions.workflow import Action
from renda.motions.workflow import Role as WRole

TOWN_READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DEPUTY, UserRole.DISTRICT_VIEWER,
                          UserRole.ADMIN})
LIST_READERS = frozenset({*TOWN_READERS, UserRole.UNIT})
SETTINGS_WRITERS = frozenset({UserRole.STAFF, UserRole.ADMIN})
CREATORS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DEPUTY, UserRole.ADMIN})
_ACTIONS = frozenset(a.value for a in Action)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def deputy_of(user: Any) -> int | None:
    """The deputy a deputy's or presidium member's account stands for."""
    if user is None or user.role not in {UserRole.DEPUTY, UserRole.PRESIDIUM}:
        return None
    return getattr(user, "deputy_id", None)


def _follows(user: Any, m: Motion) -> bool:
    if not user.unit_id or m.pk is None:
        return False
    return Motion.follow_units.through.objects.filter(motion_id=m.pk, unit_id=user.unit_id).exists()


def can_view(user: Any, m: Motion) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if user.role == UserRole.UNIT:
        return base.in_town(user, m.town_id) and _follows(user, m)
    return user.role in TOWN_READERS and base.in_town(user, m.town_id)


def roles_on(user: Any, m: Motion) -> set[WRole]:
    if base.is_system(user):
        return set(WRole)
    if not can_view(user, m):
        return set()
    simple = {UserRole.STAFF: WRole.STAFF, UserRole.PRESIDIUM: WRole.PRESIDIUM, UserRole.ADMIN: WRole.ADMIN,
              UserRole.DISTRICT_VIEWER: WRole.DISTRICT_VIEWER, UserRole.DEPUTY: WRole.DEPUTY,
              UserRole.UNIT: WRole.UNIT}
    roles = {simple[user.role]} if user.role in simple else set()
    deputy_id = deputy_of(user)
    if deputy_id:
        roles.add(WRole.DEPUTY)
        if m.lead_deputy_id == deputy_id:
            roles.add(WRole.LEAD)
    return roles


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, Motion):
        if action == "change":  # the generic edit page (core.crud): a draft only
            return obj.state == workflow.State.DRAFT and can(user, Action.EDIT.value, obj)
        if action == "view":
            return can_view(user, obj)
        if action not in _ACTIONS:
            return False
        if action == Action.CREATE and user.role == UserRole.DEPUTY:
            # a deputy drafts a joint motion only as its lead
            return bool(deputy_of(user)) and obj.lead_deputy_id == deputy_of(user) and base.in_town(user, obj.town_id)
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    if isinstance(obj, (MotionSettings, SessionLimit)):
        town_id = obj.town_id if isinstance(obj, MotionSettings) else obj.session.town_id
        if action == "view":
            return user.role in TOWN_READERS and base.in_town(user, town_id)
        return user.role in SETTINGS_WRITERS and base.in_town(user, town_id)
    # No object: list pages, export and the buttons.
    if action in {"list", "view", "export"}:
        return user.role in LIST_READERS
    if action == "create":
        if user.role == UserRole.DEPUTY:
            return bool(deputy_of(user))
        return user.role in CREATORS
    if action == "settings":
        return user.role in SETTINGS_WRITERS
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def available_actions(user: Any, m: Motion) -> list[Action]:
    if not can_view(user, m):
        return []
    allowed = {a for role in roles_on(user, m) for a in workflow.allowed_actions(m.state, role)}
    return [a for a in Action if a in allowed]
