"""The suggestion (意见建议) state machine: a declarative table ``(state, action) → next state``,
who may take each action, and the guards. Pure Python: no database; the services pass in
whatever a guard needs (dates computed with the working-day calendar, the last reply class…).

Lifecycle::

    registered ─assign→ assigned ─accept→ accepted ─reply→ replied ─evaluate→ evaluated ─close→ closed
        ↑                  │return (≤ 5 working days)          │reply again (B/C)   │不满意: rehandle → accepted
        └──────────────────┘                                   └─close (no evaluation returned)
    registered ─decline→ declined;  open, not yet replied ─withdraw→ withdrawn;  open, not yet replied ─merge→ merged
    accepted again after 不满意, re-handled at least once before ─close_dissatisfied→ closed (不满意办结, with a reason)

Actions that leave the state as it is (催办, 督办, 协办意见, 转为信访件 …) are in the same table as
self-transitions, so the table alone says in which states each is offered; ``GUARDS`` adds what
the item's data rules out (one check per rule, asked by the pages, the API and the services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
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
    CLOSE_DISSATISFIED = "close_dissatisfied"
    TO_PETITION = "to_petition"


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
    Action.CLOSE_DISSATISFIED: gettext_lazy("不满意办结"),
    Action.TO_PETITION: gettext_lazy("转为信访件"),
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
    (_S.REGISTERED, _A.TO_PETITION): _S.REGISTERED,
    # 已交办: the lead unit signs for it or returns it (within 5 working days).
    (_S.ASSIGNED, _A.ACCEPT): _S.ACCEPTED,
    (_S.ASSIGNED, _A.RETURN): _S.REGISTERED,
    (_S.ASSIGNED, _A.CO_OPINION): _S.ASSIGNED,
    (_S.ASSIGNED, _A.REMIND): _S.ASSIGNED,
    (_S.ASSIGNED, _A.SUPERVISE): _S.ASSIGNED,
    (_S.ASSIGNED, _A.MERGE): _S.MERGED,
    (_S.ASSIGNED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.ASSIGNED, _A.TO_PETITION): _S.ASSIGNED,
    # 办理中: co-units give opinions, the lead unit replies or asks for more time. After 不满意 the
    # item is here again (re-handling); once it has been re-handled before, the office may close it
    # over the continued dissatisfaction instead (GUARDS).
    (_S.ACCEPTED, _A.REPLY): _S.REPLIED,
    (_S.ACCEPTED, _A.CO_OPINION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REQUEST_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.APPROVE_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REFUSE_EXTENSION): _S.ACCEPTED,
    (_S.ACCEPTED, _A.REMIND): _S.ACCEPTED,
    (_S.ACCEPTED, _A.SUPERVISE): _S.ACCEPTED,
    (_S.ACCEPTED, _A.MERGE): _S.MERGED,
    (_S.ACCEPTED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.ACCEPTED, _A.CLOSE_DISSATISFIED): _S.CLOSED,
    (_S.ACCEPTED, _A.TO_PETITION): _S.ACCEPTED,
    # 已答复: the submitter evaluates; B/C replies are followed up and answered again;
    # the office may close an item whose evaluation never came back. Answered, it is no longer
    # withdrawn or merged.
    (_S.REPLIED, _A.EVALUATE): _S.EVALUATED,
    (_S.REPLIED, _A.REPLY): _S.REPLIED,
    (_S.REPLIED, _A.CLOSE): _S.CLOSED,
    (_S.REPLIED, _A.REMIND): _S.REPLIED,
    (_S.REPLIED, _A.SUPERVISE): _S.REPLIED,
    (_S.REPLIED, _A.TO_PETITION): _S.REPLIED,
    # 已测评: closed, or (不满意) sent back for re-handling; a B/C item may be answered again.
    (_S.EVALUATED, _A.CLOSE): _S.CLOSED,
    (_S.EVALUATED, _A.REHANDLE): _S.ACCEPTED,
    (_S.EVALUATED, _A.REPLY): _S.REPLIED,
    (_S.EVALUATED, _A.REMIND): _S.EVALUATED,
    (_S.EVALUATED, _A.SUPERVISE): _S.EVALUATED,
    (_S.EVALUATED, _A.TO_PETITION): _S.EVALUATED,
    # 已办结, 不予受理, 已撤回, 已合并: nothing more. An item that belongs to the petitions channel
    # is converted (转为信访件) while open, then declined if need be.
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
    _A.CLOSE_DISSATISFIED: OFFICE | {_R.PRESIDIUM},
    # the petitions register is kept by the office staff (petitions.policy: from_suggestion)
    _A.TO_PETITION: frozenset({_R.STAFF}),
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


# --- what the item's data rules out, beyond its state ---------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the guards know of one item besides its state (``policy.facts`` reads them)."""

    kind: str = "public"
    named: bool = True  # a public item whose submitter gave their name
    replied: bool = False  # answered at least once
    last_class: str | None = None  # class of the latest reply
    last_result: str | None = None  # result of the latest evaluation
    rehandle_count: int = 0
    pending_extension: bool = False


def check_not_replied(*, action: Action | str, replied: bool) -> None:
    """An answered item is no longer withdrawn or merged: its submitter has had their answer."""
    if replied:
        raise IllegalTransition(_("事项已经答复，不能「{action}」").format(action=label(Action(action))))


def check_remind(*, state: State | str, last_class: str | None) -> None:
    """催办 chases the lead unit; once it has answered, only a B/C item still owes an answer."""
    if State(state) in {State.REPLIED, State.EVALUATED} and last_class not in REPLY_AGAIN_CLASSES:
        raise IllegalTransition(_("事项已答复完毕（{c} 类），无需催办").format(c=last_class or "—"))


def rehandles_done(*, state: State | str, last_result: str | None, rehandle_count: int) -> int:
    """Re-handlings the lead unit has carried through (answered again): every one counted, less
    the one that the latest 不满意 has just started, while the item is back in handling."""
    started_now = State(state) == State.ACCEPTED and last_result == DISSATISFIED and rehandle_count > 0
    return rehandle_count - int(started_now)


def check_close_dissatisfied(*, state: State | str, last_result: str | None, rehandle_count: int,
                             min_rehandles: int = 1) -> None:
    """不满意办结: the office closes an item whose submitter is still dissatisfied, but only once the
    item was re-handled at least once and evaluated 不满意 again (not at the first 不满意).
    ``min_rehandles`` 0: history from a ledger row, which cannot show the re-handling."""
    if last_result != DISSATISFIED:
        raise IllegalTransition(_("只有最近一次测评为不满意的事项才能不满意办结"))
    if rehandles_done(state=state, last_result=last_result, rehandle_count=rehandle_count) < min_rehandles:
        raise IllegalTransition(_("该事项尚未重新办理过：应先重新办理，再次测评仍不满意的，才能不满意办结"))


def check_to_petition(*, kind: str, named: bool) -> None:
    """Only a signed public opinion becomes a petition (its submitter becomes the petitioner)."""
    if kind != "public" or not named:
        raise IllegalTransition(_("只有署名的群众意见建议可以转为信访件"))


def _pending(f: Facts) -> None:
    if not f.pending_extension:
        raise IllegalTransition(_("没有等待审批的延期申请"))


def _not_pending(f: Facts) -> None:
    if f.pending_extension:
        raise IllegalTransition(_("已有一项延期申请等待审批"))


#: action → its guard over (state, facts): raises ``IllegalTransition`` with the reason in words.
GUARDS: dict[Action, Callable[[State, Facts], None]] = {
    Action.REPLY: lambda s, f: check_reply_again(state=s, last_class=f.last_class),
    Action.WITHDRAW: lambda s, f: check_not_replied(action=Action.WITHDRAW, replied=f.replied),
    Action.MERGE: lambda s, f: check_not_replied(action=Action.MERGE, replied=f.replied),
    Action.REMIND: lambda s, f: check_remind(state=s, last_class=f.last_class),
    Action.REQUEST_EXTENSION: lambda s, f: _not_pending(f),
    Action.APPROVE_EXTENSION: lambda s, f: _pending(f),
    Action.REFUSE_EXTENSION: lambda s, f: _pending(f),
    Action.CLOSE_DISSATISFIED: lambda s, f: check_close_dissatisfied(
        state=s, last_result=f.last_result, rehandle_count=f.rehandle_count),
    Action.TO_PETITION: lambda s, f: check_to_petition(kind=f.kind, named=f.named),
}


def check(state: State | str, action: Action | str, facts: Facts) -> State:
    """The next state if the table allows ``action`` in ``state`` and the item's data does not
    rule it out; ``IllegalTransition`` with the reason otherwise."""
    state, action = State(state), Action(action)
    after = next_state(state, action)
    guard = GUARDS.get(action)
    if guard is not None:
        guard(state, facts)
    return after


def refusal(state: State | str, action: Action | str, facts: Facts) -> str | None:
    """Why ``action`` cannot be taken now (the message ``check`` would raise), or None."""
    try:
        check(state, action, facts)
    except IllegalTransition as exc:
        return exc.message
    return None
