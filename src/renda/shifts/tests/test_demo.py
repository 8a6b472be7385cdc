"""The duty-shift part of ``renda demo``: XX镇's 158 attended person-times in 2023H1 on working
days, a few absences and swaps, the roster around today; idempotent."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from tests.support import built_once

from renda.audit import context
from renda.audit.models import AuditEvent
from renda.calendar_days import workdays
from renda.core.demo import TOWN_CODE, Demo, steps
from renda.shifts import selectors
from renda.shifts.models import DutyAssignment, DutyShift

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


def run_until_shifts() -> None:
    """``renda demo`` up to and including this step (later apps' steps are tested by them)."""
    demo = Demo()
    with context.bind(request_id=uuid.uuid4().hex, source="command"), transaction.atomic():
        for s in steps():
            if s.order <= 1100:
                s.fn(demo)


def test_step_runs_after_suggestions_and_before_petitions() -> None:
    order = {s.name: s.order for s in steps()}
    assert order["suggestions"] < order["duty_shifts"] == 1100
    if "petitions" in order:
        assert order["duty_shifts"] < order["petitions"]


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_until_shifts)


@pytest.mark.usefixtures("built", "db")
class TestDemo:
    def test_158_attended_person_times_in_2023h1(self) -> None:
        # The METRICS definition of petitions.duty_shifts: attended assignments dated in the period.
        n = DutyAssignment.objects.filter(state="attended", shift__date__range=H1,
                                          shift__town__code=TOWN_CODE).count()
        assert n == 158
        town = DutyShift.objects.filter(town__code=TOWN_CODE).first()
        assert town is not None
        assert selectors.attended_count(town_ids=[town.town_id], start=H1[0], end=H1[1]) == 158

    def test_shifts_on_working_days_by_presidium_members_with_absences_and_swaps(self) -> None:
        cal = workdays.calendar()
        dates = list(DutyShift.objects.filter(town__code=TOWN_CODE, date__range=H1).values_list("date", flat=True))
        assert dates and all(cal.is_workday(d) for d in dates)
        assert dt.date(2023, 1, 28) in dates  # 调休 Saturday worked
        assert not any(dt.date(2023, 1, 21) <= d <= dt.date(2023, 1, 27) for d in dates)  # 春节
        assert dt.date(2023, 4, 5) not in dates and dt.date(2023, 6, 22) not in dates
        h1 = DutyAssignment.objects.filter(shift__town__code=TOWN_CODE, shift__date__range=H1)
        assert set(h1.values_list("deputy__is_presidium", flat=True)) == {True}
        assert len(set(h1.values_list("deputy_id", flat=True))) == 5
        assert h1.filter(state="absent").count() == 4
        assert h1.filter(state="swapped").count() == 3
        assert h1.filter(replaces__isnull=False, state="attended").count() == 3
        assert not h1.filter(state="scheduled").exists()

    def test_roster_around_today(self) -> None:
        today = timezone.localdate()
        around = DutyAssignment.objects.filter(shift__town__code=TOWN_CODE, shift__date__year__gte=today.year,
                                               shift__date__gte=today.replace(day=1))
        assert around.filter(shift__date__lt=today, state="attended").exists() or today.day <= 3
        assert around.filter(shift__date__gt=today, state="scheduled").exists()
        assert not around.filter(shift__date__gt=today, state__in=["attended", "absent"]).exists()
        assert around.filter(deputy__is_presidium=False).exists()  # the demo deputy's shift

    def test_second_run_creates_nothing(self) -> None:
        shifts, events = DutyShift.objects.count(), AuditEvent.objects.count()
        run_until_shifts()
        assert (DutyShift.objects.count(), AuditEvent.objects.count()) == (shifts, events)
