"""Reads of motions (议案), already restricted to what the user may see (see ``policy``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.motions.models import DEFAULT_MIN_SIGNERS, Motion, MotionSettings, SessionLimit
from renda.motions.workflow import AWAITING, SUBMITTED, State

TOWN_READERS = {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN}


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def motions_visible_to(user: Any) -> QuerySet[Motion]:
    """The office, presidium and deputies: their town's motions; a unit: the motions whose
    follow-up it carries; district viewers and administrators: every town."""
    qs = Motion.objects.select_related("town", "session", "lead_deputy", "suggestion").annotate(
        signers=Count("signatures", distinct=True))
    if user is None or sees_every_town(user):
        return qs
    if not _active(user):
        return qs.none()
    if user.role == Role.UNIT:
        return qs.filter(town_id=user.town_id, follow_units=user.unit_id) if user.unit_id else qs.none()
    if user.role in TOWN_READERS and user.town_id:
        return qs.filter(town_id=user.town_id)
    return qs.none()


def awaiting_decision(user: Any) -> QuerySet[Motion]:
    """Submitted motions waiting for the presidium's decision (the presidium's home card)."""
    return motions_visible_to(user).filter(state__in=[s.value for s in AWAITING]).order_by("submitted_at", "id")


def motions_for_suggestion(user: Any, suggestion_id: int) -> QuerySet[Motion]:
    """The motion a suggestion came from (the link's other side, for the suggestion's page)."""
    return motions_visible_to(user).filter(suggestion_id=suggestion_id)


def min_signers(town_id: int) -> int:
    """The town's minimum number of deputies on a joint motion (default 5)."""
    found = MotionSettings.objects.filter(town_id=town_id).values_list("min_signers", flat=True).first()
    return int(found) if found else DEFAULT_MIN_SIGNERS


def default_deadline(starts_on: dt.date) -> dt.datetime:
    """Without a limit set by the office: the end of the session's first day (23:59, local time)."""
    return timezone.make_aware(dt.datetime.combine(starts_on, dt.time(23, 59, 59)))


def deadline_of(session: Any) -> dt.datetime:
    """The time limit for motions at ``session`` (set by the office, else the default)."""
    found = SessionLimit.objects.filter(session_id=session.pk).values_list("deadline", flat=True).first()
    return found if found is not None else default_deadline(session.starts_on)


def limits_visible_to(user: Any) -> QuerySet[SessionLimit]:
    qs = SessionLimit.objects.select_related("session", "session__town")
    if user is None or sees_every_town(user):
        return qs
    if not _active(user) or user.role not in TOWN_READERS or not user.town_id:
        return qs.none()
    return qs.filter(session__town_id=user.town_id)


# --- the work report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportMotion:
    code: str
    title: str
    session: str
    submitted_by: str
    lead_deputy: str
    signers: int
    state: str
    decision: str
    decision_reason: str
    resolution: str
    follow_units: list[str]
    follow_up: str
    finished_on: dt.date | None


def motions_for_report(period: Any, scope: Any) -> list[ReportMotion]:
    """The motions submitted at the sessions held in the period (``core.stats.Period``) of the
    scope's towns (``reports.metrics.Scope``), with their title, state, the presidium's decision
    and the follow-up, as they stand now — for the work report."""
    end = min(period.to, period.as_of)
    qs = (Motion.objects.filter(town_id__in=scope.town_ids, session__starts_on__gte=period.from_,
                                session__starts_on__lte=end, state__in=[s.value for s in SUBMITTED])
          .select_related("session", "lead_deputy").prefetch_related("follow_units")
          .annotate(signers=Count("signatures", distinct=True)).order_by("session__starts_on", "code"))
    return [ReportMotion(
        code=m.code, title=m.title, session=str(m.session), submitted_by=str(m.get_submitted_by_display()),
        lead_deputy=m.lead_deputy.name if m.lead_deputy else "", signers=m.signers,
        state=str(m.get_state_display()), decision=str(m.get_decision_display()) if m.decision else "",
        decision_reason=m.decision_reason, resolution=m.resolution,
        follow_units=[u.name for u in m.follow_units.all()], follow_up=m.follow_up, finished_on=m.finished_on,
    ) for m in qs]


__all__ = ["State", "awaiting_decision", "deadline_of", "min_signers", "motions_for_report",
           "motions_for_suggestion", "motions_visible_to"]
