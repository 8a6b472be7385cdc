"""Reads of duty shifts, already restricted to what the user may see: the month roster, the
generation plan, person-times (人次) and the shift's visits and timeline."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from renda.calendar_days import workdays
from renda.core.policy import sees_every_town
from renda.people.models import Deputy
from renda.places.models import Level, Region
from renda.shifts import policy, rotation
from renda.shifts.models import AssignmentState, DutyAssignment, DutyLog, DutyShift, Period

#: Periods in the order of a day.
PERIOD_ORDER = {Period.FULL_DAY: 0, Period.MORNING: 1, Period.AFTERNOON: 2}


def period_rank(field_name: str = "period") -> Case:
    """An expression ordering periods as in a day: 全天, 上午, 下午."""
    return Case(*(When(**{field_name: p}, then=Value(r)) for p, r in PERIOD_ORDER.items()),
                default=Value(9), output_field=IntegerField())


def _town_q(user: Any, field_name: str) -> Q | None:
    """None: every town; else the filter of the user's town (``pk__in=[]`` when they have none)."""
    if sees_every_town(user):
        return None
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.role not in policy.READERS \
            or not user.town_id:
        return Q(pk__in=[])
    return Q(**{field_name: user.town_id})


def towns_visible_to(user: Any) -> QuerySet[Region]:
    """The towns whose roster the user may read."""
    qs = Region.objects.filter(level=Level.TOWN).order_by("code")
    q = _town_q(user, "pk")
    return qs if q is None else qs.filter(q)


def shifts_visible_to(user: Any) -> QuerySet[DutyShift]:
    qs = DutyShift.objects.select_related("town")
    q = _town_q(user, "town_id")
    return qs if q is None else qs.filter(q)


def assignments_visible_to(user: Any) -> QuerySet[DutyAssignment]:
    qs = DutyAssignment.objects.select_related("shift", "shift__town", "deputy", "replaces__deputy")
    q = _town_q(user, "shift__town_id")
    return qs if q is None else qs.filter(q)


def with_people(qs: QuerySet[DutyShift]) -> QuerySet[DutyShift]:
    """Shifts with their assignments (deputy and the person replaced) in two queries."""
    people = DutyAssignment.objects.select_related("deputy", "replaces__deputy").order_by("id")
    return qs.prefetch_related(Prefetch("assignments", queryset=people))


def in_range(qs: QuerySet[DutyShift], start: dt.date | None, end: dt.date | None) -> QuerySet[DutyShift]:
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return qs


# --- people ---------------------------------------------------------------------------------


def serving(on: dt.date) -> Q:
    return (Q(is_active=True) & (Q(serving_from__isnull=True) | Q(serving_from__lte=on))
            & (Q(serving_to__isnull=True) | Q(serving_to__gte=on)))


def rotation_members(town: Region, on: dt.date) -> list[Deputy]:
    """The presidium members of ``town`` serving on ``on``, in a stable order (主席 first, as
    they were entered)."""
    return list(Deputy.objects.filter(serving(on), town=town, is_presidium=True).order_by("id"))


def eligible_deputies(town_id: int) -> QuerySet[Deputy]:
    """Who may be put on a shift of the town: its active deputies, presidium members first."""
    return Deputy.objects.filter(town_id=town_id, is_active=True).order_by("-is_presidium", "name", "id")


# --- the generation plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedDay:
    date: dt.date
    people: list[Deputy]
    exists: bool  # a shift of that period is already there: generation leaves the day alone


@dataclass(frozen=True)
class MonthPlan:
    town: Region
    year: int
    month: int
    period: str
    per_day: int
    members: list[Deputy]
    days: list[PlannedDay]

    @property
    def new_days(self) -> list[PlannedDay]:
        return [d for d in self.days if not d.exists]

    @property
    def new_assignments(self) -> int:
        return sum(len(d.people) for d in self.new_days)


def month_plan(*, town: Region, year: int, month: int, per_day: int, period: str = Period.FULL_DAY) -> MonthPlan:
    """One shift per working day of the month (the official calendar with 调休) without a shift
    of ``period`` yet, with ``per_day`` presidium members each, in turn, going on from whoever
    was last on duty before the month."""
    first, last = rotation.month_bounds(year, month)
    cal = workdays.calendar()
    days = [d for d in rotation.month_days(year, month) if cal.is_workday(d)]
    members = rotation_members(town, first)
    existing = set(DutyShift.objects.filter(town=town, date__range=(first, last), period=period)
                   .values_list("date", flat=True))
    free = [d for d in days if d not in existing]
    previous = (DutyAssignment.objects.filter(shift__town=town, shift__date__lt=free[0] if free else first,
                                              deputy__in=members)
                .order_by("-shift__date", "-shift__period", "-id").select_related("deputy").first())
    start = rotation.next_start(members, previous.deputy if previous else None)
    planned = dict(rotation.rotate(free, members, per_day, start))
    return MonthPlan(town=town, year=year, month=month, period=period, per_day=per_day, members=members,
                     days=[PlannedDay(d, planned.get(d, []), d in existing) for d in days])


# --- the month roster -----------------------------------------------------------------------------


@dataclass
class PersonTimes:
    deputy: Deputy
    attended: int = 0
    absent: int = 0
    swapped: int = 0
    scheduled: int = 0

    @property
    def total(self) -> int:
        return self.attended + self.absent + self.swapped + self.scheduled


@dataclass
class Roster:
    town: Region
    year: int
    month: int
    shifts: list[DutyShift]
    by_date: dict[dt.date, list[DutyShift]]
    weeks: list[list[dict[str, Any] | None]]
    days: list[dict[str, Any]]  # the list view: days with a shift or working days
    people: list[PersonTimes]
    attended: int
    scheduled: int
    absent: int
    mine: int = 0
    flags: dict[str, Any] = field(default_factory=dict)


def _tally(assignments: list[DutyAssignment]) -> list[PersonTimes]:
    rows: dict[int, PersonTimes] = {}
    for a in assignments:
        row = rows.setdefault(a.deputy_id, PersonTimes(a.deputy))
        setattr(row, a.state, getattr(row, a.state) + 1)
    return sorted(rows.values(), key=lambda r: (-r.attended, -r.total, r.deputy.name, r.deputy.pk))


def month_roster(user: Any, *, town: Region, year: int, month: int) -> Roster:
    """The roster of ``town`` for one month, in a fixed number of queries: the shifts with their
    people, the calendar (one query for the overrides), per-person and month totals."""
    first, last = rotation.month_bounds(year, month)
    shifts = list(with_people(shifts_visible_to(user).filter(town=town, date__range=(first, last))))
    shifts.sort(key=lambda s: (s.date, PERIOD_ORDER.get(Period(s.period), 9), s.pk))
    by_date: dict[dt.date, list[DutyShift]] = defaultdict(list)
    for s in shifts:
        by_date[s.date].append(s)
    cal = workdays.calendar()
    deputy_id = getattr(user, "deputy_id", None)
    cells: dict[dt.date, dict[str, Any]] = {}
    for d in rotation.month_days(year, month):
        cells[d] = {"date": d, "workday": cal.is_workday(d), "shifts": by_date.get(d, []),
                    "mine": any(a.deputy_id == deputy_id for s in by_date.get(d, []) for a in s.assignments.all())
                    if deputy_id else False}
    weeks = [[cells[d] if d is not None else None for d in week] for week in rotation.weeks(year, month)]
    days = [c for c in cells.values() if c["workday"] or c["shifts"]]
    everyone = [a for s in shifts for a in s.assignments.all()]
    counts = Counter(a.state for a in everyone)
    return Roster(
        town=town, year=year, month=month, shifts=shifts, by_date=dict(by_date), weeks=weeks, days=days,
        people=_tally(everyone), attended=counts[AssignmentState.ATTENDED],
        scheduled=counts[AssignmentState.SCHEDULED], absent=counts[AssignmentState.ABSENT],
        mine=sum(1 for a in everyone if deputy_id and a.deputy_id == deputy_id),
    )


# --- person-times (人次) ---------------------------------------------------------------------------


def person_times(user: Any, *, town: Region | None = None, start: dt.date | None = None,
                 end: dt.date | None = None) -> list[dict[str, Any]]:
    """Per person: attended (人次), absent, swapped and still scheduled, in one query; sorted by
    attended, most first."""
    qs = assignments_visible_to(user)
    if town is not None:
        qs = qs.filter(shift__town=town)
    if start is not None:
        qs = qs.filter(shift__date__gte=start)
    if end is not None:
        qs = qs.filter(shift__date__lte=end)
    rows = (qs.values("deputy_id", "deputy__name", "deputy__is_presidium", "shift__town__name")
            .annotate(attended=Count("pk", filter=Q(state=AssignmentState.ATTENDED)),
                      absent=Count("pk", filter=Q(state=AssignmentState.ABSENT)),
                      swapped=Count("pk", filter=Q(state=AssignmentState.SWAPPED)),
                      scheduled=Count("pk", filter=Q(state=AssignmentState.SCHEDULED)))
            .order_by("-attended", "deputy__name", "deputy_id"))
    return list(rows)


def monthly_totals(user: Any, *, town: Region | None = None, start: dt.date | None = None,
                   end: dt.date | None = None) -> list[dict[str, Any]]:
    """Attended person-times per month (``YYYY-MM``), in date order."""
    qs = assignments_visible_to(user).filter(state=AssignmentState.ATTENDED)
    if town is not None:
        qs = qs.filter(shift__town=town)
    if start is not None:
        qs = qs.filter(shift__date__gte=start)
    if end is not None:
        qs = qs.filter(shift__date__lte=end)
    months: Counter[str] = Counter(d.strftime("%Y-%m") for d in qs.values_list("shift__date", flat=True))
    return [{"month": m, "attended": n} for m, n in sorted(months.items())]


def attended(*, town_ids: list[int] | None, start: dt.date, end: dt.date) -> QuerySet[DutyAssignment]:
    """The ``petitions.duty_shifts`` indicator: attended assignments (人次) on shifts dated in
    [start, end], of the given towns (None: every town). For ``reports.metrics``."""
    qs = DutyAssignment.objects.filter(state=AssignmentState.ATTENDED, shift__date__range=(start, end))
    if town_ids is not None:
        qs = qs.filter(shift__town_id__in=town_ids)
    return qs


def attended_count(*, town_ids: list[int] | None, start: dt.date, end: dt.date) -> int:
    """How many ``attended`` counts."""
    return attended(town_ids=town_ids, start=start, end=end).count()


# --- one shift --------------------------------------------------------------------------------------


# The visits (接访) of a shift: the items received during it, which another app records and
# links to the shift (petitions: ``Petition.duty_shift``). shifts does not know that app: the app
# registers a provider at start-up (its ``AppConfig.ready``); without one a shift has no visits.

#: How many visits the shift page lists at most.
VISITS_SHOWN = 200


@dataclass(frozen=True)
class VisitsProvider:
    #: ``(user, shift, limit)``: the visits of the shift that the user may see, at most ``limit``, in order.
    visible: Callable[[Any, DutyShift, int], Sequence[Any]]
    #: ``shift``: whether any visit is linked to the shift, whoever may see it.
    exists: Callable[[DutyShift], bool]


_VISIT_PROVIDERS: dict[str, VisitsProvider] = {}


def register_visits(name: str, *, visible: Callable[[Any, DutyShift, int], Sequence[Any]],
                    exists: Callable[[DutyShift], bool]) -> None:
    """Plug in the visits that app ``name`` links to shifts (registering the same name again
    replaces its provider)."""
    _VISIT_PROVIDERS[name] = VisitsProvider(visible=visible, exists=exists)


def visits_installed() -> bool:
    """Whether an installed app records visits on shifts (the shift page then has a visits list)."""
    return bool(_VISIT_PROVIDERS)


def visits_for(user: Any, shift: DutyShift) -> list[Any]:
    """The visits received during the shift that the user may see (each provider scopes its
    own); empty when no app provides visits or for roles that do not read them."""
    if not policy.can_see_visits(user):
        return []
    found: list[Any] = []
    for provider in _VISIT_PROVIDERS.values():
        found.extend(provider.visible(user, shift, VISITS_SHOWN - len(found)))
        if len(found) >= VISITS_SHOWN:
            break
    return found[:VISITS_SHOWN]


def has_visits(shift: DutyShift) -> bool:
    """Whether any visit is linked to the shift (a shift with visits may not be deleted)."""
    return any(provider.exists(shift) for provider in _VISIT_PROVIDERS.values())


def town_shifts(town_id: int | None) -> QuerySet[DutyShift]:
    """The shifts of one town, for another app to choose from (a visit's 接访值班); not scoped
    to a user: the caller has scoped the town."""
    return DutyShift.objects.filter(town_id=town_id)


def first_shift_on(town_id: int, on: dt.date) -> DutyShift | None:
    """The town's first shift of the day ``on`` (by period, then as entered), or None."""
    return town_shifts(town_id).filter(date=on).order_by("period", "id").first()


def timeline(shift: DutyShift) -> QuerySet[DutyLog]:
    return shift.log.select_related("actor").order_by("at", "id")


def upcoming_scheduled(user: Any, *, town_id: int, exclude_shift_id: int, today: dt.date) -> QuerySet[DutyAssignment]:
    """Scheduled assignments of the town from today on, on other shifts: the partners a person
    may exchange shifts with (互换班次)."""
    return (assignments_visible_to(user)
            .filter(shift__town_id=town_id, state=AssignmentState.SCHEDULED, shift__date__gte=today)
            .exclude(shift_id=exclude_shift_id).order_by("shift__date", "shift__period", "deputy__name"))
