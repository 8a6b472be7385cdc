"""The petition (信访) state machine of the 信访工作条例 (2022): a declarative table
``(state, action) → next state``, who may take each action, and the guards. Pure Python: no
database; the services pass in whatever a guard needs (dates, the deadlines from ``rules.py``).

Lifecycle::

    registered ─accept→ handling ─issue_opinion→ closed ─request_review→ review ─answer_review→ reviewed
        │                 │extend (once, ≤ 30 days)                                              │
        └─decline→ declined                                      final ←answer_rereview─ rereview ←request_rereview┘

- 受理 / 不予受理 within 15 days of registration (``rules.acceptance_due``);
- 办理 within 60 days of acceptance, one extension of at most 30 days with a reason;
- 处理意见 closes the petition; the petitioner may ask for 复查 within 30 days of it, answered
  within 30 days; then 复核 the same way; after 复核 the petition is ``final`` and a new petition
  of the same petitioner on the same facts and reasons is not accepted again (``check_not_final``).

Besides the flow: ``route`` (送阅批: staff route a letter to a presidium member) and
``instruct`` (阅批: the member's written instruction) leave the state as it is, and so does
``to_suggestion`` (转为意见建议).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import workflow as core_workflow
from renda.core.errors import IllegalTransition, InvalidInput
from renda.core.workflow import Machine


class State(StrEnum):
    REGISTERED = "registered"
    HANDLING = "handling"
    CLOSED = "closed"
    REVIEW = "review"
    REVIEWED = "reviewed"
    REREVIEW = "rereview"
    FINAL = "final"
    DECLINED = "declined"


class Action(StrEnum):
    REGISTER = "register"
    ACCEPT = "accept"
    DECLINE = "decline"
    EXTEND = "extend"
    ISSUE_OPINION = "issue_opinion"
    REQUEST_REVIEW = "request_review"
    ANSWER_REVIEW = "answer_review"
    REQUEST_REREVIEW = "request_rereview"
    ANSWER_REREVIEW = "answer_rereview"
    ROUTE = "route"
    INSTRUCT = "instruct"
    TO_SUGGESTION = "to_suggestion"


class Role(StrEnum):
    """The part a user plays towards one petition (see ``policy.roles_on``)."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    GRID_WORKER = "grid_worker"
    #: the presidium member a letter was routed to, with an instruction still to write
    INSTRUCTOR = "instructor"


STATE_LABELS = {
    State.REGISTERED: gettext_lazy("待受理"),
    State.HANDLING: gettext_lazy("办理中"),
    State.CLOSED: gettext_lazy("已出具处理意见"),
    State.REVIEW: gettext_lazy("复查中"),
    State.REVIEWED: gettext_lazy("已复查"),
    State.REREVIEW: gettext_lazy("复核中"),
    State.FINAL: gettext_lazy("已复核终结"),
    State.DECLINED: gettext_lazy("不予受理"),
}

ACTION_LABELS = {
    Action.REGISTER: gettext_lazy("登记"),
    Action.ACCEPT: gettext_lazy("受理"),
    Action.DECLINE: gettext_lazy("不予受理"),
    Action.EXTEND: gettext_lazy("延期"),
    Action.ISSUE_OPINION: gettext_lazy("出具处理意见"),
    Action.REQUEST_REVIEW: gettext_lazy("申请复查"),
    Action.ANSWER_REVIEW: gettext_lazy("复查答复"),
    Action.REQUEST_REREVIEW: gettext_lazy("申请复核"),
    Action.ANSWER_REREVIEW: gettext_lazy("复核答复"),
    Action.ROUTE: gettext_lazy("送主席团成员阅批"),
    Action.INSTRUCT: gettext_lazy("阅批"),
    Action.TO_SUGGESTION: gettext_lazy("转为意见建议"),
}

#: States in which the office still owes the petitioner an answer (a legal time limit runs).
OPEN = frozenset({State.REGISTERED, State.HANDLING, State.REVIEW, State.REREVIEW})
#: States that are not open: the handling opinion, a review answer, the end, or declined.
NOT_OPEN = frozenset(State) - OPEN
#: States in which nothing more can happen to the petition.
TERMINAL = frozenset({State.FINAL, State.DECLINED})
#: States reached by a handling opinion (METRICS ``closed``).
OPINION_ISSUED = frozenset({State.CLOSED, State.REVIEW, State.REVIEWED, State.REREVIEW, State.FINAL})

_S, _A = State, Action
_SIDE = (_A.ROUTE, _A.INSTRUCT, _A.TO_SUGGESTION)

TABLE: dict[tuple[State, Action], State] = {
    (_S.REGISTERED, _A.ACCEPT): _S.HANDLING,
    (_S.REGISTERED, _A.DECLINE): _S.DECLINED,
    (_S.HANDLING, _A.EXTEND): _S.HANDLING,
    (_S.HANDLING, _A.ISSUE_OPINION): _S.CLOSED,
    (_S.CLOSED, _A.REQUEST_REVIEW): _S.REVIEW,
    (_S.REVIEW, _A.ANSWER_REVIEW): _S.REVIEWED,
    (_S.REVIEWED, _A.REQUEST_REREVIEW): _S.REREVIEW,
    (_S.REREVIEW, _A.ANSWER_REREVIEW): _S.FINAL,
    # Routing a letter for instructions, the instruction itself and turning a petition into a
    # suggestion leave the state as it is, at any stage.
    **{(s, a): s for s in State for a in _SIDE},
}

INITIAL = State.REGISTERED

_R = Role
#: Only the congress office moves a petition on; administrators configure, they do not handle.
OFFICE = frozenset({_R.STAFF})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    # Presidium members on reception duty and grid workers record petitions they received.
    _A.REGISTER: OFFICE | {_R.PRESIDIUM, _R.GRID_WORKER},
    _A.ACCEPT: OFFICE,
    _A.DECLINE: OFFICE,
    _A.EXTEND: OFFICE,
    _A.ISSUE_OPINION: OFFICE,
    _A.REQUEST_REVIEW: OFFICE,
    _A.ANSWER_REVIEW: OFFICE,
    _A.REQUEST_REREVIEW: OFFICE,
    _A.ANSWER_REREVIEW: OFFICE,
    _A.ROUTE: OFFICE,
    _A.INSTRUCT: frozenset({_R.INSTRUCTOR}),
    _A.TO_SUGGESTION: OFFICE,
}


REFUSAL = gettext_lazy("「{state}」的信访件不能「{action}」")

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


#: Dates of one petition run forward: a step is not dated before the step it follows.
check_not_before = core_workflow.check_not_before


def check_request_in_time(*, on: dt.date, last_day: dt.date, what: str) -> None:
    """复查 / 复核 is asked for within 30 days of the written answer; later requests are refused."""
    if on > last_day:
        raise IllegalTransition(
            _("已超过{what}申请期限（{last}），依据《信访工作条例》不再受理").format(
                what=what, last=last_day.isoformat())
        )


def check_extension(*, already_extended: bool, days: int, max_days: int) -> None:
    """One extension only, of at most ``max_days`` days."""
    if already_extended:
        raise IllegalTransition(_("该信访件已经延期一次，不能再次延期"))
    if days <= 0 or days > max_days:
        raise InvalidInput(_("延期天数应为 1–{max} 天").format(max=max_days),
                           fields={"days": _("应为 1–{max} 天").format(max=max_days)})


FINAL_REFUSAL = gettext_lazy(
    "信访人对复核意见不服，仍以同一事实和理由提出投诉请求；依据《信访工作条例》，不再受理"
    "（原信访件 {code} 已于 {on} 复核终结）"
)


def check_not_final(*, final_code: str | None, final_on: dt.date | None) -> None:
    """A petition on the same facts and reasons as one already re-reviewed is not accepted."""
    if final_code:
        raise IllegalTransition(str(FINAL_REFUSAL).format(code=final_code, on=final_on.isoformat() if final_on else ""))
