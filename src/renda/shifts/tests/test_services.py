"""The shift services: create, generate a month from the calendar, add/remove people, swap,
exchange, attendance (single and for a day), each audited and on the shift's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.support import World, make_deputy

from renda.audit.models import AuditEvent
from renda.core.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.shifts import selectors, services
from renda.shifts.models import DutyAssignment, DutyLog, DutyShift
from renda.shifts.tests.helpers import D, shift

pytestmark = pytest.mark.django_db


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def test_create_shift_with_people_is_audited_and_on_the_timeline(world: World) -> None:
    s = shift(world, deputies=[world.presidium_deputy, world.deputy], location="镇信访接待室")
    assert s.location == "镇信访接待室"
    assert list(s.assignments.values_list("deputy_id", "state")) == [
        (world.presidium_deputy.pk, "scheduled"), (world.deputy.pk, "scheduled")]
    assert events("duty_shift.create") == 1 and events("duty_assignment.add") == 2
    ev = AuditEvent.objects.filter(verb="duty_assignment.add").first()
    assert ev is not None and ev.town_id == world.town.pk
    assert [e.action for e in DutyLog.objects.filter(shift=s)] == ["create", "add", "add"]
    with pytest.raises(InvalidInput, match="已有值班安排"):
        shift(world)


def test_create_refuses_other_towns_people_and_non_staff(world: World) -> None:
    with pytest.raises(InvalidInput, match="不是本镇街的代表"):
        shift(world, deputies=[world.other_deputy])
    assert not DutyShift.objects.exists()
    for role in (Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN, Role.UNIT):
        with pytest.raises(Forbidden):
            services.shift_create(actor=world.users[role], town=world.town, date=D("2023-03-01"))
    with pytest.raises(Forbidden):
        services.shift_create(actor=world.other_staff, town=world.town, date=D("2023-03-01"))


def test_generate_month_follows_the_calendar_and_rotates_the_presidium(world: World) -> None:
    members = [world.presidium_deputy, make_deputy(world.town, is_presidium=True),
               make_deputy(world.town, is_presidium=True)]
    staff = world.users[Role.STAFF]
    # January 2023: 元旦 (1/2) and 春节 (1/21–1/27) are off; Saturday 1/28 and Sunday 1/29 are worked.
    plan = selectors.month_plan(town=world.town, year=2023, month=1, per_day=2)
    assert plan.members == members
    days = [d.date for d in plan.days]
    assert D("2023-01-02") not in days and D("2023-01-23") not in days and D("2023-01-27") not in days
    assert D("2023-01-28") in days and D("2023-01-29") in days and D("2023-01-03") in days
    assert len(days) == 18
    made = services.roster_generate(actor=staff, town=world.town, year=2023, month=1, per_day=2, location="接待室")
    assert [s.date for s in made] == days
    first = [list(s.assignments.order_by("id").values_list("deputy_id", flat=True)) for s in made[:3]]
    m = [d.pk for d in members]
    assert first == [[m[0], m[1]], [m[2], m[0]], [m[1], m[2]]]
    assert DutyAssignment.objects.count() == 36
    # Running it again adds nothing; the next month goes on from whoever was last.
    assert services.roster_generate(actor=staff, town=world.town, year=2023, month=1, per_day=2) == []
    last = made[-1].assignments.order_by("id").last()
    assert last is not None
    feb = services.roster_generate(actor=staff, town=world.town, year=2023, month=2, per_day=1)
    first_feb = feb[0].assignments.get()
    assert first_feb.deputy_id == m[(m.index(last.deputy_id) + 1) % 3]
    with pytest.raises(InvalidInput, match="不能多于主席团成员人数"):
        services.roster_generate(actor=staff, town=world.town, year=2023, month=3, per_day=4)


def test_add_any_deputy_of_the_town_and_remove_only_scheduled(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = shift(world)
    a = services.assignment_add(actor=staff, shift_id=s.pk, deputy=world.plain_deputy, note="代表参加接访")
    assert a.deputy == world.plain_deputy and a.note == "代表参加接访"
    with pytest.raises(InvalidInput, match="已在"):
        services.assignment_add(actor=staff, shift_id=s.pk, deputy=world.plain_deputy)
    services.assignment_remove(actor=staff, assignment_id=a.pk)
    assert not DutyAssignment.objects.filter(pk=a.pk).exists()
    assert events("duty_assignment.remove") == 1
    assert DutyLog.objects.filter(shift=s, action="remove").exists()
    p = s.assignments.get()
    services.assignment_record(actor=staff, assignment_id=p.pk, state="attended")
    with pytest.raises(IllegalTransition):
        services.assignment_remove(actor=staff, assignment_id=p.pk)


def test_swap_marks_the_old_row_and_links_the_new_one(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = shift(world)
    a = s.assignments.get()
    new = services.assignment_swap(actor=staff, assignment_id=a.pk, replacement=world.deputy, note="外出开会")
    assert new is not None and new.replaces_id == a.pk and new.state == "scheduled"
    a.refresh_from_db()
    assert a.state == "swapped" and a.note == "外出开会"
    assert events("duty_assignment.swap") == 1 and events("duty_assignment.add") == 2
    assert "调班" in DutyLog.objects.filter(shift=s, action="swap").get().text
    with pytest.raises(IllegalTransition):
        services.assignment_swap(actor=staff, assignment_id=a.pk, replacement=world.plain_deputy)
    with pytest.raises(IllegalTransition):  # the replaced row is kept on record
        services.assignment_remove(actor=staff, assignment_id=a.pk)
    with pytest.raises(InvalidInput, match="已在"):  # the person swapped out is still on the shift's record
        services.assignment_swap(actor=staff, assignment_id=new.pk, replacement=world.presidium_deputy)
    with pytest.raises(InvalidInput, match="本人"):
        services.assignment_swap(actor=staff, assignment_id=new.pk, replacement=new.deputy)


def test_exchange_trades_two_shifts(world: World) -> None:
    staff = world.users[Role.STAFF]
    x = shift(world, on=D("2023-03-01"), deputies=[world.presidium_deputy])
    y = shift(world, on=D("2023-03-02"), deputies=[world.deputy])
    a, b = x.assignments.get(), y.assignments.get()
    b_on_x, a_on_y = services.assignment_exchange(actor=staff, assignment_id=a.pk, other_id=b.pk, note="互换")
    assert (b_on_x.shift_id, b_on_x.deputy_id, b_on_x.replaces_id) == (x.pk, world.deputy.pk, a.pk)
    assert (a_on_y.shift_id, a_on_y.deputy_id, a_on_y.replaces_id) == (y.pk, world.presidium_deputy.pk, b.pk)
    assert set(DutyAssignment.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {"swapped"}
    assert events("duty_assignment.swap") == 2
    assert DutyLog.objects.filter(action="exchange").count() == 2
    with pytest.raises(InvalidInput):
        services.assignment_exchange(actor=staff, assignment_id=b_on_x.pk, other_id=b_on_x.pk)


def test_attendance_single_and_for_a_day(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = shift(world, deputies=[world.presidium_deputy, world.deputy])
    a, b = s.assignments.order_by("id")
    n = services.attendance_record_day(actor=staff, town=world.town, date=s.date,
                                       states={a.pk: "attended", b.pk: "absent"})
    assert n == 2
    assert dict(s.assignments.values_list("deputy_id", "state")) == {world.presidium_deputy.pk: "attended",
                                                                       world.deputy.pk: "absent"}
    assert events("duty_assignment.attend") == 1 and events("duty_assignment.absent") == 1
    # The same again changes nothing and writes nothing.
    assert services.attendance_record_day(actor=staff, town=world.town, date=s.date,
                                          states={a.pk: "attended", b.pk: "absent"}) == 0
    assert events("duty_assignment.attend") == 1
    # Corrections, and back to scheduled.
    services.assignment_record(actor=staff, assignment_id=b.pk, state="attended")
    services.assignment_record(actor=staff, assignment_id=a.pk, state="scheduled")
    assert selectors.attended_count(town_ids=[world.town.pk], start=s.date, end=s.date) == 1
    # Another town's assignment in the day's form: nothing changes.
    other = shift(world, town=world.other_town, deputies=[world.other_deputy])
    with pytest.raises(NotFound):
        services.attendance_record_day(actor=staff, town=world.town, date=s.date,
                                       states={other.assignments.get().pk: "attended"})


def test_attendance_ahead_of_the_day_is_refused(world: World) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    s = shift(world, on=tomorrow)
    a = s.assignments.get()
    with pytest.raises(InvalidInput, match="尚未到来"):
        services.assignment_record(actor=world.users[Role.STAFF], assignment_id=a.pk, state="attended")
    with pytest.raises(InvalidInput):
        services.assignment_record(actor=world.users[Role.STAFF], assignment_id=a.pk, state="swapped")


def test_update_and_delete_shift(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = shift(world)
    _s, changed = services.shift_update(actor=staff, shift_id=s.pk, location="便民服务中心", note="")
    assert changed and events("duty_shift.update") == 1
    assert services.shift_update(actor=staff, shift_id=s.pk, location="便民服务中心")[1] is False
    with pytest.raises(InvalidInput):
        services.shift_update(actor=staff, shift_id=s.pk, location=" ")
    services.shift_delete(actor=staff, shift_id=s.pk)
    assert not DutyShift.objects.exists() and events("duty_shift.delete") == 1
    t = shift(world)
    services.assignment_record(actor=staff, assignment_id=t.assignments.get().pk, state="attended")
    with pytest.raises(InvalidInput, match="不能删除"):
        services.shift_delete(actor=staff, shift_id=t.pk)


def test_person_times_count_only_attended(world: World) -> None:
    staff = world.users[Role.STAFF]
    for day in ("2023-03-01", "2023-03-02", "2023-04-03"):
        s = shift(world, on=D(day), deputies=[world.presidium_deputy, world.deputy])
        a, b = s.assignments.order_by("id")
        services.assignment_record(actor=staff, assignment_id=a.pk, state="attended")
        services.assignment_record(actor=staff, assignment_id=b.pk, state="absent")
    rows = selectors.person_times(staff, town=world.town, start=D("2023-03-01"), end=D("2023-03-31"))
    assert [(r["deputy_id"], r["attended"], r["absent"]) for r in rows] == [
        (world.presidium_deputy.pk, 2, 0), (world.deputy.pk, 0, 2)]
    assert selectors.monthly_totals(staff, town=world.town) == [{"month": "2023-03", "attended": 2},
                                                                {"month": "2023-04", "attended": 1}]
    assert selectors.attended_count(town_ids=None, start=D("2023-01-01"), end=D("2023-06-30")) == 3
