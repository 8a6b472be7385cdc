"""The only writers of duty shifts (信访值班): one keyword-only, typed function per verb.

Each runs in one transaction and: locks the row it changes (``core.services.lock``); checks the
policy (404/403); asks the workflow table for the next state (``IllegalTransition``); writes
the change, a timeline row (``DutyLog``) and an audit event with before/after snapshots.

``on`` is the business date of a step (the day attendance was taken, the day of a swap); it
defaults to today and may be earlier, so that imports and the demo can write history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core.errors import InvalidInput, NotFound
from renda.core.services import (
    actor_label,
    actor_user,
    business_at,
    create_audited,
    full_clean,
    lock,
    update_audited,
)
from renda.core.types import Actor
from renda.people.models import Deputy
from renda.places.models import Region
from renda.places.services import check_places
from renda.shifts import policy, selectors, workflow
from renda.shifts.models import AssignmentState, DutyAssignment, DutyLog, DutyShift, LogAction, Period
from renda.shifts.workflow import Action, State

DEFAULT_LOCATION = "信访接待室"
_UNSET: Any = object()


# --- helpers ------------------------------------------------------------------------------


def _log(shift: DutyShift, *, action: str, text: str, actor: Actor, on: dt.date | None = None) -> DutyLog:
    return DutyLog.objects.create(shift=shift, action=action, text=text[:300],
                                  actor=actor_user(actor), actor_label=actor_label(actor),
                                  at=business_at(on))


def _check_deputy(shift: DutyShift, deputy: Deputy, *, field: str = "deputy") -> None:
    if deputy.town_id != shift.town_id:
        raise InvalidInput(_("「{name}」不是本镇街的代表").format(name=deputy.name), fields={field: _("不属于本镇街")})
    if not deputy.is_active:
        raise InvalidInput(_("「{name}」已停用，不能排班").format(name=deputy.name), fields={field: _("已停用")})
    if DutyAssignment.objects.filter(shift=shift, deputy=deputy).exists():
        raise InvalidInput(_("「{name}」已在 {shift} 的班次中").format(name=deputy.name, shift=shift),
                           fields={field: _("已在该班次")})


def _open_assignment(actor: Actor, assignment_id: int, action: str) -> DutyAssignment:
    a = lock(DutyAssignment, assignment_id)
    policy.require(actor, action, a)
    return a


def _snap(a: DutyAssignment) -> dict[str, Any]:
    return snapshot(a)


def _insert(shift: DutyShift, deputy: Deputy, *, actor: Actor, note: str = "", replaces: DutyAssignment | None = None,
            state: str = workflow.INITIAL) -> DutyAssignment:
    a = DutyAssignment(shift=shift, deputy=deputy, note=note.strip()[:200], replaces=replaces, state=state)
    return create_audited(a, actor=actor, verb="duty_assignment.add")


# --- shifts ---------------------------------------------------------------------------------


@transaction.atomic
def shift_create(
    *,
    actor: Actor,
    town: Region,
    date: dt.date,
    period: str = Period.FULL_DAY,
    location: str = "",
    note: str = "",
    deputies: Sequence[Deputy] = (),
) -> DutyShift:
    """排班: a shift of ``town`` on ``date`` (one per period), with its first people."""
    shift = DutyShift(town=town, date=date, period=period, location=(location or "").strip() or DEFAULT_LOCATION,
                      note=(note or "").strip())
    policy.require(actor, "create", shift)
    check_places(town)
    if period not in Period.values:
        raise InvalidInput(_("时段不正确"), fields={"period": _("不正确")})
    if DutyShift.objects.filter(town=town, date=date, period=period).exists():
        raise InvalidInput(
            _("{town} {date} {period}已有值班安排").format(town=town.name, date=date.isoformat(),
                                                     period=Period(period).label),
            fields={"date": _("已有值班安排")},
        )
    create_audited(shift, actor=actor, verb="duty_shift.create")
    text = _("排班：{shift}，{location}").format(shift=shift, location=shift.location)
    _log(shift, action=LogAction.CREATE, text=text, actor=actor)
    for deputy in dict.fromkeys(deputies):
        _check_deputy(shift, deputy, field="deputies")
        _insert(shift, deputy, actor=actor)
        _log(shift, action=LogAction.ADD, text=_("安排「{name}」值班").format(name=deputy.name), actor=actor)
    return shift


@transaction.atomic
def shift_update(*, actor: Actor, shift_id: int, location: str = _UNSET, note: str = _UNSET) -> tuple[DutyShift, bool]:
    """修改班次: the place and the note (date and period are the shift's identity)."""
    shift = lock(DutyShift, shift_id)
    policy.require(actor, "change", shift)
    changes: dict[str, Any] = {}
    if location is not _UNSET:
        location = (location or "").strip()
        if not location:
            raise InvalidInput(_("请填写值班地点"), fields={"location": _("必填")})
        changes["location"] = location
    if note is not _UNSET:
        changes["note"] = (note or "").strip()
    shift, changed = update_audited(shift, actor=actor, verb="duty_shift.update", changes=changes)
    if changed:
        text = _("修改班次：{location}").format(location=shift.location)
        _log(shift, action=LogAction.UPDATE, text=text, actor=actor)
    return shift, changed


@transaction.atomic
def shift_delete(*, actor: Actor, shift_id: int) -> None:
    """删除班次: only while no one's attendance is recorded, no one swapped and no visit linked."""
    shift = lock(DutyShift, shift_id)
    policy.require(actor, "delete", shift)
    workflow.check_shift_deletable(states=shift.assignments.values_list("state", flat=True),
                                   visits=selectors.has_visits(shift))
    for a in list(shift.assignments.order_by("id")):
        record(actor=actor, verb="duty_assignment.remove", target=a, before=_snap(a), after=None)
    record(actor=actor, verb="duty_shift.delete", target=shift, before=snapshot(shift), after=None)
    shift.delete()


@transaction.atomic
def roster_generate(
    *,
    actor: Actor,
    town: Region,
    year: int,
    month: int,
    per_day: int = 1,
    period: str = Period.FULL_DAY,
    location: str = "",
) -> list[DutyShift]:
    """生成月度排班: one shift per working day of the month that has none of ``period`` yet, with
    ``per_day`` presidium members in turn (``selectors.month_plan``, the same plan the preview
    shows). Days that already have a shift are left alone, so running it twice adds nothing."""
    policy.require(actor, "create", DutyShift(town=town, date=dt.date(year, month, 1), period=period))
    check_places(town)
    plan = selectors.month_plan(town=town, year=year, month=month, per_day=per_day, period=period)
    return [shift_create(actor=actor, town=town, date=day.date, period=period, location=location, deputies=day.people)
            for day in plan.new_days]


# --- people on a shift ---------------------------------------------------------------------------


@transaction.atomic
def assignment_add(*, actor: Actor, shift_id: int, deputy: Deputy, note: str = "",
                   replaces_id: int | None = None) -> DutyAssignment:
    """增加值班人员 — any active deputy of the town, presidium member or not. With
    ``replaces_id``: the person taking over a row already marked 已调换 (ledger import)."""
    shift = lock(DutyShift, shift_id)
    policy.require(actor, "change", shift)
    _check_deputy(shift, deputy)
    replaces = None
    if replaces_id is not None:
        replaces = lock(DutyAssignment, replaces_id)
        if replaces.shift_id != shift.pk or replaces.state != State.SWAPPED:
            raise InvalidInput(_("被替换的值班安排须是本班次中已调换的人员"), fields={"replaces": _("不正确")})
        if replaces.replaced_by.exists():
            raise InvalidInput(_("「{name}」已有替班人员").format(name=replaces.deputy.name),
                               fields={"replaces": _("已有替班人员")})
    a = _insert(shift, deputy, actor=actor, note=note, replaces=replaces)
    text = (_("「{name}」替换「{old}」值班").format(name=deputy.name, old=replaces.deputy.name) if replaces
            else _("安排「{name}」值班").format(name=deputy.name))
    _log(shift, action=LogAction.ADD, text=text, actor=actor)
    return a


@transaction.atomic
def assignment_remove(*, actor: Actor, assignment_id: int) -> None:
    """移除值班人员: only someone still 已排班 and not yet replaced."""
    a = _open_assignment(actor, assignment_id, "change")
    workflow.check(a.state, Action.REMOVE, policy.facts(a))
    record(actor=actor, verb="duty_assignment.remove", target=a, before=_snap(a), after=None)
    _log(a.shift, action=LogAction.REMOVE, text=_("移除「{name}」").format(name=a.deputy.name), actor=actor)
    a.delete()


def _swap_out(a: DutyAssignment, *, note: str, action: Action = Action.SWAP) -> dict[str, Any]:
    before = _snap(a)
    a.state = workflow.check(a.state, action, policy.facts(a))
    if note:
        a.note = note.strip()[:200]
    full_clean(a)
    a.save()
    return before


@transaction.atomic
def assignment_swap(*, actor: Actor, assignment_id: int, replacement: Deputy | None, note: str = "",
                    on: dt.date | None = None) -> DutyAssignment | None:
    """调班: ``replacement`` takes over A's place on the shift — A's row becomes 已调换 and the
    replacement's row is created with ``replaces`` = A's row; both are audited. Without a
    replacement (someone outside the roster took over) A's row is only marked 已调换."""
    a = _open_assignment(actor, assignment_id, "change")
    shift = lock(DutyShift, a.shift_id)
    if replacement is not None:
        if replacement.pk == a.deputy_id:
            raise InvalidInput(_("替班人员不能是本人"), fields={"replacement": _("不能是本人")})
        _check_deputy(shift, replacement, field="replacement")
    before = _swap_out(a, note=note)
    record(actor=actor, verb="duty_assignment.swap", target=a, before=before, after=_snap(a), comment=note)
    if replacement is None:
        _log(shift, action=LogAction.SWAP, text=_("「{name}」调出").format(name=a.deputy.name), actor=actor, on=on)
        return None
    new = _insert(shift, replacement, actor=actor, replaces=a)
    text = _("调班：「{new}」替换「{old}」").format(new=replacement.name, old=a.deputy.name)
    _log(shift, action=LogAction.SWAP, text=text + (f"（{note.strip()}）" if note.strip() else ""), actor=actor, on=on)
    return new


@transaction.atomic
def assignment_exchange(*, actor: Actor, assignment_id: int, other_id: int, note: str = "",
                        on: dt.date | None = None) -> tuple[DutyAssignment, DutyAssignment]:
    """互换班次: A (on shift X) and B (on shift Y) trade places — on X, B replaces A; on Y, A
    replaces B. Four rows are written, each audited. Returns (B's row on X, A's row on Y)."""
    if assignment_id == other_id:
        raise InvalidInput(_("请选择另一个人的班次"), fields={"other": _("不能是同一个班次")})
    first, second = sorted((assignment_id, other_id))
    locked = {first: _open_assignment(actor, first, "change"), second: _open_assignment(actor, second, "change")}
    a, b = locked[assignment_id], locked[other_id]
    if a.shift_id == b.shift_id:
        raise InvalidInput(_("两人在同一个班次，无需互换"), fields={"other": _("同一个班次")})
    if a.shift.town_id != b.shift.town_id:
        raise InvalidInput(_("只能与本镇街的班次互换"), fields={"other": _("不属于本镇街")})
    x, y = lock(DutyShift, a.shift_id), lock(DutyShift, b.shift_id)
    _check_deputy(x, b.deputy, field="other")
    _check_deputy(y, a.deputy, field="other")
    before_a = _swap_out(a, note=note, action=Action.EXCHANGE)
    before_b = _swap_out(b, note=note, action=Action.EXCHANGE)
    record(actor=actor, verb="duty_assignment.swap", target=a, before=before_a, after=_snap(a), comment=note)
    record(actor=actor, verb="duty_assignment.swap", target=b, before=before_b, after=_snap(b), comment=note)
    b_on_x = _insert(x, b.deputy, actor=actor, replaces=a)
    a_on_y = _insert(y, a.deputy, actor=actor, replaces=b)
    text = _("互换班次：「{a}」{x} ⇄ 「{b}」{y}").format(a=a.deputy.name, x=x, b=b.deputy.name, y=y)
    _log(x, action=LogAction.EXCHANGE, text=text, actor=actor, on=on)
    _log(y, action=LogAction.EXCHANGE, text=text, actor=actor, on=on)
    return b_on_x, a_on_y


@transaction.atomic
def assignment_set_note(*, actor: Actor, assignment_id: int, note: str) -> tuple[DutyAssignment, bool]:
    """修改备注 of one person's row (any state)."""
    a = _open_assignment(actor, assignment_id, "change")
    return update_audited(a, actor=actor, verb="duty_assignment.update", changes={"note": (note or "").strip()[:200]})


# --- attendance ----------------------------------------------------------------------------------

_ATTENDANCE_LOG = {Action.ATTEND: LogAction.ATTEND, Action.ABSENT: LogAction.ABSENT, Action.RESET: LogAction.RESET}


@transaction.atomic
def assignment_record(*, actor: Actor, assignment_id: int, state: str, note: str | None = None,
                      on: dt.date | None = None) -> tuple[DutyAssignment, bool]:
    """登记考勤: 已到岗 or 缺勤 (or back to 已排班), on or after the day of the shift. Recording
    the state the row already has changes nothing (no event)."""
    a = _open_assignment(actor, assignment_id, "change")
    action = workflow.action_for(state)
    if a.state == state and (note is None or note.strip() == a.note):
        return a, False
    before = _snap(a)
    if a.state != state:
        a.state = workflow.check(a.state, action, policy.facts(a))
    if note is not None:
        a.note = note.strip()[:200]
    full_clean(a)
    a.save()
    record(actor=actor, verb=f"duty_assignment.{action.value}", target=a, before=before, after=_snap(a))
    _log(a.shift, action=_ATTENDANCE_LOG[action],
         text=_("「{name}」{state}").format(name=a.deputy.name, state=workflow.label(State(a.state))),
         actor=actor, on=on)
    return a, True


@transaction.atomic
def attendance_record_day(*, actor: Actor, town: Region, date: dt.date, states: Mapping[int, str],
                          on: dt.date | None = None) -> int:
    """登记一天的考勤: ``{assignment id: state}`` for the town's shifts of ``date``, all or
    nothing. Returns how many rows changed."""
    ids = set(DutyAssignment.objects.filter(shift__town=town, shift__date=date).values_list("pk", flat=True))
    unknown = [pk for pk in states if pk not in ids]
    if unknown:
        raise NotFound()
    changed = 0
    for pk in sorted(states):
        _a, did = assignment_record(actor=actor, assignment_id=pk, state=states[pk], on=on)
        changed += int(did)
    return changed


def counted(state: str) -> bool:
    """Whether an assignment in ``state`` is a person-time (人次)."""
    return state == AssignmentState.ATTENDED
