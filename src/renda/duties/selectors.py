"""Reads of duties, already restricted to what the user may see (see ``policy`` for the rules);
the duty archive (履职档案) of a deputy and the points ranking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.duties.models import (
    Activity,
    ActivityType,
    Attendance,
    Award,
    DutySettings,
    Participation,
    VoterReport,
)
from renda.duties.policy import ARCHIVE_READERS, READERS, deputy_of
from renda.duties.workflow import ReportState, State
from renda.people.models import Deputy
from renda.suggestions.selectors import suggestions_visible_to


def _town_scope(qs: QuerySet[Any], user: Any, roles: frozenset[str], field: str = "town_id") -> QuerySet[Any]:
    if sees_every_town(user):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.town_id:
        return qs.none()
    if user.role not in roles:
        return qs.none()
    return qs.filter(**{field: user.town_id})


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    """The town's activities for its office, presidium and deputies; every town for district
    readers and administrators; none for units and grid workers."""
    qs = Activity.objects.select_related("town").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("deputy").order_by("id")))
    return _town_scope(qs, user, READERS)


def deputies_visible_to(user: Any) -> QuerySet[Deputy]:
    """Deputies whose archive the user may read: the office's and presidium's town; a deputy
    only themselves."""
    qs = Deputy.objects.select_related("town", "village")
    own = deputy_of(user)
    if user is not None and getattr(user, "is_authenticated", False) and user.role not in ARCHIVE_READERS:
        return qs.filter(pk=own) if own else qs.none()
    scoped = _town_scope(qs, user, ARCHIVE_READERS)
    return scoped


def reports_visible_to(user: Any) -> QuerySet[VoterReport]:
    qs = VoterReport.objects.select_related("town", "deputy")
    if user is not None and getattr(user, "is_authenticated", False) and user.role == Role.DEPUTY:
        own = deputy_of(user)
        return qs.filter(deputy_id=own, town_id=user.town_id) if own else qs.none()
    return _town_scope(qs, user, ARCHIVE_READERS)


def awards_visible_to(user: Any) -> QuerySet[Award]:
    qs = Award.objects.select_related("deputy", "town")
    if user is not None and getattr(user, "is_authenticated", False) and user.role == Role.DEPUTY:
        own = deputy_of(user)
        return qs.filter(deputy_id=own) if own else qs.none()
    return _town_scope(qs, user, ARCHIVE_READERS)


def settings_for(town_id: int) -> DutySettings:
    """The town's settings (unsaved defaults when it has none)."""
    return DutySettings.objects.filter(town_id=town_id).first() or DutySettings(town_id=town_id)


# --- the archive (履职档案) ------------------------------------------------------------------------


def attended(deputy: Deputy, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Participation]:
    """The deputy's attendances in [start, end]: signed in or recorded as attended (an activity
    signed in to today counts before the office confirms it held; a cancelled one never)."""
    qs = Participation.objects.filter(deputy=deputy, attendance=Attendance.ATTENDED) \
        .exclude(activity__state=State.CANCELLED).select_related("activity")
    if start:
        qs = qs.filter(activity__on__gte=start)
    if end:
        qs = qs.filter(activity__on__lte=end)
    return qs.order_by("activity__on", "activity_id")


def session_attendance(deputy: Deputy, start: dt.date | None = None, end: dt.date | None = None
                       ) -> QuerySet[Participation]:
    """Session attendance (出席人代会): for now the deputy's participations in activities of type
    ``congress_session`` (every attendance state) — the one place to switch to congress records."""
    qs = Participation.objects.filter(deputy=deputy, activity__type=ActivityType.CONGRESS_SESSION) \
        .exclude(activity__state=State.CANCELLED).select_related("activity")
    if start:
        qs = qs.filter(activity__on__gte=start)
    if end:
        qs = qs.filter(activity__on__lte=end)
    return qs.order_by("activity__on", "activity_id")


def deputy_suggestions(deputy: Deputy, start: dt.date | None = None, end: dt.date | None = None
                       ) -> QuerySet[Any]:
    """The deputy's suggestions (led or co-signed), read through the suggestion selectors."""
    qs = suggestions_visible_to(None).filter(Q(lead_deputy=deputy) | Q(co_deputies=deputy)).distinct()
    if start:
        qs = qs.filter(registered_at__gte=start)
    if end:
        qs = qs.filter(registered_at__lte=end)
    return qs.order_by("registered_at", "id")


def held_reports(deputy: Deputy, start: dt.date | None = None, end: dt.date | None = None
                 ) -> QuerySet[VoterReport]:
    qs = VoterReport.objects.filter(deputy=deputy, state__in=[ReportState.RATED, ReportState.FILED])
    if start:
        qs = qs.filter(meeting_on__gte=start)
    if end:
        qs = qs.filter(meeting_on__lte=end)
    return qs.order_by("meeting_on", "id")


INSPECTIONS = (ActivityType.INSPECTION, ActivityType.RESEARCH, ActivityType.LAW_INSPECTION)


@dataclass
class Archive:
    deputy: Deputy
    start: dt.date | None
    end: dt.date | None
    sessions: list[Participation]
    inspections: list[Participation]
    trainings: list[Participation]
    groups: list[Participation]
    others: list[Participation]
    suggestions: list[Any]
    reports: list[VoterReport]
    awards: list[Award]
    points: int
    points_detail: list[tuple[str, int, int, int]] = field(default_factory=list)  # label, n, weight, points

    @property
    def motions(self) -> list[Any]:
        return []  # no motions app yet


def archive(deputy: Deputy, start: dt.date | None = None, end: dt.date | None = None) -> Archive:
    """The deputy's duty archive (履职档案) in [start, end] (all of it without dates)."""
    attendances = list(attended(deputy, start, end))
    sessions = list(session_attendance(deputy, start, end))
    awards = Award.objects.filter(deputy=deputy)
    if start:
        awards = awards.filter(on__gte=start)
    if end:
        awards = awards.filter(on__lte=end)
    suggestions = list(deputy_suggestions(deputy, start, end))
    reports = list(held_reports(deputy, start, end))
    by_part: dict[str, list[Participation]] = {"inspections": [], "trainings": [], "groups": [], "others": []}
    for p in attendances:
        t = p.activity.type
        if t == ActivityType.CONGRESS_SESSION:
            continue
        key = ("inspections" if t in INSPECTIONS else "trainings" if t in (ActivityType.TRAINING, ActivityType.STUDY)
               else "groups" if t == ActivityType.GROUP_MEETING else "others")
        by_part[key].append(p)
    settings = settings_for(deputy.town_id)
    points, detail = score(settings, attendances, len(suggestions), len(reports))
    return Archive(deputy=deputy, start=start, end=end, sessions=sessions, awards=list(awards.order_by("on")),
                   suggestions=suggestions, reports=reports, points=points, points_detail=detail, **by_part)


def score(settings: DutySettings, attendances: list[Participation], suggestions: int, reports: int
          ) -> tuple[int, list[tuple[str, int, int, int]]]:
    """Duty points: each attendance by its type's weight, each suggestion, each report to voters."""
    counts: dict[str, int] = {}
    for p in attendances:
        counts[p.activity.type] = counts.get(p.activity.type, 0) + 1
    detail = [(str(ActivityType(t).label), n, settings.weight(t), n * settings.weight(t))
              for t, n in sorted(counts.items())]
    detail.append((str(_("意见建议")), suggestions, settings.per_suggestion,
                   suggestions * settings.per_suggestion))
    detail.append((str(VoterReport._meta.verbose_name), reports, settings.per_report, reports * settings.per_report))
    return sum(d[3] for d in detail), detail


@dataclass(frozen=True)
class Rank:
    deputy: Deputy
    attendances: int
    suggestions: int
    reports: int
    points: int


def ranking(user: Any, start: dt.date | None = None, end: dt.date | None = None) -> list[Rank]:
    """The points of every serving deputy the user may see, highest first (presidium and office only)."""
    deputies = list(deputies_visible_to(user).filter(is_active=True))
    ids = [d.pk for d in deputies]
    att = Participation.objects.filter(deputy_id__in=ids, attendance=Attendance.ATTENDED) \
        .exclude(activity__state=State.CANCELLED)
    if start:
        att = att.filter(activity__on__gte=start)
    if end:
        att = att.filter(activity__on__lte=end)
    per_type: dict[int, dict[str, int]] = {}
    for row in att.values("deputy_id", "activity__type").annotate(n=Count("pk")):
        per_type.setdefault(row["deputy_id"], {})[row["activity__type"]] = row["n"]
    out = []
    settings_by_town: dict[int, DutySettings] = {}
    for d in deputies:
        st = settings_by_town.setdefault(d.town_id, settings_for(d.town_id))
        n_sugg = deputy_suggestions(d, start, end).count()
        n_rep = held_reports(d, start, end).count()
        types = per_type.get(d.pk, {})
        pts = sum(n * st.weight(t) for t, n in types.items()) + n_sugg * st.per_suggestion + n_rep * st.per_report
        out.append(Rank(deputy=d, attendances=sum(types.values()), suggestions=n_sugg, reports=n_rep, points=pts))
    out.sort(key=lambda r: (-r.points, r.deputy.name, r.deputy.pk))
    return out
