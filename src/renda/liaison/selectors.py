"""Reads of the liaison records, already limited to what the user may see (``policy`` has the
rules), and the target checks the home pages, the reminders, ``reports.metrics`` and the work
report share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.liaison import targets
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
from renda.people.models import ContactAssignment, Deputy

READERS = {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN}


def _scoped(qs: QuerySet[Any], user: Any) -> tuple[QuerySet[Any], bool]:
    """(qs limited to the user's town, whether the user reads the whole town)."""
    if sees_every_town(user):
        return qs, True
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.town_id:
        return qs.none(), False
    qs = qs.filter(town_id=user.town_id)
    return qs, user.role in READERS


def _deputy_id(user: Any) -> int | None:
    return getattr(user, "deputy_id", None) if getattr(user, "role", None) in {Role.DEPUTY, Role.PRESIDIUM} else None


def settings_visible_to(user: Any) -> QuerySet[LiaisonSettings]:
    qs, whole = _scoped(LiaisonSettings.objects.select_related("town"), user)
    return qs if whole else qs.none()


def groups_visible_to(user: Any) -> QuerySet[DeputyGroup]:
    qs, whole = _scoped(DeputyGroup.objects.select_related("town", "leader").prefetch_related("members", "regions")
                        .annotate(last_meeting_on=Max("meetings__on")), user)
    if whole:
        return qs
    deputy_id = _deputy_id(user)
    if user.role == Role.DEPUTY and deputy_id:
        return qs.filter(Q(leader_id=deputy_id) | Q(members=deputy_id)).distinct()
    return qs.none()


def meetings_visible_to(user: Any) -> QuerySet[GroupMeeting]:
    qs, whole = _scoped(GroupMeeting.objects.select_related("town", "group").prefetch_related("attendees"), user)
    if whole:
        return qs
    if user.role == Role.DEPUTY:
        return qs.filter(group__in=groups_visible_to(user).values("pk"))
    return qs.none()


def _own(qs: QuerySet[Any], user: Any, whole: bool) -> QuerySet[Any]:
    if whole:
        return qs
    deputy_id = _deputy_id(user)
    return qs.filter(deputy_id=deputy_id) if deputy_id and user.role == Role.DEPUTY else qs.none()


def voters_visible_to(user: Any) -> QuerySet[Voter]:
    qs, whole = _scoped(Voter.objects.select_related("town", "deputy", "village"), user)
    return _own(qs, user, whole)


def own_voters(user: Any) -> QuerySet[Voter]:
    """The voters the user (a deputy or presidium member) keeps in touch with."""
    deputy_id = _deputy_id(user)
    return Voter.objects.filter(deputy_id=deputy_id, is_active=True) if deputy_id else Voter.objects.none()


def voter_contacts_visible_to(user: Any) -> QuerySet[VoterContact]:
    qs, whole = _scoped(VoterContact.objects.select_related("town", "deputy", "suggestion"), user)
    return _own(qs, user, whole)


def presidium_contacts_visible_to(user: Any) -> QuerySet[PresidiumContact]:
    qs, whole = _scoped(PresidiumContact.objects.select_related("town", "deputy", "presidium_member"), user)
    return _own(qs, user, whole)


def stations_visible_to(user: Any) -> QuerySet[Station]:
    qs, whole = _scoped(Station.objects.select_related("town", "village").prefetch_related("deputies"), user)
    if whole or (user.role == Role.DEPUTY and user.deputy_id):
        return qs
    return qs.none()


def reception_days_visible_to(user: Any, today: dt.date | None = None) -> QuerySet[ReceptionDay]:
    """The office sees the whole roster; a deputy the days published (3 days ahead) and their own."""
    qs, whole = _scoped(ReceptionDay.objects.select_related("town", "station").prefetch_related("deputies"), user)
    if whole:
        return qs
    if user.role == Role.DEPUTY and user.deputy_id:
        today = today or timezone.localdate()
        from renda.liaison.models import PUBLISH_DAYS_AHEAD

        return qs.filter(Q(on__lte=today + dt.timedelta(days=PUBLISH_DAYS_AHEAD)) | Q(deputies=user.deputy_id)
                         ).distinct()
    return qs.none()


def published_days(station: Station, today: dt.date | None = None) -> QuerySet[ReceptionDay]:
    """The public roster of a station: days from today, published (at most 3 days ahead)."""
    from renda.liaison.models import PUBLISH_DAYS_AHEAD

    today = today or timezone.localdate()
    return station.reception_days.filter(on__gte=today, on__lte=today + dt.timedelta(days=PUBLISH_DAYS_AHEAD)
                                         ).prefetch_related("deputies").order_by("on")


def receptions_visible_to(user: Any) -> QuerySet[Reception]:
    qs, whole = _scoped(Reception.objects.select_related("town", "station", "suggestion").prefetch_related(
        "deputies"), user)
    if whole:
        return qs
    deputy_id = _deputy_id(user)
    if user.role == Role.DEPUTY and deputy_id:
        return qs.filter(station__deputies=deputy_id).distinct()
    return qs.none()


# --- targets and warnings ---------------------------------------------------------------------


def serving_q(as_of: dt.date) -> Q:
    return (Q(is_active=True) & (Q(serving_from__isnull=True) | Q(serving_from__lte=as_of))
            & (Q(serving_to__isnull=True) | Q(serving_to__gte=as_of)))


def serving_deputies(town_ids: Iterable[int], as_of: dt.date) -> QuerySet[Deputy]:
    return Deputy.objects.filter(serving_q(as_of), town_id__in=list(town_ids))


def deputies_without_contact(town: Any, from_: dt.date, to: dt.date) -> QuerySet[Deputy]:
    """Serving deputies (at ``to``) of ``town`` with no presidium–deputy contact dated in [from_, to]
    (``deputies.without_contact`` of METRICS; the work report lists them)."""
    town_ids = [town if isinstance(town, int) else town.pk]
    return _without_contact(town_ids, from_, to, to)


def deputies_without_contact_in(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> QuerySet[Deputy]:
    """``deputies_without_contact`` over several towns (the district)."""
    return _without_contact(list(town_ids), from_, to, to)


def _without_contact(town_ids: list[int], from_: dt.date, to: dt.date, as_of: dt.date) -> QuerySet[Deputy]:
    contacted = PresidiumContact.objects.filter(town_id__in=town_ids, on__gte=from_, on__lte=min(to, as_of))
    return serving_deputies(town_ids, as_of).exclude(pk__in=contacted.values("deputy_id")).order_by("name", "id")


def voter_contact_counts(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> dict[int, int]:
    rows = (VoterContact.objects.filter(town_id__in=list(town_ids), on__gte=from_, on__lte=to)
            .order_by().values("deputy_id").annotate(n=Count("pk")))
    return {r["deputy_id"]: r["n"] for r in rows}


@dataclass
class VoterStanding:
    deputy: Deputy
    count: int
    target: float


def below_voter_target(town_ids: Iterable[int], from_: dt.date, to: dt.date, as_of: dt.date | None = None
                       ) -> list[VoterStanding]:
    """Serving deputies whose voter contacts in [from_, min(to, as_of)] are below their town's
    target, pro rata for the part of the period they served. One query: each serving deputy with
    their count of contacts and their town's voter contacts a year (its settings, or the default)."""
    town_ids = list(town_ids)
    as_of = as_of or to
    end = min(to, as_of)
    contacts = (VoterContact.objects.filter(deputy_id=OuterRef("pk"), town_id__in=town_ids, on__gte=from_, on__lte=end)
                .order_by().values("deputy_id").annotate(n=Count("pk")).values("n"))
    per_year = LiaisonSettings.objects.filter(town_id=OuterRef("town_id")).values("voter_contacts_per_year")[:1]
    default = LiaisonSettings._meta.get_field("voter_contacts_per_year").get_default()
    deputies = serving_deputies(town_ids, as_of).annotate(
        n_voter_contacts=Coalesce(Subquery(contacts), 0),
        voter_contacts_per_year=Coalesce(Subquery(per_year), default)).order_by("name", "id")
    out = []
    for d in deputies:
        span = targets.clip(from_, end, d.serving_from, d.serving_to)
        if span is None:
            continue
        owed = targets.voter_target(d.voter_contacts_per_year, *span)
        if d.n_voter_contacts < owed:
            out.append(VoterStanding(d, d.n_voter_contacts, float(owed)))
    return out


def settings_for_id(town_id: int) -> LiaisonSettings:
    return LiaisonSettings.objects.filter(town_id=town_id).first() or LiaisonSettings(town_id=town_id)


@dataclass
class PresidiumStanding:
    presidium_member: Deputy
    behind: list[Deputy] = field(default_factory=list)


def presidium_behind(town_ids: Iterable[int], start: dt.date, end: dt.date, presidium_member_id: int | None = None
                     ) -> list[PresidiumStanding]:
    """For the quarter [start, end] (up to ``end``): each presidium member with the assigned
    deputies they have contacted fewer times than the town's quarterly target."""
    town_ids = list(town_ids)
    today = end
    assignments = ContactAssignment.objects.filter(town_id__in=town_ids, is_active=True, deputy__is_active=True
                                                   ).select_related("presidium_member", "deputy")
    if presidium_member_id is not None:
        assignments = assignments.filter(presidium_member_id=presidium_member_id)
    counts = {(r["presidium_member_id"], r["deputy_id"]): r["n"] for r in PresidiumContact.objects.filter(
        town_id__in=town_ids, on__gte=start, on__lte=min(end, today)).order_by().values(
        "presidium_member_id", "deputy_id").annotate(n=Count("pk"))}
    per_quarter = {t: settings_for_id(t).presidium_contacts_per_quarter for t in town_ids}
    by_member: dict[int, PresidiumStanding] = {}
    for a in assignments.order_by("presidium_member__name", "deputy__name"):
        n = counts.get((a.presidium_member_id, a.deputy_id), 0)
        if targets.presidium_behind(n, per_quarter[a.town_id]):
            by_member.setdefault(a.presidium_member_id, PresidiumStanding(a.presidium_member)).behind.append(a.deputy)
    return list(by_member.values())


def groups_not_met(town_ids: Iterable[int], start: dt.date, end: dt.date) -> list[DeputyGroup]:
    """Active groups with fewer meetings in [start, end] than the town's quarterly target."""
    town_ids = list(town_ids)
    per_quarter = {t: settings_for_id(t).group_meetings_per_quarter for t in town_ids}
    groups = DeputyGroup.objects.filter(town_id__in=town_ids, is_active=True).annotate(
        n=Count("meetings", filter=Q(meetings__on__gte=start, meetings__on__lte=end))).order_by("name")
    return [g for g in groups if g.n < per_quarter[g.town_id]]


def receptions_in(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> QuerySet[Reception]:
    """Contact-station reception records dated in [from_, to] (``activities.receptions``)."""
    return Reception.objects.filter(town_id__in=list(town_ids), on__gte=from_, on__lte=to)


def receptions_count(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> int:
    return receptions_in(town_ids, from_, to).count()


def open_receptions(user: Any) -> QuerySet[Reception]:
    from renda.liaison.workflow import OPEN

    return receptions_visible_to(user).filter(state__in=[s.value for s in OPEN])


def voter_contact_records(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> QuerySet[VoterContact]:
    """Deputy–voter contact records dated in [from_, to] (``deputies.voter_contacts``)."""
    return VoterContact.objects.filter(town_id__in=list(town_ids), on__gte=from_, on__lte=to)


def presidium_contact_records(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> QuerySet[PresidiumContact]:
    """Presidium–deputy contact records dated in [from_, to] (``deputies.presidium_contacts``)."""
    return PresidiumContact.objects.filter(town_id__in=list(town_ids), on__gte=from_, on__lte=to)


def voter_contacts_in(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> int:
    return voter_contact_records(town_ids, from_, to).count()


def presidium_contacts_in(town_ids: Iterable[int], from_: dt.date, to: dt.date) -> int:
    return presidium_contact_records(town_ids, from_, to).count()


def without_contact_count(town_ids: Iterable[int], from_: dt.date, to: dt.date, as_of: dt.date) -> int:
    """``deputies.without_contact``: deputies serving at ``as_of`` with no presidium contact dated
    in [from_, min(to, as_of)]."""
    return _without_contact(list(town_ids), from_, to, as_of).count()


def without_contact_at(town_ids: Iterable[int], from_: dt.date, to: dt.date, as_of: dt.date) -> QuerySet[Deputy]:
    """The deputies ``without_contact_count`` counts, by name (the dashboards list them)."""
    return _without_contact(list(town_ids), from_, to, as_of)
