from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from tests.support import World

from renda.audit.models import AuditEvent
from renda.calendar_days import services, workdays
from renda.calendar_days.models import CalendarDay
from renda.core.errors import Forbidden, InvalidInput, NotFound
from renda.core.roles import Role

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def test_admin_override_wins_and_is_audited(world: World) -> None:
    admin = world.users[Role.ADMIN]
    assert workdays.is_workday(D("2023-01-28"))  # bundled: 春节 make-up working day
    day = services.calendar_day_set(actor=admin, date=D("2023-01-28"), kind="holiday", name=" 春节 ",
                                    note="测试调整")
    assert day.name == "春节"
    assert not workdays.is_workday(D("2023-01-28"))
    created = AuditEvent.objects.get(verb="calendar_day.create", target_id=str(day.pk))
    assert created.actor == admin and created.after is not None and created.after["kind"] == "holiday"

    # The same values again change nothing and record nothing.
    services.calendar_day_set(actor=admin, date=D("2023-01-28"), kind="holiday", name="春节", note="测试调整")
    assert not AuditEvent.objects.filter(verb="calendar_day.update").exists()

    services.calendar_day_set(actor=admin, date=D("2023-01-28"), kind="workday", name="春节")
    updated = AuditEvent.objects.get(verb="calendar_day.update", target_id=str(day.pk))
    assert updated.before is not None and updated.before["kind"] == "holiday"
    assert updated.after is not None and updated.after["kind"] == "workday" and updated.after["note"] == ""
    assert CalendarDay.objects.count() == 1

    services.calendar_day_delete(actor=admin, date=D("2023-01-28"))
    deleted = AuditEvent.objects.get(verb="calendar_day.delete", target_id=str(day.pk))
    assert deleted.actor == admin and deleted.after is None and deleted.before is not None
    assert not CalendarDay.objects.exists()
    assert workdays.is_workday(D("2023-01-28"))  # back to the bundled data


def test_admin_enters_a_new_year(world: World) -> None:
    admin = world.users[Role.ADMIN]
    assert 2027 not in workdays.known_years()
    services.calendar_day_set(actor=admin, date=D("2027-01-01"), kind="holiday", name="元旦")
    assert 2027 in workdays.known_years()
    assert workdays.next_workday(D("2027-01-01")) == D("2027-01-04")


def test_system_actor_may_change(db: None) -> None:
    services.calendar_day_set(actor=None, date=D("2027-01-01"), kind="holiday", name="元旦")
    event = AuditEvent.objects.get(verb="calendar_day.create")
    assert event.actor is None and event.actor_label == "系统"


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_non_admin_refused(world: World, role: str) -> None:
    user = world.users[role]
    with pytest.raises(Forbidden):
        services.calendar_day_set(actor=user, date=D("2027-01-01"), kind="holiday", name="元旦")
    services.calendar_day_set(actor=world.users[Role.ADMIN], date=D("2027-01-01"), kind="holiday", name="元旦")
    with pytest.raises(Forbidden):
        services.calendar_day_set(actor=user, date=D("2027-01-01"), kind="workday", name="元旦")
    with pytest.raises(Forbidden):
        services.calendar_day_delete(actor=user, date=D("2027-01-01"))
    assert CalendarDay.objects.get().kind == "holiday"
    assert AuditEvent.objects.filter(verb__startswith="calendar_day.").count() == 1


def test_anonymous_refused(db: None) -> None:
    with pytest.raises(Forbidden):
        services.calendar_day_set(actor=AnonymousUser(), date=D("2027-01-01"), kind="holiday", name="元旦")


def test_invalid_input(world: World) -> None:
    admin = world.users[Role.ADMIN]
    with pytest.raises(InvalidInput, match="节日名称") as exc:
        services.calendar_day_set(actor=admin, date=D("2027-01-01"), kind="holiday", name="  ")
    assert "name" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.calendar_day_set(actor=admin, date=D("2027-01-01"), kind="weekend", name="元旦")
    assert "kind" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        services.calendar_day_set(actor=admin, date=D("1999-01-01"), kind="holiday", name="元旦")
    assert "date" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.calendar_day_set(actor=admin, date=dt.datetime(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(NotFound):
        services.calendar_day_delete(actor=admin, date=D("2027-01-01"))
    assert not CalendarDay.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="calendar_day.").exists()
