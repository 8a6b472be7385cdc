"""The risk (信访隐患 / 矛盾纠纷) state machine: a declarative table ``(state, action) → next state``
and who may take each action. Pure Python: no database; the services pass in what a guard needs.

Lifecycle::

    registered ─start→ resolving ─resolve→ resolved
        │                 │  ↑
        │resolve          │  └──reopen── escalated
        │                 └─escalate→ escalated
        └─escalate→ escalated

    log a step, assign / remove participants, reveal personal data: any open state (reveal also
    once resolved); nothing else happens to a resolved risk.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.errors import InvalidInput
from renda.core.workflow import Machine


class State(StrEnum):
    REGISTERED = "registered"
    RESOLVING = "resolving"
    RESOLVED = "resolved"
    ESCALATED = "escalated"


class Action(StrEnum):
    REGISTER = "register"
    START = "start"
    RESOLVE = "resolve"
    ESCALATE = "escalate"
    REOPEN = "reopen"
    LOG_STEP = "log_step"
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    REVEAL = "reveal"


class Role(StrEnum):
    """The part a user plays towards one risk (see ``policy.roles_on``): the office, presidium and
    administrators of its town; a deputy or grid worker assigned to it (``participant``); a
    deputy or grid worker whose grid it lies in (``grid_deputy``, ``grid_worker``); a
    district-wide reader; a handling unit."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    ADMIN = "admin"
    PARTICIPANT = "participant"
    GRID_DEPUTY = "grid_deputy"
    GRID_WORKER = "grid_worker"
    DISTRICT_VIEWER = "district_viewer"
    UNIT = "unit"


STATE_LABELS = {
    State.REGISTERED: gettext_lazy("已登记"),
    State.RESOLVING: gettext_lazy("化解中"),
    State.RESOLVED: gettext_lazy("已化解"),
    State.ESCALATED: gettext_lazy("已上报"),
}

ACTION_LABELS = {
    Action.REGISTER: gettext_lazy("登记"),
    Action.START: gettext_lazy("开始化解"),
    Action.RESOLVE: gettext_lazy("化解"),
    Action.ESCALATE: gettext_lazy("上报"),
    Action.REOPEN: gettext_lazy("重新化解"),
    Action.LOG_STEP: gettext_lazy("记录化解过程"),
    Action.ASSIGN: gettext_lazy("安排参与人员"),
    Action.UNASSIGN: gettext_lazy("移除参与人员"),
    Action.REVEAL: gettext_lazy("查看个人信息"),
}

#: States that count as open (``RiskQuerySet.open``): everything but resolved.
OPEN = frozenset({State.REGISTERED, State.RESOLVING, State.ESCALATED})
TERMINAL = frozenset({State.RESOLVED})

#: The state a newly registered risk starts in.
INITIAL = State.REGISTERED

_S, _A = State, Action

TABLE: dict[tuple[State, Action], State] = {
    # 已登记: start resolving, resolve on the spot, or escalate at once.
    (_S.REGISTERED, _A.START): _S.RESOLVING,
    (_S.REGISTERED, _A.RESOLVE): _S.RESOLVED,
    (_S.REGISTERED, _A.ESCALATE): _S.ESCALATED,
    (_S.REGISTERED, _A.LOG_STEP): _S.REGISTERED,
    (_S.REGISTERED, _A.ASSIGN): _S.REGISTERED,
    (_S.REGISTERED, _A.UNASSIGN): _S.REGISTERED,
    (_S.REGISTERED, _A.REVEAL): _S.REGISTERED,
    # 化解中: resolved, or escalated (上报镇党委 / 区信访局).
    (_S.RESOLVING, _A.RESOLVE): _S.RESOLVED,
    (_S.RESOLVING, _A.ESCALATE): _S.ESCALATED,
    (_S.RESOLVING, _A.LOG_STEP): _S.RESOLVING,
    (_S.RESOLVING, _A.ASSIGN): _S.RESOLVING,
    (_S.RESOLVING, _A.UNASSIGN): _S.RESOLVING,
    (_S.RESOLVING, _A.REVEAL): _S.RESOLVING,
    # 已上报: stays open; taken back for resolving locally when the higher level hands it back.
    (_S.ESCALATED, _A.REOPEN): _S.RESOLVING,
    (_S.ESCALATED, _A.LOG_STEP): _S.ESCALATED,
    (_S.ESCALATED, _A.ASSIGN): _S.ESCALATED,
    (_S.ESCALATED, _A.UNASSIGN): _S.ESCALATED,
    (_S.ESCALATED, _A.REVEAL): _S.ESCALATED,
    # 已化解: closed; the record (and, for those entitled, its people) can still be read.
    (_S.RESOLVED, _A.REVEAL): _S.RESOLVED,
}

_R = Role
OFFICE = frozenset({_R.STAFF, _R.PRESIDIUM})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    # Registration is checked against the grid by the policy (a grid worker in their grids …).
    _A.REGISTER: frozenset({_R.STAFF, _R.PRESIDIUM, _R.GRID_DEPUTY, _R.GRID_WORKER}),
    _A.START: OFFICE | {_R.PARTICIPANT},
    _A.RESOLVE: OFFICE | {_R.PARTICIPANT},
    _A.ESCALATE: OFFICE,
    _A.REOPEN: OFFICE,
    _A.LOG_STEP: OFFICE | {_R.PARTICIPANT},
    _A.ASSIGN: OFFICE,
    _A.UNASSIGN: OFFICE,
    # 个人信息: the office and presidium of the town only — never deputies, grid workers, units
    # or district readers.
    _A.REVEAL: OFFICE,
}

#: Actions that move the risk between states (the others keep it where it is).
MOVES = frozenset({_A.START, _A.RESOLVE, _A.ESCALATE, _A.REOPEN})


REFUSAL = gettext_lazy("「{state}」的隐患不能「{action}」")

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL,
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
#: ``label(state_or_action)``, ``next_state(state, action)`` (or ``IllegalTransition`` naming both),
#: ``is_allowed(state, action, role)``, ``allowed_actions(state, role)`` (in the order of ``Action``).
label = _machine.label
next_state = _machine.next_state
refusal_for = _machine.refusal_for
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions


# --- guards -------------------------------------------------------------------------------


def check_resolved_on(*, on: dt.date | None, registered_on: dt.date, today: dt.date) -> dt.date:
    """The date a risk was resolved: required, not before it was registered, not in the future."""
    if on is None:
        raise InvalidInput(_("请填写化解日期"), fields={"resolved_on": _("请填写化解日期")})
    if on < registered_on:
        msg = _("化解日期 {on} 早于登记日期 {reg}").format(on=on.isoformat(), reg=registered_on.isoformat())
        raise InvalidInput(msg, fields={"resolved_on": msg})
    if on > today:
        msg = _("化解日期 {on} 不能晚于今天").format(on=on.isoformat())
        raise InvalidInput(msg, fields={"resolved_on": msg})
    return on


def check_step_date(*, on: dt.date, registered_on: dt.date, today: dt.date) -> dt.date:
    """A step is dated between registration and today."""
    if on < registered_on:
        msg = _("日期 {on} 早于登记日期 {reg}").format(on=on.isoformat(), reg=registered_on.isoformat())
        raise InvalidInput(msg, fields={"on": msg})
    if on > today:
        msg = _("日期 {on} 不能晚于今天").format(on=on.isoformat())
        raise InvalidInput(msg, fields={"on": msg})
    return on


def check_reason(reason: str, *, field: str = "reason") -> str:
    """Escalating (and reopening) needs a stated reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写理由"), fields={field: _("请填写理由")})
    return reason
