"""The only writers of the working-day calendar: an administrator's override of one date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.calendar_days import policy
from renda.calendar_days.models import CalendarDay, DayKind
from renda.core.errors import InvalidInput, NotFound
from renda.core.services import create_audited, update_audited
from renda.core.types import Actor

MIN_YEAR = 2000
MAX_YEAR = 2099


def _check(*, date: Any, kind: str, name: str) -> None:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise InvalidInput(_("请填写正确的日期"), fields={"date": _("格式不正确")})
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise InvalidInput(_("日期须在{start}年至{end}年之间").format(start=MIN_YEAR, end=MAX_YEAR),
                           fields={"date": _("超出范围")})
    if kind not in DayKind.values:
        raise InvalidInput(_("请选择放假或调休上班"), fields={"kind": _("必填")})
    if not name:
        raise InvalidInput(_("请填写节日名称"), fields={"name": _("必填")})


@transaction.atomic
def calendar_day_set(*, actor: Actor, date: dt.date, kind: str, name: str, note: str = "") -> CalendarDay:
    """Add or change the override for ``date``; it wins over the bundled data.

    Changing an override to the values it already has records nothing."""
    name, note = name.strip(), note.strip()
    existing = None
    if isinstance(date, dt.date):
        existing = CalendarDay.objects.select_for_update().filter(date=date).first()
    if existing is None:
        day = CalendarDay(date=date, kind=kind, name=name, note=note)
        policy.require(actor, "create", day)
        _check(date=date, kind=kind, name=name)
        return create_audited(day, actor=actor, verb="calendar_day.create")
    policy.require(actor, "change", existing)
    _check(date=date, kind=kind, name=name)
    day, _changed = update_audited(existing, actor=actor, verb="calendar_day.update",
                                   changes={"kind": kind, "name": name, "note": note})
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Actor, date: dt.date) -> None:
    """Remove the override for ``date``: the bundled data (or the weekday rule) applies again."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise NotFound(_("{date}没有管理员录入的调整").format(date=date))
    policy.require(actor, "delete", day)
    record(actor=actor, verb="calendar_day.delete", target=day, before=snapshot(day), after=None)
    day.delete()
