"""Who may do what with livelihood projects (民生实事).

Visibility: the office and presidium see their town's candidates, lists and projects (and manage
them); deputies see their town's projects and candidates; a handling unit sees the projects it
leads; district viewers and administrators every town, read-only.

``roles_on(user, project)`` says which workflow parts (``workflow.Role``) a user plays towards one
project; ``can`` asks ``workflow.ROLES_FOR_ACTION``. Whether the action fits the project's state
is the workflow's question; ``available_actions`` combines both for pages and API.
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role as UserRole
from renda.projects import workflow
from renda.projects.models import Candidate, CandidateList, CollectionWindow, ExcludedKind, Project, ProjectSettings
from renda.projects.workflow import Action
from renda.projects.workflow import Role as WRole

_ACTIONS = frozenset(a.value for a in Action)
TOWN_READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN})
OFFICE = frozenset({UserRole.STAFF, UserRole.PRESIDIUM})
LIST_READERS = frozenset({*TOWN_READERS, UserRole.DEPUTY, UserRole.UNIT})
CANDIDATE_READERS = frozenset({*TOWN_READERS, UserRole.DEPUTY})

#: Candidate and list actions (no workflow roles: the office does them; the presidium submits).
CANDIDATE_ACTIONS = frozenset({"collect", "screen", "reject", "list", "unlist", "edit"})
LIST_ACTIONS = frozenset({"create", "edit", "submit", "vote", "print"})
SETTINGS_ACTIONS = frozenset({"settings", "excluded_kinds", "window"})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _deputy_id(user: Any) -> int | None:
    if user.role in {UserRole.DEPUTY, UserRole.PRESIDIUM}:
        return getattr(user, "deputy_id", None)
    return None


def is_supervisor(user: Any, project: Project) -> bool:
    """The supervising presidium member or a deputy of the project's group."""
    deputy_id = _deputy_id(user)
    if not deputy_id or project.pk is None:
        return False
    if project.supervisor_id == deputy_id:
        return True
    return Project.deputies.through.objects.filter(project_id=project.pk, deputy_id=deputy_id).exists()


def can_view(user: Any, project: Project) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if user.role == UserRole.UNIT:
        return bool(user.unit_id and project.lead_unit_id == user.unit_id)
    if user.role in TOWN_READERS or user.role == UserRole.DEPUTY:
        return base.in_town(user, project.town_id)
    return False


def roles_on(user: Any, project: Project) -> set[WRole]:
    if base.is_system(user):
        return set(WRole)
    if not can_view(user, project):
        return set()
    simple = {UserRole.STAFF: WRole.STAFF, UserRole.PRESIDIUM: WRole.PRESIDIUM, UserRole.ADMIN: WRole.ADMIN,
              UserRole.DISTRICT_VIEWER: WRole.DISTRICT_VIEWER, UserRole.DEPUTY: WRole.DEPUTY}
    roles: set[WRole] = set()
    if user.role in simple:
        roles.add(simple[user.role])
    if user.role == UserRole.UNIT:
        roles.add(WRole.LEAD_UNIT)
    if is_supervisor(user, project):
        roles.add(WRole.SUPERVISOR)
    return roles


def _town_obj(user: Any, town_id: int | None, action: str, *, readers: frozenset[str]) -> bool:
    if action == "view":
        return user.role in readers and base.in_town(user, town_id)
    return user.role in OFFICE and base.in_town(user, town_id)


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, Project):
        if action == "view":
            return can_view(user, obj)
        if action not in _ACTIONS:
            return False
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    if isinstance(obj, Candidate):
        return _town_obj(user, obj.town_id, action, readers=CANDIDATE_READERS)
    if isinstance(obj, CandidateList):
        if action == "submit":
            return user.role == UserRole.PRESIDIUM and base.in_town(user, obj.town_id)
        if action == "print":
            return user.role in TOWN_READERS and base.in_town(user, obj.town_id)
        return _town_obj(user, obj.town_id, action, readers=CANDIDATE_READERS)
    if isinstance(obj, (ProjectSettings, ExcludedKind, CollectionWindow)):
        if action == "view":
            return user.role in TOWN_READERS and base.in_town(user, obj.town_id)
        return user.role == UserRole.STAFF and base.in_town(user, obj.town_id)
    # No object: list pages, export and the create buttons.
    if action in {"list", "view", "export"}:
        return user.role in LIST_READERS
    if action in {"candidates", "candidate_lists"}:
        return user.role in CANDIDATE_READERS
    if action in {"collect", "create_list", "adopt"}:
        return user.role in OFFICE and bool(user.town_id)
    if action in SETTINGS_ACTIONS:
        return user.role == UserRole.STAFF and bool(user.town_id)
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def available_actions(user: Any, project: Project) -> list[Action]:
    if not can_view(user, project):
        return []
    allowed = {a for role in roles_on(user, project) for a in workflow.allowed_actions(project.state, role)}
    return [a for a in Action if a in allowed]
