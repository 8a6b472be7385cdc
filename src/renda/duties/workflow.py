"""The state machines of duties (履职): duty activities and reports to voters (述职评议), each a
declarative table ``(state, action) → next state`` with who may take each action. Pure Python.

Activity::

    planned ─hold→ held ─archive→ archived
       └─cancel→ cancelled

    sign in (QR), record attendance, attach files, record findings: planned or held.

Report to voters (述职)::

    drafting ─submit→ submitted ─rate→ rated ─file→ filed
        ↑                 │
        └────return───────┘

    edit: drafting (the deputy or the office); feedback: rated (the office).
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.errors import InvalidInput
from renda.core.workflow import Machine

# --- activities ---------------------------------------------------------------------------------


class State(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class Action(StrEnum):
    PLAN = "plan"
    HOLD = "hold"
    ARCHIVE = "archive"
    CANCEL = "cancel"
    SIGN_IN = "sign_in"
    ATTENDANCE = "attendance"
    ATTACH = "attach"
    FINDING = "finding"


class Role(StrEnum):
    """The part a user plays towards one activity: the town's office or presidium
    (``office``), an administrator, a participant deputy, a deputy of the town, a reader."""

    OFFICE = "office"
    ADMIN = "admin"
    PARTICIPANT = "participant"
    DEPUTY = "deputy"
    READER = "reader"


STATE_LABELS = {
    State.PLANNED: gettext_lazy("计划中"),
    State.HELD: gettext_lazy("已开展"),
    State.ARCHIVED: gettext_lazy("已归档"),
    State.CANCELLED: gettext_lazy("已取消"),
}

ACTION_LABELS = {
    Action.PLAN: gettext_lazy("安排活动"),
    Action.HOLD: gettext_lazy("确认已开展"),
    Action.ARCHIVE: gettext_lazy("归档"),
    Action.CANCEL: gettext_lazy("取消活动"),
    Action.SIGN_IN: gettext_lazy("扫码签到"),
    Action.ATTENDANCE: gettext_lazy("登记出席情况"),
    Action.ATTACH: gettext_lazy("上传材料或照片"),
    Action.FINDING: gettext_lazy("记录发现问题"),
}

INITIAL = State.PLANNED
_S, _A = State, Action

TABLE: dict[tuple[State, Action], State] = {
    (_S.PLANNED, _A.HOLD): _S.HELD,
    (_S.PLANNED, _A.CANCEL): _S.CANCELLED,
    (_S.PLANNED, _A.SIGN_IN): _S.PLANNED,
    (_S.PLANNED, _A.ATTENDANCE): _S.PLANNED,
    (_S.PLANNED, _A.ATTACH): _S.PLANNED,
    (_S.PLANNED, _A.FINDING): _S.PLANNED,
    (_S.HELD, _A.ARCHIVE): _S.ARCHIVED,
    (_S.HELD, _A.SIGN_IN): _S.HELD,
    (_S.HELD, _A.ATTENDANCE): _S.HELD,
    (_S.HELD, _A.ATTACH): _S.HELD,
    (_S.HELD, _A.FINDING): _S.HELD,
}

_R = Role
MANAGERS = frozenset({_R.OFFICE, _R.ADMIN})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    _A.PLAN: MANAGERS,
    _A.HOLD: MANAGERS,
    _A.ARCHIVE: MANAGERS,
    _A.CANCEL: MANAGERS,
    _A.SIGN_IN: frozenset({_R.PARTICIPANT}),
    _A.ATTENDANCE: MANAGERS,
    _A.ATTACH: MANAGERS | {_R.PARTICIPANT},
    _A.FINDING: MANAGERS | {_R.PARTICIPANT},
}

REFUSAL = gettext_lazy("「{state}」的活动不能「{action}」")

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL,
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
label = _machine.label
next_state = _machine.next_state
refusal_for = _machine.refusal_for
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions

#: States in which an activity counts as held (``activities`` in renda stats, the archive).
COUNTED = frozenset({State.HELD, State.ARCHIVED})


# --- reports to voters (述职评议) -----------------------------------------------------------------


class ReportState(StrEnum):
    DRAFTING = "drafting"
    SUBMITTED = "submitted"
    RATED = "rated"
    FILED = "filed"


class ReportAction(StrEnum):
    DRAFT = "draft"
    EDIT = "edit"
    SUBMIT = "submit"
    RETURN = "return"
    RATE = "rate"
    FEEDBACK = "feedback"
    FILE = "file"


class ReportRole(StrEnum):
    OFFICE = "office"
    ADMIN = "admin"
    AUTHOR = "author"
    READER = "reader"


REPORT_STATE_LABELS = {
    ReportState.DRAFTING: gettext_lazy("起草中"),
    ReportState.SUBMITTED: gettext_lazy("已提交"),
    ReportState.RATED: gettext_lazy("已测评"),
    ReportState.FILED: gettext_lazy("已报送主席团"),
}

REPORT_ACTION_LABELS = {
    ReportAction.DRAFT: gettext_lazy("起草述职报告"),
    ReportAction.EDIT: gettext_lazy("修改述职报告"),
    ReportAction.SUBMIT: gettext_lazy("提交述职报告"),
    ReportAction.RETURN: gettext_lazy("退回修改"),
    ReportAction.RATE: gettext_lazy("登记述职会议与测评结果"),
    ReportAction.FEEDBACK: gettext_lazy("反馈意见"),
    ReportAction.FILE: gettext_lazy("报送主席团存档"),
}

_RS, _RA, _RR = ReportState, ReportAction, ReportRole

REPORT_TABLE: dict[tuple[ReportState, ReportAction], ReportState] = {
    (_RS.DRAFTING, _RA.EDIT): _RS.DRAFTING,
    (_RS.DRAFTING, _RA.SUBMIT): _RS.SUBMITTED,
    (_RS.SUBMITTED, _RA.RETURN): _RS.DRAFTING,
    (_RS.SUBMITTED, _RA.RATE): _RS.RATED,
    (_RS.RATED, _RA.FEEDBACK): _RS.RATED,
    (_RS.RATED, _RA.FILE): _RS.FILED,
}

REPORT_OFFICE = frozenset({_RR.OFFICE, _RR.ADMIN})
REPORT_ROLES_FOR_ACTION: dict[ReportAction, frozenset[ReportRole]] = {
    _RA.DRAFT: REPORT_OFFICE | {_RR.AUTHOR},
    _RA.EDIT: REPORT_OFFICE | {_RR.AUTHOR},
    _RA.SUBMIT: REPORT_OFFICE | {_RR.AUTHOR},
    _RA.RETURN: REPORT_OFFICE,
    _RA.RATE: REPORT_OFFICE,
    _RA.FEEDBACK: REPORT_OFFICE,
    _RA.FILE: REPORT_OFFICE,
}

REPORT_REFUSAL = gettext_lazy("「{state}」的述职报告不能「{action}」")

_report_machine = Machine(ReportState, ReportAction, REPORT_TABLE, REPORT_STATE_LABELS, REPORT_ACTION_LABELS,
                          refusal=REPORT_REFUSAL, roles=ReportRole, roles_for_action=REPORT_ROLES_FOR_ACTION)
report_label = _report_machine.label
report_next_state = _report_machine.next_state
report_refusal_for = _report_machine.refusal_for
report_is_allowed = _report_machine.is_allowed
report_allowed_actions = _report_machine.allowed_actions


# --- guards -------------------------------------------------------------------------------------


def check_tally(*, present: int | None, minimum: int, satisfied: int, basically: int, dissatisfied: int) -> int:
    """The rating announced on the spot: at least ``minimum`` present, no negative count, no more
    ratings than people present. Returns the number of ratings."""
    if present is None or present < minimum:
        msg = _("到会人数不足 {n} 人，不能进行测评").format(n=minimum)
        raise InvalidInput(msg, fields={"present": msg})
    for field, value in (("satisfied", satisfied), ("basically", basically), ("dissatisfied", dissatisfied)):
        if value < 0:
            raise InvalidInput(_("票数不能为负数"), fields={field: _("不能为负数")})
    total = satisfied + basically + dissatisfied
    if total > present:
        msg = _("测评票数合计 {t} 超过到会人数 {p}").format(t=total, p=present)
        raise InvalidInput(msg, fields={"dissatisfied": msg})
    if total == 0:
        raise InvalidInput(_("请填写测评票数"), fields={"satisfied": _("必填")})
    return total
