"""Who may do what with suggestions.

``roles_on(user, item)`` says which workflow parts (``workflow.Role``) a user plays towards one
item — the office of its town, the lead unit, a co-handling unit, the lead deputy …; ``can``
then asks ``workflow.ROLES_FOR_ACTION``. Whether the action fits the item's *state* is the
workflow's question, asked by the services; ``available_actions`` combines both for the pages
and the API.

Personal data (个人信息保护法 arts. 28, 51): a public submitter's name and phone are shown masked
to everyone. ``reveal`` shows them in clear in the one response to a request with a stated
reason, audited (``core.privacy.record_reveal``), as petitions do, for those who must contact
the submitter: the town's office and presidium (``core.roles.TOWN_OFFICE``, own town only, like
``petitions.policy.REVEALERS``), and the lead unit while it handles the item
(``workflow.HANDLING``), unless the submitter asked not to be contacted by units
(``no_unit_contact``). Nobody else: co-units, deputies, grid workers, district viewers and
administrators (configuration roles) get 403 (404 where they do not see the item).

Documents (Word): the 交办单 (``assignment_sheet``) goes to the units, so it holds the submitter
masked; it is for the office (staff, presidium, administrator of the town) and the lead and
co-handling units, once the item is assigned. The 答复函 (``reply_letter``) is for the office,
the unit that handles the item and the lead deputy, once replied; its addressee is named in
clear only for those who may reveal, and then generating it is an audited reveal
(``services.suggestion_documents``).
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import TOWN_OFFICE
from renda.core.roles import Role as UserRole
from renda.suggestions import workflow
from renda.suggestions.models import Kind, Reply, Suggestion, SuggestionCategory
from renda.suggestions.workflow import Action
from renda.suggestions.workflow import Role as WRole

_ACTIONS = frozenset(a.value for a in Action)

#: Roles that see every item of their town (or of every town, when district-wide).
TOWN_READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_co_unit(user: Any, s: Suggestion) -> bool:
    if user.role != UserRole.UNIT or not user.unit_id or s.pk is None:
        return False
    return s.co_unit_links.filter(unit_id=user.unit_id).exists()


def _is_co_deputy(user: Any, s: Suggestion) -> bool:
    if not user.deputy_id or s.pk is None:
        return False
    return s.co_deputies.filter(pk=user.deputy_id).exists()


def _grid_worker_sees(user: Any, s: Suggestion) -> bool:
    if user.role != UserRole.GRID_WORKER or not user.grid_worker_id:
        return False
    if s.created_by_id is not None and s.created_by_id == user.pk:
        return True
    if s.grid_id is None:
        return False
    from renda.places.models import GridWorker

    return GridWorker.grids.through.objects.filter(gridworker_id=user.grid_worker_id, region_id=s.grid_id).exists()


def can_view(user: Any, s: Suggestion) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    role = user.role
    if role in TOWN_READERS and base.in_town(user, s.town_id):
        return True
    if role == UserRole.UNIT:
        return bool(user.unit_id and user.unit_id == s.lead_unit_id) or _is_co_unit(user, s)
    if role in {UserRole.DEPUTY, UserRole.PRESIDIUM} and user.deputy_id:
        return user.deputy_id in {s.lead_deputy_id, s.via_deputy_id} or _is_co_deputy(user, s)
    if role == UserRole.GRID_WORKER:
        return _grid_worker_sees(user, s)
    return False


def roles_on(user: Any, s: Suggestion) -> set[WRole]:
    """The workflow parts ``user`` plays towards ``s`` (empty for read-only viewers)."""
    if base.is_system(user):
        return set(WRole)
    if not _active(user):
        return set()
    roles: set[WRole] = set()
    role = user.role
    if role == UserRole.STAFF and base.in_town(user, s.town_id):
        roles.add(WRole.STAFF)
    if role == UserRole.ADMIN and base.in_town(user, s.town_id):
        roles.add(WRole.ADMIN)
    if role == UserRole.PRESIDIUM and base.in_town(user, s.town_id):
        roles.add(WRole.PRESIDIUM)
    if role == UserRole.UNIT and user.unit_id:
        if user.unit_id == s.lead_unit_id:
            roles.add(WRole.UNIT)
        if _is_co_unit(user, s):
            roles.add(WRole.CO_UNIT)
    if role in {UserRole.DEPUTY, UserRole.PRESIDIUM} and user.deputy_id and s.kind == Kind.DEPUTY \
            and user.deputy_id == s.lead_deputy_id:
        roles.add(WRole.DEPUTY)
    return roles


def can_attach(user: Any, s: Suggestion, reply: Reply | None = None) -> bool:
    """Who may add attachments: to the item, its office (staff, presidium, administrators of its
    town), whoever registered it and its lead deputy; to a reply, the office and the unit that
    replied. Always only someone who may see the item."""
    if base.is_system(user):
        return True
    if not _active(user) or not can_view(user, s):
        return False
    roles = roles_on(user, s)
    if roles & {WRole.STAFF, WRole.ADMIN, WRole.PRESIDIUM}:
        return True
    if reply is not None:
        return WRole.UNIT in roles and user.unit_id == reply.unit_id
    return (s.created_by_id is not None and s.created_by_id == user.pk) or WRole.DEPUTY in roles


def _in_own_town(user: Any, town_id: int | None) -> bool:
    """Strictly the user's own town (district-wide users have none)."""
    return bool(user.town_id) and user.town_id == town_id


def can_reveal(user: Any, s: Suggestion) -> bool:
    """Who may see the submitter's name and phone in clear (see the module's docstring)."""
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if user.role in TOWN_OFFICE:
        return _in_own_town(user, s.town_id)
    if user.role == UserRole.UNIT:
        return (bool(user.unit_id) and user.unit_id == s.lead_unit_id and s.state in workflow.HANDLING
                and not s.no_unit_contact)
    return False


def has_contact(s: Suggestion) -> bool:
    """Whether the item has a submitter's data to reveal (a public, not anonymous item)."""
    return s.kind == Kind.PUBLIC and not s.anonymous and bool(s.submitter_name or s.submitter_phone)


#: The Word documents of an item (``documents``, which says when each exists).
DOCUMENTS = ("assignment_sheet", "reply_letter")
_DOCUMENT_ROLES = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.ADMIN, UserRole.UNIT})


def can_document(user: Any, kind: str, s: Suggestion) -> bool:
    """Who may download a document of ``s`` (whether it exists yet is ``documents.available``)."""
    if base.is_system(user):
        return True
    if not _active(user) or not can_view(user, s):
        return False
    roles = roles_on(user, s)
    if roles & {WRole.STAFF, WRole.PRESIDIUM, WRole.ADMIN}:
        return True
    if kind == "assignment_sheet":
        return bool(roles & {WRole.UNIT, WRole.CO_UNIT})
    if kind == "reply_letter":
        return bool(roles & {WRole.UNIT, WRole.DEPUTY})
    return False


#: The deputy's follow-up of a public opinion given through their QR code (the portal).
FOLLOW_UPS = ("deputy_note", "pass_on", "adopt")


def can_follow_up(user: Any, s: Suggestion) -> bool:
    """Only the deputy the opinion was given through, while nobody has set it aside."""
    if base.is_system(user):
        return True
    if not _active(user) or not user.deputy_id:
        return False
    return s.kind == Kind.PUBLIC and user.deputy_id == s.via_deputy_id


def _can_register(user: Any, s: Suggestion) -> bool:
    role = user.role
    if role in {UserRole.STAFF, UserRole.PRESIDIUM, UserRole.ADMIN}:
        return base.in_town(user, s.town_id)
    if role == UserRole.DEPUTY and user.deputy_id and base.in_town(user, s.town_id):
        # A deputy files their own suggestion, or an opinion they collected from voters.
        return s.lead_deputy_id == user.deputy_id if s.kind == Kind.DEPUTY else s.source == "deputy_collected"
    if role == UserRole.GRID_WORKER and base.in_town(user, s.town_id):
        return s.kind == Kind.PUBLIC
    return False


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, SuggestionCategory):
        if action == "view":
            return base.in_town(user, obj.town_id)
        return user.role in {UserRole.STAFF, UserRole.ADMIN} and base.in_town(user, obj.town_id)
    if isinstance(obj, Suggestion):
        if action == "view":
            return can_view(user, obj)
        if action == Action.REGISTER:
            return _can_register(user, obj)
        if action == "reveal":  # see the submitter's name and phone unmasked, audited
            return can_reveal(user, obj)
        if action == "tracking_code":  # the public's 查询码: the town's office and administrators
            return user.role in {UserRole.STAFF, UserRole.PRESIDIUM, UserRole.ADMIN} and base.in_town(user, obj.town_id)
        if action in DOCUMENTS:
            return can_document(user, action, obj)
        if action in FOLLOW_UPS:
            return can_follow_up(user, obj)
        if action == "attach":
            return can_attach(user, obj)
        if action not in _ACTIONS:
            return False
        roles = roles_on(user, obj)
        if action == Action.EVALUATE and obj.kind == Kind.DEPUTY:
            roles &= {WRole.DEPUTY}  # only the deputy evaluates the answer to their suggestion
        return bool(roles & workflow.ROLES_FOR_ACTION[Action(action)])
    # No object: list pages and buttons.
    if action in {"list", "view"}:
        return user.role in set(UserRole)
    if action == Action.REGISTER:
        return user.role in {UserRole.STAFF, UserRole.PRESIDIUM, UserRole.ADMIN, UserRole.DEPUTY,
                             UserRole.GRID_WORKER}
    if action in DOCUMENTS:  # the bulk download: each item is checked again
        return user.role in _DOCUMENT_ROLES | ({UserRole.DEPUTY} if action == "reply_letter" else set())
    return user.role in {UserRole.STAFF, UserRole.ADMIN}


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def facts(s: Suggestion) -> workflow.Facts:
    """What ``workflow.GUARDS`` need to know of ``s`` besides its state (a few small queries)."""
    from renda.suggestions.models import ExtensionStatus

    last = s.replies.order_by("-replied_at", "-id").values_list("reply_class", flat=True).first()
    result = s.evaluations.order_by("-evaluated_at", "-id").values_list("result", flat=True).first()
    return workflow.Facts(
        kind=s.kind, named=not s.anonymous and bool(s.submitter_name), replied=last is not None, last_class=last,
        last_result=result, rehandle_count=s.rehandle_count,
        pending_extension=s.extensions.filter(status=ExtensionStatus.REQUESTED).exists())


def available_actions(user: Any, s: Suggestion) -> list[Action]:
    """The actions ``user`` may take on ``s`` now: those the workflow table allows the user's roles
    in the item's state (``workflow.allowed_actions``; evaluating a deputy's suggestion is the
    deputy's, as ``can`` says), less what the item's data rules out (``workflow.GUARDS``: a second
    reply or a reminder only after a B/C answer, no withdrawal once answered, one extension request
    at a time …) — the one answer that both the pages and the API show."""
    permitted = {a for role in roles_on(user, s) for a in workflow.allowed_actions(s.state, role)}
    if Action.EVALUATE in permitted and not can(user, Action.EVALUATE, s):
        permitted.discard(Action.EVALUATE)
    allowed = [a for a in Action if a in permitted]
    if not allowed:
        return []
    known = facts(s)
    return [a for a in allowed if workflow.refusal(s.state, a, known) is None]
