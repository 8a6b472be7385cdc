"""The duty assignment (值班安排) state as a declarative table ``(state, action) → next state``,
and its guards. Pure Python: no database; the services pass in the dates a guard needs.

Lifecycle::

    scheduled ─attend→ attended ─absent→ absent        (a correction either way)
        │      ─absent→ absent   ─attend→ attended
        │                attended/absent ─reset→ scheduled (撤销考勤登记)
        ├─swap→ swapped (final: the replacement has a row of their own, ``replaces`` → this one)
        ├─exchange→ swapped (互换班次: the same on both shifts)
        └─remove (移除: the row is deleted)

Only ``attended`` counts as a person-time (人次). A person is *removed* from a shift only while
``scheduled`` and not yet replaced; everything else stays on record.

Every action a page offers on a person's row is in the table, so the table alone says in which
states it makes sense; ``GUARDS`` adds what the row's data rules out (attendance not ahead of the
day, no removal once replaced) — asked by the detail page (``policy.available_actions``) and by
the services (``check``), so what is not offered is also refused, in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.errors import ApplicationError, IllegalTransition, InvalidInput
from renda.core.workflow import Machine


class State(StrEnum):
    SCHEDULED = "scheduled"
    ATTENDED = "attended"
    ABSENT = "absent"
    SWAPPED = "swapped"


class Action(StrEnum):
    ATTEND = "attend"
    ABSENT = "absent"
    RESET = "reset"
    SWAP = "swap"
    EXCHANGE = "exchange"
    REMOVE = "remove"


STATE_LABELS = {
    State.SCHEDULED: gettext_lazy("已排班"),
    State.ATTENDED: gettext_lazy("已到岗"),
    State.ABSENT: gettext_lazy("缺勤"),
    State.SWAPPED: gettext_lazy("已调换"),
}

ACTION_LABELS = {
    Action.ATTEND: gettext_lazy("到岗"),
    Action.ABSENT: gettext_lazy("缺勤"),
    Action.RESET: gettext_lazy("撤销考勤登记"),
    Action.SWAP: gettext_lazy("调班"),
    Action.EXCHANGE: gettext_lazy("互换班次"),
    Action.REMOVE: gettext_lazy("移除"),
}

_S, _A = State, Action

TABLE: dict[tuple[State, Action], State] = {
    (_S.SCHEDULED, _A.ATTEND): _S.ATTENDED,
    (_S.SCHEDULED, _A.ABSENT): _S.ABSENT,
    (_S.SCHEDULED, _A.SWAP): _S.SWAPPED,
    (_S.SCHEDULED, _A.EXCHANGE): _S.SWAPPED,
    # 移除 deletes the row: the entry says in which state that may happen.
    (_S.SCHEDULED, _A.REMOVE): _S.SCHEDULED,
    (_S.ATTENDED, _A.ABSENT): _S.ABSENT,
    (_S.ATTENDED, _A.RESET): _S.SCHEDULED,
    (_S.ABSENT, _A.ATTEND): _S.ATTENDED,
    (_S.ABSENT, _A.RESET): _S.SCHEDULED,
}

#: The state a new assignment starts in.
INITIAL = State.SCHEDULED
#: The state that counts as one person-time (人次).
COUNTED = State.ATTENDED
#: Attendance actions, and the state each records (for "record attendance" forms).
ATTENDANCE = {State.ATTENDED: Action.ATTEND, State.ABSENT: Action.ABSENT, State.SCHEDULED: Action.RESET}


REFUSAL = gettext_lazy("「{state}」的值班安排不能「{action}」")

_machine: Machine[State, Action, StrEnum] = Machine(
    State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL, state_key="state")
#: ``label(state_or_action)``, ``next_state(state, action)`` (or ``IllegalTransition`` naming
#: both), ``allowed_actions(state)`` (in the order of ``Action``).
label = _machine.label
next_state = _machine.next_state
allowed_actions = _machine.possible_actions


def action_for(target: State | str) -> Action:
    """The attendance action that records ``target`` (到岗, 缺勤 or back to 已排班)."""
    try:
        return ATTENDANCE[State(target)]
    except (KeyError, ValueError):
        raise InvalidInput(_("考勤状态只能是已到岗、缺勤或已排班"), fields={"state": _("不正确")}) from None


# --- guards -------------------------------------------------------------------------------


def check_attendance_date(*, shift_date: dt.date, today: dt.date) -> None:
    """Attendance is recorded on or after the day of the shift, never ahead of it."""
    if shift_date > today:
        raise InvalidInput(
            _("{d} 的值班尚未到来，不能登记到岗或缺勤").format(d=shift_date.isoformat()),
            fields={"state": _("日期未到")},
        )


def check_shift_deletable(*, states: Iterable[str], visits: bool) -> None:
    """A shift is deleted only while no one's attendance is recorded, no one swapped and no visit
    is linked to it (its people are then only a plan)."""
    if any(State(x) != INITIAL for x in states):
        raise InvalidInput(_("该班次已登记考勤或调班，不能删除"))
    if visits:
        raise InvalidInput(_("该班次已关联信访件，不能删除"))


# --- what the row's data rules out, beyond its state ------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What ``GUARDS`` know of one assignment besides its state (``policy.facts`` reads them)."""

    shift_date: dt.date
    today: dt.date
    replaced: bool = False  # someone has taken this person's place (a row ``replaces`` → this one)


def check_not_replaced(*, replaced: bool) -> None:
    """A person someone has replaced stays on record: the replacement's row points to theirs."""
    if replaced:
        raise IllegalTransition(_("该值班安排已有替班人员，不能移除"))


#: action → its guard over the facts: raises an ``ApplicationError`` with the reason in words.
GUARDS: dict[Action, Callable[[Facts], None]] = {
    Action.ATTEND: lambda f: check_attendance_date(shift_date=f.shift_date, today=f.today),
    Action.ABSENT: lambda f: check_attendance_date(shift_date=f.shift_date, today=f.today),
    Action.REMOVE: lambda f: check_not_replaced(replaced=f.replaced),
}


def check(state: State | str, action: Action | str, facts: Facts) -> State:
    """The next state if the table allows ``action`` in ``state`` and the row's data does not rule
    it out; ``IllegalTransition`` (or ``InvalidInput`` for a date) with the reason otherwise."""
    state, action = State(state), Action(action)
    after = next_state(state, action)
    guard = GUARDS.get(action)
    if guard is not None:
        guard(facts)
    return after


def refusal(state: State | str, action: Action | str, facts: Facts) -> str | None:
    """Why ``action`` cannot be taken now (the message ``check`` would raise), or None."""
    try:
        check(state, action, facts)
    except ApplicationError as exc:
        return exc.message
    return None
