"""The suggestion (意见建议) state machine: a declarative table ``(state, action) → next state``,
who may take each action, and the guards. Pure Python: no database; the services pass in
whatever a guard needs (dates computed with the working-day calendar, the last reply class…).

Lifecycle::

    registered ─assign→ assigned ─accept→ accepted ─reply→ replied ─evaluate→ evaluated ─close→ closed
        ↑                  │return (≤ 5 working days)          │reply again (B/C)   │不满意: rehandle → accepted
        └──────────────────┘                                   └─close (no evaluation returned)
    registered ─decline→ declined;  any open state ─withdraw→ withdrawn;  open, not yet replied ─merge→ merged
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import workflow as core_workflow
from renda.core.errors import IllegalTransition
from renda.core.workflow import Machine


class State(StrEnum):
    REGISTERED = "registered"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    REPLIED = "replied"
    EVALUATED = "evaluated"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class Action(StrEnum):
    REGISTER = "register"
    ASSIGN = "assign"
    ACCEPT = "accept"
    RETURN = "return"
    CO_OPINION = "co_opinion"
    REPLY = "reply"
    EVALUATE = "evaluate"
    CLOSE = "close"
    REHANDLE = "rehandle"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    REMIND = "remind"
    SUPERVISE = "supervise"


class Role(StrEnum):
    """The part a user plays towards one item (see ``policy.roles_on``); the first seven mirror
    ``accounts.Role``, ``co_unit`` is a unit asked to co-handle, ``public`` the portal submitter."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    ADMIN = "admin"
    UNIT = "unit"
    CO_UNIT = "co_unit"
    DEPUTY = "deputy"
    GRID_WORKER = "grid_worker"
    DISTRICT_VIEWER = "district_viewer"
    PUBLIC = "public"


STATE_LABELS = {
    State.REGISTERED: gettext_lazy("已登记"),
    State.ASSIGNED: gettext_lazy("已交办"),
    State.ACCEPTED: gettext_lazy("办理中"),
    State.REPLIED: gettext_lazy("已答复"),
    State.EVALUATED: gettext_lazy("已测评"),
    State.CLOSED: gettext_lazy("已办结"),
    State.DECLINED: gettext_lazy("不予受理"),
    State.WITHDRAWN: gettext_lazy("已撤回"),
    State.MERGED: gettext_lazy("已合并"),
}

ACTION_LABELS = {
    Action.REGISTER: gettext_lazy("登记"),
    Action.ASSIGN: gettext_lazy("交办"),
    Action.ACCEPT: gettext_lazy("签收"),
    Action.RETURN: gettext_lazy("退回"),
    Action.CO_OPINION: gettext_lazy("提出协办意见"),
    Action.REPLY: gettext_lazy("答复"),
    Action.EVALUATE: gettext_lazy("测评"),
    Action.CLOSE: gettext_lazy("办结"),
    Action.REHANDLE: gettext_lazy("重新办理"),
    Action.REQUEST_EXTENSION: gettext_lazy("申请延期"),
    Action.APPROVE_EXTENSION: gettext_lazy("同意延期"),
    Action.REFUSE_EXTENSION: gettext_lazy("不同意延期"),
    Action.DECLINE: gettext_lazy("不予受理"),
    Action.WITHDRAW: gettext_lazy("撤回"),
    Action.MERGE: gettext_lazy("合并"),
    Action.REMIND: gettext_lazy("催办"),
    Action.SUPERVISE: gettext_lazy("督办"),
}

#: States in which nothing more happens.
TERMINAL = frozenset({State.CLOSED, State.DECLINED, State.WITHDRAWN, State.MERGED})
#: States in which a unit is handling the item and its deadline runs.
HANDLING = frozenset({State.ASSIGNED, State.ACCEPTED})
#: States that count as open (not closed, declined, withdrawn or merged).
OPEN = frozenset(State) - TERMINAL

_S, _A = State, Action

TABLE: dict[tuple[State, Action], State] = {
    # 已登记: the office assigns, declines or merges; the deputy may withdraw.
    (_S.REGISTERED, _A.ASSIGN): _S.ASSIGNED,
    (_S.REGISTERED, _A.DECLINE): _S.DECLINED,
    (_S.REGISTERED, _A.MERGE): _S.MERGED,
    (_S.REGISTERED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.REGISTERED, _A.SUPERVISE): _S.REGISTERED,
    # 已交办: the lead unit signs for it or returns it (within 5 working days).
    (_S.ASSIGNED, _A.ACCEPT): _S.ACCEPTED,
    (_S.ASSIGNED, _A.RETURN): _S.REGISTERED,
    (_S.ASSIGNED, _A.CO_OPINION): _S.ASSIGNED,
    (_S.ASSIGNED, _A.REMIND): _S.ASSIGNED,
    (_S.ASSIGNED, _A.SUPERVISE): _S.ASSIGNED,
    (_S.ASSIGNED, _A.MERGE): _S.MERGED,
    (_S.ASSIGNED, _A.WITHDRAW): _S.WITHDRAWN,
    # 办理中: co-units give opinions, the lead unit replies or asks for more time.
    (_S.ACCEPTED, _A.REPLY): _S.REPLIED,
    (_S.ACCEPTED, _A.CO_OPINION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REQUEST_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.APPROVE_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REFUSE_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REMIND): _S.ACCEPTED,
    (_S.ACCEPTED, _A.SUPERVISE): _S.ACCEPTED,
    (_S.ACCEPTED, _A.MERGE): _S.MERGED,
    (_S.ACCEPTED, _A.WITHDRAW): _S.WITHDRAWN,
    # 已答复: the submitter evaluates; B/C replies are followed up and answered again;
    # the office may close an item whose evaluation never came back.
    (_S.REPLIED, _A.EVALUATE): _S.EVALUATED,
    (_S.REPLIED, _A.REPLY): _S.REPLIED,
    (_S.REPLIED, _A.CLOSE): _S.CLOSED,
    (_S.REPLIED, _A.REMIND): _S.REPLIED,
    (_S.REPLIED, _A.SUPERVISE): _S.REPLIED,
    (_S.REPLIED, _A.WITHDRAW): _S.WITHDRAWN,
    # 已测评: closed, or (不满意) sent back for re-handling; a B/C item may be answered again.
    (_S.EVALUATED, _A.CLOSE): _S.CLOSED,
    (_S.EVALUATED, _A.REHANDLE): _S.ACCEPTED,
    (_S.EVALUATED, _A.REPLY): _S.REPLIED,
    (_S.EVALUATED, _A.REMIND): _S.EVALUATED,
    (_S.EVALUATED, _A.SUPERVISE): _S.EVALUATED,
    (_S.EVALUATED, _A.WITHDRAW): _S.WITHDRAWN,
}

#: The state a newly registered item starts in (``register`` has no "from" state).
INITIAL = State.REGISTERED

_R = Role
OFFICE = frozenset({_R.STAFF, _R.ADMIN})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    _A.REGISTER: frozenset({_R.STAFF, _R.ADMIN, _R.PRESIDIUM, _R.DEPUTY, _R.GRID_WORKER, _R.PUBLIC}),
    _A.ASSIGN: OFFICE,
    _A.ACCEPT: frozenset({_R.UNIT}),
    _A.RETURN: frozenset({_R.UNIT}),
    _A.CO_OPINION: frozenset({_R.CO_UNIT}),
    _A.REPLY: frozenset({_R.UNIT}),
    # The office records an evaluation it collected by phone or on paper (public items only,
    # enforced by the policy) until the public portal exists.
    _A.EVALUATE: frozenset({_R.DEPUTY, _R.PUBLIC, _R.STAFF}),
    _A.CLOSE: OFFICE,
    _A.REHANDLE: OFFICE,
    _A.REQUEST_EXTENSION: frozenset({_R.UNIT}),
    _A.APPROVE_EXTENSION: OFFICE,
    _A.REFUSE_EXTENSION: OFFICE,
    _A.DECLINE: OFFICE,
    _A.WITHDRAW: frozenset({_R.DEPUTY}),
    _A.MERGE: OFFICE,
    _A.REMIND: OFFICE | {_R.PRESIDIUM},
    _A.SUPERVISE: OFFICE | {_R.PRESIDIUM},
}


REFUSAL = gettext_lazy("「{state}」的事项不能「{action}」")

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL,
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
#: ``label(state_or_action)``, ``next_state(state, action)`` (or ``IllegalTransition`` naming both),
#: ``is_allowed(state, action, role)``, ``allowed_actions(state, role)`` (in the order of ``Action``).
label = _machine.label
next_state = _machine.next_state
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions


# --- guards -------------------------------------------------------------------------------


def check_return(*, on: dt.date, limit: dt.date) -> None:
    """A unit returns an item within N working days of assignment; ``limit`` is the last
    allowed day (``add_workdays(assigned_at, N)``, computed by the service)."""
    if on > limit:
        raise IllegalTransition(
            _("已超过退回期限（{limit}），不能退回，请签收办理或申请延期").format(limit=limit.isoformat())
        )


REPLY_AGAIN_CLASSES = frozenset({"B", "C"})


def check_reply_again(*, state: State | str, last_class: str | None) -> None:
    """After a reply, another one is given only to an item answered B or C (正在解决/列入计划)."""
    if State(state) in {State.REPLIED, State.EVALUATED} and last_class not in REPLY_AGAIN_CLASSES:
        raise IllegalTransition(_("只有答复类别为 B 或 C 的事项才能再次答复"))


DISSATISFIED = "dissatisfied"


def needs_rehandle(result: str) -> bool:
    """不满意 sends the item back for re-handling."""
    return result == DISSATISFIED


def key_supervision_due(*, rehandle_count: int, threshold: int) -> bool:
    """The ``threshold``-th re-handling (3 by default) puts the item under key supervision."""
    return rehandle_count >= threshold


#: Dates of one item run forward: an action is not dated before the step it follows.
check_not_before = core_workflow.check_not_before
