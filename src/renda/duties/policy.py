"""Who may do what in duties (代表履职).

- Activities: the town's office and presidium see and manage their town's activities; the
  town's deputies see them (and sign in to those they take part in, attach files and record
  findings there); district viewers read every town; administrators manage every town; units
  and grid workers see none.
- Archives (履职档案): a deputy their own; the office and presidium their town's deputies;
  district viewers and administrators every town. The points ranking: presidium and office only.
- Reports to voters (述职评议): the deputy their own (draft, edit, submit); the office and
  presidium their town's (everything); district viewers read; administrators as the office.
- Honours (awards) and the points settings: the office (and administrators) write (honours: the
  presidium too); readers of archives read; a deputy reads their own honours.
"""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.core.roles import Role as UserRole
from renda.duties import workflow
from renda.duties.models import Activity, ActivityAttachment, Award, DutySettings, Participation, VoterReport
from renda.duties.workflow import Action, ReportAction, ReportRole, Role

OFFICE = frozenset({UserRole.STAFF, UserRole.PRESIDIUM})
#: Who reads every activity of their town (or of every town).
READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DEPUTY, UserRole.DISTRICT_VIEWER,
                     UserRole.ADMIN})
WRITERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.ADMIN})
ARCHIVE_READERS = frozenset({UserRole.STAFF, UserRole.PRESIDIUM, UserRole.DISTRICT_VIEWER, UserRole.ADMIN})

_ACTIONS = frozenset(a.value for a in Action)
_REPORT_ACTIONS = frozenset(a.value for a in ReportAction)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def deputy_of(user: Any) -> int | None:
    """The deputy a user is (a deputy, or a presidium member who is a deputy)."""
    if getattr(user, "role", None) in {UserRole.DEPUTY, UserRole.PRESIDIUM}:
        return getattr(user, "deputy_id", None)
    return None


def is_participant(user: Any, activity: Activity) -> bool:
    deputy_id = deputy_of(user)
    if not deputy_id or activity.pk is None:
        return False
    return Participation.objects.filter(activity_id=activity.pk, deputy_id=deputy_id).exists()


def roles_on(user: Any, activity: Activity) -> set[Role]:
    """The workflow parts ``user`` plays towards ``activity`` (empty for those who may not see it)."""
    if base.is_system(user):
        return set(Role)
    if not _active(user) or user.role not in READERS or not base.in_town(user, activity.town_id):
        return set()
    roles: set[Role] = set()
    if user.role in OFFICE:
        roles.add(Role.OFFICE)
    elif user.role == UserRole.ADMIN:
        roles.add(Role.ADMIN)
    elif user.role == UserRole.DEPUTY:
        roles.add(Role.DEPUTY)
    else:
        roles.add(Role.READER)
    if deputy_of(user) and is_participant(user, activity):
        roles.add(Role.PARTICIPANT)
    return roles


def can_view_activity(user: Any, activity: Activity) -> bool:
    return bool(roles_on(user, activity))


def can_view_archive(user: Any, deputy: Any) -> bool:
    """A deputy's archive (履职档案): the deputy; the town's office and presidium; district readers."""
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if deputy_of(user) == deputy.pk:
        return True
    return user.role in ARCHIVE_READERS and base.in_town(user, deputy.town_id)


def report_roles_on(user: Any, report: VoterReport) -> set[ReportRole]:
    if base.is_system(user):
        return set(ReportRole)
    if not _active(user):
        return set()
    roles: set[ReportRole] = set()
    if deputy_of(user) == report.deputy_id and base.in_town(user, report.town_id):
        roles.add(ReportRole.AUTHOR)
    if base.in_town(user, report.town_id):
        if user.role in OFFICE:
            roles.add(ReportRole.OFFICE)
        elif user.role == UserRole.ADMIN:
            roles.add(ReportRole.ADMIN)
        elif user.role == UserRole.DISTRICT_VIEWER:
            roles.add(ReportRole.READER)
    return roles


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if not _active(user):
        return False
    if isinstance(obj, (Participation, ActivityAttachment)):
        if action == "view":
            return can_view_activity(user, obj.activity)
        return can(user, action, obj.activity)
    if isinstance(obj, Activity):
        if action == "view":
            return can_view_activity(user, obj)
        if action == Action.PLAN:
            return user.role in WRITERS and base.in_town(user, obj.town_id)
        if action in {"change", "poster"}:
            return bool(roles_on(user, obj) & workflow.MANAGERS)
        if action not in _ACTIONS:
            return False
        return bool(roles_on(user, obj) & workflow.ROLES_FOR_ACTION[Action(action)])
    if isinstance(obj, VoterReport):
        roles = report_roles_on(user, obj)
        if action == "view":
            return bool(roles)
        if action not in _REPORT_ACTIONS:
            return False
        return bool(roles & workflow.REPORT_ROLES_FOR_ACTION[ReportAction(action)])
    if isinstance(obj, Award):
        if action == "view":
            if obj.deputy is None:  # the presidium's or the office's honour
                return user.role in ARCHIVE_READERS and base.in_town(user, obj.town_id)
            return can_view_archive(user, obj.deputy)
        return user.role in WRITERS and base.in_town(user, obj.town_id)
    if isinstance(obj, DutySettings):
        if action == "view":
            return user.role in ARCHIVE_READERS and base.in_town(user, obj.town_id)
        return user.role in {UserRole.STAFF, UserRole.ADMIN} and base.in_town(user, obj.town_id)
    # No object: list pages, export, the create buttons.
    if action in {"list", "export", "view"}:
        return user.role in READERS
    if action in {"create", Action.PLAN}:
        return user.role in WRITERS
    if action == "ranking":
        return user.role in OFFICE
    if action in {"reports", "archives"}:
        return user.role in READERS
    if action in {"award", "settings"}:
        return user.role in {UserRole.STAFF, UserRole.ADMIN} or (action == "award" and user.role in WRITERS)
    if action == ReportAction.DRAFT:
        return user.role in WRITERS or bool(deputy_of(user))
    return False


def require(user: Any, action: str, obj: Any = None) -> None:
    base.require(can, user, action, obj)


def available_actions(user: Any, activity: Activity) -> list[Action]:
    if not can_view_activity(user, activity):
        return []
    allowed = {a for role in roles_on(user, activity) for a in workflow.allowed_actions(activity.state, role)}
    return [a for a in Action if a in allowed]


def available_report_actions(user: Any, report: VoterReport) -> list[ReportAction]:
    roles = report_roles_on(user, report)
    allowed = {a for role in roles for a in workflow.report_allowed_actions(report.state, role)}
    return [a for a in ReportAction if a in allowed]
