"""The two state machines of livelihood projects (民生实事), as declarative tables
``(state, action) → next state`` with the roles that may take each action. Pure Python: no database.

A candidate (候选项目)::

    collected ─screen→ screened ─list→ listed ─adopt→ adopted
        │                │  ↑  │          │
        │reject          │  └──unlist─────┘─not_adopt→ not_adopted
        └──────→ rejected ←─reject

A project (民生实事项目)::

    adopted ─start→ implementing ─complete→ completed ─evaluate→ evaluated
                                                │
                                                └─evaluate_fail→ rectifying ─rectify→ rectified
    rectified ─evaluate→ evaluated; rectified ─evaluate_fail→ rectifying (a later session)

    plan, stage, money, report_progress, inspect, note: in the states where the work goes on.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy

from renda.core.workflow import Machine

# --- candidates ---------------------------------------------------------------------------------


class CandidateState(StrEnum):
    COLLECTED = "collected"
    SCREENED = "screened"
    REJECTED = "rejected"
    LISTED = "listed"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"


class CandidateAction(StrEnum):
    COLLECT = "collect"
    SCREEN = "screen"
    REJECT = "reject"
    LIST = "list"
    UNLIST = "unlist"
    ADOPT = "adopt"
    NOT_ADOPT = "not_adopt"


CANDIDATE_STATE_LABELS = {
    CandidateState.COLLECTED: gettext_lazy("已征集"),
    CandidateState.SCREENED: gettext_lazy("已初审"),
    CandidateState.REJECTED: gettext_lazy("未通过初审"),
    CandidateState.LISTED: gettext_lazy("已列入候选"),
    CandidateState.ADOPTED: gettext_lazy("票决通过"),
    CandidateState.NOT_ADOPTED: gettext_lazy("未通过票决"),
}
CANDIDATE_ACTION_LABELS = {
    CandidateAction.COLLECT: gettext_lazy("征集"),
    CandidateAction.SCREEN: gettext_lazy("初审"),
    CandidateAction.REJECT: gettext_lazy("不予列入"),
    CandidateAction.LIST: gettext_lazy("列入候选名单"),
    CandidateAction.UNLIST: gettext_lazy("移出候选名单"),
    CandidateAction.ADOPT: gettext_lazy("票决通过"),
    CandidateAction.NOT_ADOPT: gettext_lazy("票决未通过"),
}

_CS, _CA = CandidateState, CandidateAction
CANDIDATE_TABLE: dict[tuple[CandidateState, CandidateAction], CandidateState] = {
    (_CS.COLLECTED, _CA.SCREEN): _CS.SCREENED,
    (_CS.COLLECTED, _CA.REJECT): _CS.REJECTED,
    (_CS.SCREENED, _CA.SCREEN): _CS.SCREENED,  # the screening corrected
    (_CS.SCREENED, _CA.REJECT): _CS.REJECTED,
    (_CS.SCREENED, _CA.LIST): _CS.LISTED,
    (_CS.LISTED, _CA.UNLIST): _CS.SCREENED,
    (_CS.LISTED, _CA.ADOPT): _CS.ADOPTED,
    (_CS.LISTED, _CA.NOT_ADOPT): _CS.NOT_ADOPTED,
}

_candidates: Machine[CandidateState, CandidateAction, CandidateState] = Machine(
    CandidateState, CandidateAction, CANDIDATE_TABLE, CANDIDATE_STATE_LABELS, CANDIDATE_ACTION_LABELS,
    refusal=gettext_lazy("「{state}」的候选项目不能「{action}」"))
candidate_label = _candidates.label
candidate_next = _candidates.next_state


# --- projects -----------------------------------------------------------------------------------


class State(StrEnum):
    ADOPTED = "adopted"
    IMPLEMENTING = "implementing"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    RECTIFYING = "rectifying"
    RECTIFIED = "rectified"


class Action(StrEnum):
    ADOPT = "adopt"
    PLAN = "plan"
    START = "start"
    STAGE = "stage"
    MONEY = "money"
    REPORT_PROGRESS = "report_progress"
    INSPECT = "inspect"
    NOTE = "note"
    COMPLETE = "complete"
    EVALUATE = "evaluate"
    EVALUATE_FAIL = "evaluate_fail"
    RECTIFY = "rectify"


class Role(StrEnum):
    """The part a user plays towards one project (``policy.roles_on``)."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    SUPERVISOR = "supervisor"  # the supervising presidium member or a deputy of the group
    LEAD_UNIT = "lead_unit"
    DEPUTY = "deputy"  # any deputy of the town: reads
    DISTRICT_VIEWER = "district_viewer"
    ADMIN = "admin"


STATE_LABELS = {
    State.ADOPTED: gettext_lazy("已票决"),
    State.IMPLEMENTING: gettext_lazy("实施中"),
    State.COMPLETED: gettext_lazy("已完成"),
    State.EVALUATED: gettext_lazy("已测评"),
    State.RECTIFYING: gettext_lazy("整改中"),
    State.RECTIFIED: gettext_lazy("已整改"),
}
ACTION_LABELS = {
    Action.ADOPT: gettext_lazy("确定项目"),
    Action.PLAN: gettext_lazy("实施方案"),
    Action.START: gettext_lazy("开始实施"),
    Action.STAGE: gettext_lazy("更新阶段"),
    Action.MONEY: gettext_lazy("资金情况"),
    Action.REPORT_PROGRESS: gettext_lazy("报告进度"),
    Action.INSPECT: gettext_lazy("视察检查"),
    Action.NOTE: gettext_lazy("督办记录"),
    Action.COMPLETE: gettext_lazy("完成报告"),
    Action.EVALUATE: gettext_lazy("满意度测评"),
    Action.EVALUATE_FAIL: gettext_lazy("测评不满意"),
    Action.RECTIFY: gettext_lazy("整改报告"),
}

#: States in which the work goes on (warnings count, progress is reported).
WORKING = frozenset({State.ADOPTED, State.IMPLEMENTING, State.RECTIFYING})
#: States a completed project is graded from.
GRADABLE = frozenset({State.COMPLETED, State.RECTIFIED})

_S, _A = State, Action
TABLE: dict[tuple[State, Action], State] = {
    (_S.ADOPTED, _A.START): _S.IMPLEMENTING,
    (_S.IMPLEMENTING, _A.COMPLETE): _S.COMPLETED,
    (_S.COMPLETED, _A.EVALUATE): _S.EVALUATED,
    (_S.COMPLETED, _A.EVALUATE_FAIL): _S.RECTIFYING,
    (_S.RECTIFYING, _A.RECTIFY): _S.RECTIFIED,
    (_S.RECTIFIED, _A.EVALUATE): _S.EVALUATED,
    (_S.RECTIFIED, _A.EVALUATE_FAIL): _S.RECTIFYING,
}
#: Actions that keep the project where it is, and the states they are open in.
STAYS: dict[Action, frozenset[State]] = {
    _A.PLAN: frozenset({_S.ADOPTED, _S.IMPLEMENTING}),
    _A.STAGE: frozenset({_S.ADOPTED, _S.IMPLEMENTING, _S.RECTIFYING}),
    _A.MONEY: frozenset({_S.ADOPTED, _S.IMPLEMENTING, _S.COMPLETED, _S.RECTIFYING, _S.RECTIFIED, _S.EVALUATED}),
    _A.REPORT_PROGRESS: frozenset({_S.ADOPTED, _S.IMPLEMENTING, _S.RECTIFYING}),
    _A.INSPECT: frozenset({_S.ADOPTED, _S.IMPLEMENTING, _S.COMPLETED, _S.RECTIFYING, _S.RECTIFIED}),
    _A.NOTE: frozenset(State),
}
for _action, _states in STAYS.items():
    for _state in _states:
        TABLE[(_state, _action)] = _state

_R = Role
OFFICE = frozenset({_R.STAFF, _R.PRESIDIUM})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    _A.ADOPT: OFFICE,
    _A.PLAN: OFFICE,
    _A.START: OFFICE | {_R.LEAD_UNIT},
    _A.STAGE: OFFICE | {_R.LEAD_UNIT},
    _A.MONEY: OFFICE | {_R.LEAD_UNIT},
    _A.REPORT_PROGRESS: OFFICE | {_R.LEAD_UNIT},
    _A.INSPECT: OFFICE | {_R.SUPERVISOR},
    _A.NOTE: OFFICE | {_R.SUPERVISOR},
    _A.COMPLETE: OFFICE | {_R.LEAD_UNIT},
    # Grades come from the evaluation round (congress), entered by the office when needed.
    _A.EVALUATE: OFFICE,
    _A.EVALUATE_FAIL: OFFICE,
    _A.RECTIFY: OFFICE | {_R.LEAD_UNIT},
}

MOVES = frozenset({_A.START, _A.COMPLETE, _A.EVALUATE, _A.EVALUATE_FAIL, _A.RECTIFY})
INITIAL = State.ADOPTED

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS,
                   refusal=gettext_lazy("「{state}」的民生实事项目不能「{action}」"),
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
label = _machine.label
next_state = _machine.next_state
refusal_for = _machine.refusal_for
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions
