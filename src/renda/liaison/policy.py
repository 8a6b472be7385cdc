"""Who may do what with the liaison records (联系群众).

- The town's office (staff) and administrators manage everything of the town (admins: every town).
- The presidium reads everything of its town, records its own contacts with the deputies assigned
  to it (the service checks the assignment), its own voter contacts (a presidium member is a
  deputy too) and takes part in the reception workflow as the office does.
- A deputy records and reads their own voter contacts and voters, reads their deputy groups and
  their meetings (a group's leader records its meetings), the presidium contacts made with them,
  the town's stations, the published reception days, and the receptions of the stations they
  serve (where they register, propose, give feedback and turn a matter away).
- District viewers read every town; handling units and grid workers see nothing here.

``can(user, action, obj, kind=...)``: ``kind`` names the record type for the object-less checks
(list pages, the create button); ``for_kind(kind)`` gives the Resource its ``can``/``require``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils import timezone

from renda.core import policy as base
from renda.core.roles import Role as UserRole
from renda.liaison import workflow
from renda.liaison.models import (
    DeputyGroup,
    GroupMeeting,
    LiaisonSettings,
    PresidiumContact,
    Reception,
    ReceptionDay,
    Station,
    Voter,
    VoterContact,
)
from renda.liaison.workflow import Action
from renda.liaison.workflow import Role as WRole

WRITERS = frozenset({UserRole.STAFF, UserRole.ADMIN})
READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN})
DEPUTIES = frozenset({UserRole.DEPUTY, UserRole.PRESIDIUM})

#: kind → (roles that list it, roles that may create one at all)
KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "settings": (READERS, WRITERS),
    "groups": (READERS | {UserRole.DEPUTY}, WRITERS),
    "meetings": (READERS | {UserRole.DEPUTY}, WRITERS | {UserRole.DEPUTY, UserRole.PRESIDIUM}),
    "voters": (READERS | {UserRole.DEPUTY}, WRITERS | DEPUTIES),
    "voter_contacts": (READERS | {UserRole.DEPUTY}, WRITERS | DEPUTIES),
    "presidium_contacts": (READERS | {UserRole.DEPUTY}, WRITERS | {UserRole.PRESIDIUM}),
    "stations": (READERS | {UserRole.DEPUTY}, WRITERS),
    "reception_days": (READERS | {UserRole.DEPUTY}, WRITERS),
    "receptions": (READERS | {UserRole.DEPUTY}, WRITERS | DEPUTIES),
}


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _deputy_id(user: Any) -> int | None:
    return getattr(user, "deputy_id", None) if user.role in DEPUTIES else None


def _writer(user: Any, town_id: int | None) -> bool:
    return user.role in WRITERS and base.in_town(user, town_id)


def _reader(user: Any, town_id: int | None) -> bool:
    return user.role in READERS and base.in_town(user, town_id)


def is_group_member(user: Any, group: DeputyGroup) -> bool:
    deputy_id = _deputy_id(user)
    if not deputy_id or group.pk is None:
        return False
    return group.leader_id == deputy_id or group.members.filter(pk=deputy_id).exists()


def is_station_deputy(user: Any, station: Station) -> bool:
    deputy_id = _deputy_id(user)
    return bool(deputy_id and station.pk is not None and station.deputies.filter(pk=deputy_id).exists())


def roles_on(user: Any, reception: Reception) -> set[WRole]:
    """The workflow parts ``user`` plays towards ``reception``."""
    if base.is_system(user):
        return set(WRole)
    if not _active(user) or not base.in_town(user, reception.town_id):
        return set()
    roles: set[WRole] = set()
    simple = {UserRole.STAFF: WRole.STAFF, UserRole.PRESIDIUM: WRole.PRESIDIUM, UserRole.ADMIN: WRole.ADMIN,
              UserRole.DISTRICT_VIEWER: WRole.DISTRICT_VIEWER}
    if user.role in simple:
        roles.add(simple[user.role])
    if user.role in DEPUTIES and is_station_deputy(user, reception.station):
        roles.add(WRole.STATION_DEPUTY)
    return roles


def _can_object(user: Any, action: str, obj: Any) -> bool:
    town_id = getattr(obj, "town_id", None)
    if not base.in_town(user, town_id):
        return False
    view = action in {"view", "list", "export"}
    if isinstance(obj, LiaisonSettings):
        return _reader(user, town_id) if view else _writer(user, town_id)
    if isinstance(obj, DeputyGroup):
        if view:
            return _reader(user, town_id) or is_group_member(user, obj)
        return _writer(user, town_id)
    if isinstance(obj, GroupMeeting):
        if view:
            return _reader(user, town_id) or is_group_member(user, obj.group)
        deputy_id = _deputy_id(user)
        return _writer(user, town_id) or bool(deputy_id and obj.group.leader_id == deputy_id)
    if isinstance(obj, Voter | VoterContact):
        own = bool(_deputy_id(user) and obj.deputy_id == _deputy_id(user))
        if action == "reveal" and isinstance(obj, Voter):
            return own or (user.role in {UserRole.STAFF, UserRole.PRESIDIUM} and base.in_town(user, town_id))
        if view:
            return _reader(user, town_id) or own
        if action == "to_suggestion":
            return _writer(user, town_id) or own or (user.role == UserRole.PRESIDIUM and base.in_town(user, town_id))
        return _writer(user, town_id) or own
    if isinstance(obj, PresidiumContact):
        deputy_id = _deputy_id(user)
        if view:
            return _reader(user, town_id) or bool(deputy_id and obj.deputy_id == deputy_id)
        own = user.role == UserRole.PRESIDIUM and bool(deputy_id and obj.presidium_member_id == deputy_id)
        return _writer(user, town_id) or own
    if isinstance(obj, Station):
        if view:
            return _reader(user, town_id) or (user.role == UserRole.DEPUTY and bool(user.deputy_id))
        return _writer(user, town_id)
    if isinstance(obj, ReceptionDay):
        if view:
            if _reader(user, town_id):
                return True
            deputy_id = _deputy_id(user)
            on_it = bool(deputy_id and obj.pk and obj.deputies.filter(pk=deputy_id).exists())
            return user.role == UserRole.DEPUTY and (on_it or obj.is_published(timezone.localdate()))
        return _writer(user, town_id)
    if isinstance(obj, Reception):
        if view:
            return _reader(user, town_id) or is_station_deputy(user, obj.station)
        if action == "reveal":
            return user.role in {UserRole.STAFF, UserRole.PRESIDIUM} and base.in_town(user, town_id)
        if action == "to_suggestion":
            return bool(roles_on(user, obj) & workflow.OFFICE)
        if action not in {a.value for a in Action}:
            return False
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    return False


def can(user: Any, action: str, obj: Any = None, *, kind: str = "") -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if obj is not None:
        return _can_object(user, action, obj)
    lists, creates = KINDS.get(kind, (frozenset(), frozenset()))
    if action in {"list", "view", "export"}:
        return user.role in lists
    if action in {"create", Action.REGISTER}:
        if user.role in DEPUTIES and not user.deputy_id:
            return False
        return user.role in creates and (bool(user.town_id) or base.sees_every_town(user))
    return False


def require(user: Any, action: str, obj: Any = None, *, kind: str = "") -> None:
    base.require(partial(can, kind=kind), user, action, obj)


def for_kind(kind: str) -> tuple[Callable[..., bool], Callable[..., None]]:
    """The ``can`` and ``require`` of one record type's pages (``core.crud.Resource``)."""
    return partial(can, kind=kind), partial(require, kind=kind)


def available_actions(user: Any, reception: Reception) -> list[Action]:
    if not can(user, "view", reception):
        return []
    allowed = {a for role in roles_on(user, reception) for a in workflow.allowed_actions(reception.state, role)}
    return [a for a in Action if a in allowed]
