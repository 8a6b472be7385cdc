"""Who may do what with congress sessions and vote rounds.

- see sessions and rounds: the town's office (人大办), presidium and deputies; district viewers
  and administrators every town; units and grid workers nothing;
- create and edit sessions, attendance and agenda: the office (and administrators);
- open, enter paper ballots, close, further rounds: the office and the presidium (and administrators);
- cast a ballot on a phone: a deputy (or presidium member) of the town — whether they are
  present and have not voted yet is the service's rule;
- the tally and the result sheet: anyone who sees the round, once it is closed.
"""

from __future__ import annotations

from typing import Any

from renda.congress.models import AgendaItem, Session, SessionAttendance, VoteRound
from renda.core import policy as base
from renda.core.roles import Role

READERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN})
SESSION_WRITERS = frozenset({Role.STAFF, Role.ADMIN})
ROUND_WRITERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.ADMIN})
VOTERS = frozenset({Role.DEPUTY, Role.PRESIDIUM})

SESSION_ACTIONS = frozenset({"edit", "attendance", "agenda"})
ROUND_ACTIONS = frozenset({"open", "enter", "close", "further"})


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _town_of(obj: Any) -> int | None:
    if isinstance(obj, Session):
        return obj.town_id
    if isinstance(obj, (SessionAttendance, AgendaItem)):
        return obj.session.town_id
    if isinstance(obj, VoteRound):
        return obj.session.town_id
    return None


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    role = user.role
    if obj is None:
        if action in {"list", "view", "export"}:
            return role in READERS
        if action == "create":
            return role in SESSION_WRITERS
        if action in ROUND_ACTIONS:
            return role in ROUND_WRITERS
        if action == "vote":
            return role in VOTERS and bool(getattr(user, "deputy_id", None))
        return False
    town_id = _town_of(obj)
    if not base.in_town(user, town_id):
        return False
    if action in {"view", "export"}:
        return role in READERS
    if isinstance(obj, (Session, SessionAttendance, AgendaItem)):
        if action in SESSION_ACTIONS or action == "create":
            return role in SESSION_WRITERS
        if action == "open":  # open a round at this session
            return role in ROUND_WRITERS
        return False
    if isinstance(obj, VoteRound):
        if action in ROUND_ACTIONS:
            return role in ROUND_WRITERS
        if action == "vote":
            return role in VOTERS and bool(getattr(user, "deputy_id", None))
        if action in {"tally", "sheet"}:
            return role in READERS and obj.is_over
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)
