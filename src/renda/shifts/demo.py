"""Demo duty shifts (信访值班), registered with ``renda demo`` (see ``renda.core.demo``).

1. **XX镇, the first half of 2023**: a shift at the reception office on every working day of the
   official calendar (元旦, 春节 1/21–1/27 with its make-up Saturdays, 清明, 劳动节, 端午 are
   skipped; 调休 weekends are worked), the five presidium members taking turns, two of them on
   the busier days. A few were absent and a few swapped with a colleague; the attended
   assignments add up to the report's **158** person-times (``petitions.duty_shifts``).
2. **Around today**: the roster of the current and the next month generated like the office
   would (``roster_generate``), past days attended, the rest scheduled, one swap ahead, and the
   demo deputy login on a shift of their own.

Built only through the services. Idempotent: a day that already has a shift is left alone, so a
second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from renda.accounts.demo import org
from renda.calendar_days import workdays
from renda.core.demo import Demo, step
from renda.people.models import Deputy
from renda.shifts import rotation, services
from renda.shifts.models import AssignmentState, DutyAssignment, DutyShift, Period

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
#: The report's number: presidium members on petition duty, person-times, 2023H1.
ATTENDED_H1 = 158
#: Slots (index into the half-year's slots, in date order) where the member was absent / swapped.
ABSENT_SLOTS = (17, 58, 101, 139)
SWAP_SLOTS = (33, 84, 120)
LOCATION = "镇信访接待室"


def half_year_plan(days: Sequence[dt.date], members: Sequence[Deputy]) -> list[tuple[dt.date, list[Deputy]]]:
    """Every working day one member, and on evenly spread days two, so that the slots minus the
    absences make ``ATTENDED_H1``; the members in turn."""
    slots = ATTENDED_H1 + len(ABSENT_SLOTS)
    extra = slots - len(days)
    assert 0 <= extra <= len(days), "the calendar does not fit the report's number"
    doubles = {days[(i * len(days)) // extra] for i in range(extra)} if extra else set()
    out: list[tuple[dt.date, list[Deputy]]] = []
    i = 0
    for d in days:
        n = 2 if d in doubles else 1
        out.append((d, [members[(i + k) % len(members)] for k in range(n)]))
        i += n
    return out


def _build_half_year(demo: Demo) -> int:
    w = org(demo)
    members = w.presidium
    cal = workdays.calendar()
    days = [d for d in rotation.month_days_between(*H1) if cal.is_workday(d)]
    existing = set(DutyShift.objects.filter(town=w.town, date__range=H1, period=Period.FULL_DAY)
                   .values_list("date", flat=True))
    slot = 0
    for d, people in half_year_plan(days, members):
        first_slot, slot = slot, slot + len(people)
        if d in existing:
            continue
        shift = services.shift_create(actor=None, town=w.town, date=d, location=LOCATION, deputies=people)
        demo.created["duty_shift"] += 1
        for k, a in enumerate(shift.assignments.order_by("id")):
            n = first_slot + k
            if n in ABSENT_SLOTS:
                services.assignment_record(actor=None, assignment_id=a.pk, state=AssignmentState.ABSENT,
                                           note="因公外出", on=d)
            elif n in SWAP_SLOTS:
                on_shift = {p.pk for p in people}
                stand_in = next(m for m in members[n % len(members):] + members if m.pk not in on_shift)
                new = services.assignment_swap(actor=None, assignment_id=a.pk, replacement=stand_in,
                                               note="临时有事调班", on=d)
                assert new is not None
                services.assignment_record(actor=None, assignment_id=new.pk, state=AssignmentState.ATTENDED, on=d)
            else:
                services.assignment_record(actor=None, assignment_id=a.pk, state=AssignmentState.ATTENDED, on=d)
    return DutyAssignment.objects.filter(shift__town=w.town, shift__date__range=H1,
                                         state=AssignmentState.ATTENDED).count()


def _build_around_today(demo: Demo) -> None:
    w = org(demo)
    today = timezone.localdate()
    made: list[DutyShift] = []
    for delta in (0, 1):
        year, month = rotation.shift_month(today.year, today.month, delta)
        made += services.roster_generate(actor=None, town=w.town, year=year, month=month, per_day=1,
                                         location=LOCATION)
    demo.created["duty_shift"] += len(made)
    if not made:
        return
    ids = [s.pk for s in made]
    for a in DutyAssignment.objects.filter(shift_id__in=ids, shift__date__lt=today).select_related("shift"):
        services.assignment_record(actor=None, assignment_id=a.pk, state=AssignmentState.ATTENDED, on=a.shift.date)
    ahead = [s for s in made if s.date > today]
    if len(ahead) >= 2:
        # A swap a few days ahead, and the demo deputy beside a presidium member on another day.
        first = ahead[0].assignments.order_by("id").first()
        if first is not None:
            stand_in = next(m for m in w.presidium if m.pk != first.deputy_id)
            services.assignment_swap(actor=None, assignment_id=first.pk, replacement=stand_in, note="外出开会，调班")
        login = w.users.get("deputy")
        deputy = login.deputy if login is not None else None
        if deputy is not None:
            services.assignment_add(actor=None, shift_id=ahead[1].pk, deputy=deputy, note="代表参加接访")


@step("duty_shifts", order=1100, labels={"duty_shift": "信访值班"})
def build_duty_shifts(demo: Demo) -> None:
    """After suggestions (1000), before petitions: a petition may be linked to its shift."""
    attended = _build_half_year(demo)
    _build_around_today(demo)
    total = DutyShift.objects.filter(town=org(demo).town).count()
    demo.out(f"信访值班：XX镇 {total} 个班次（2023年上半年到岗 {attended} 人次）")
