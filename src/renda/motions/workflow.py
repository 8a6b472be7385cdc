"""The motion (议案) state machine: a declarative table ``(state, action) → next state`` and who
may take each action. Pure Python: no database.

Lifecycle::

    draft ─submit→ submitted ─put_on_agenda→ on_agenda ─adopt→ adopted ─finish→ finished
      │ sign, unsign, edit      ├─reject→ not_on_agenda      └─not_adopt→ not_adopted
      │                         └─to_suggestion→ as_suggestion (a deputy suggestion, linked both ways)
      └─withdraw→ withdrawn      adopted ─progress→ adopted (the follow-up's progress notes)

    The presidium decides (put on the agenda, not, or treat as a suggestion); the office records
    the decision for it. not_on_agenda, as_suggestion, not_adopted, finished and withdrawn are final.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy

from renda.core.workflow import Machine


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ON_AGENDA = "on_agenda"
    NOT_ON_AGENDA = "off_agenda"
    AS_SUGGESTION = "suggestion"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"
    FINISHED = "finished"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    SIGN = "sign"
    UNSIGN = "unsign"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    PUT_ON_AGENDA = "put_on_agenda"
    REJECT = "reject"
    TO_SUGGESTION = "to_suggestion"
    ADOPT = "adopt"
    NOT_ADOPT = "not_adopt"
    PROGRESS = "progress"
    FINISH = "finish"


class Role(StrEnum):
    """The part a user plays towards one motion."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    ADMIN = "admin"
    LEAD = "lead"  # the motion's lead deputy (领衔代表)
    DEPUTY = "deputy"  # any deputy of the town (signs a draft)
    UNIT = "unit"  # a unit responsible for the follow-up
    DISTRICT_VIEWER = "district_viewer"


STATE_LABELS = {
    State.DRAFT: gettext_lazy("草稿（征集联名）"),
    State.SUBMITTED: gettext_lazy("已提交"),
    State.ON_AGENDA: gettext_lazy("已列入会议议程"),
    State.NOT_ON_AGENDA: gettext_lazy("不列入会议议程"),
    State.AS_SUGGESTION: gettext_lazy("作为代表建议处理"),
    State.ADOPTED: gettext_lazy("已通过（落实中）"),
    State.NOT_ADOPTED: gettext_lazy("未通过"),
    State.FINISHED: gettext_lazy("已落实"),
    State.WITHDRAWN: gettext_lazy("已撤回"),
}

ACTION_LABELS = {
    Action.CREATE: gettext_lazy("起草"),
    Action.EDIT: gettext_lazy("修改"),
    Action.SIGN: gettext_lazy("附议联名"),
    Action.UNSIGN: gettext_lazy("撤销联名"),
    Action.SUBMIT: gettext_lazy("提交议案"),
    Action.WITHDRAW: gettext_lazy("撤回"),
    Action.PUT_ON_AGENDA: gettext_lazy("列入会议议程"),
    Action.REJECT: gettext_lazy("不列入会议议程"),
    Action.TO_SUGGESTION: gettext_lazy("作为代表建议处理"),
    Action.ADOPT: gettext_lazy("登记通过的决议"),
    Action.NOT_ADOPT: gettext_lazy("登记未通过"),
    Action.PROGRESS: gettext_lazy("登记落实进展"),
    Action.FINISH: gettext_lazy("落实完毕"),
}

FINAL = frozenset({State.NOT_ON_AGENDA, State.AS_SUGGESTION, State.NOT_ADOPTED, State.FINISHED, State.WITHDRAWN})
#: The states of a motion that was submitted (what ``renda stats`` counts).
SUBMITTED = frozenset(set(State) - {State.DRAFT, State.WITHDRAWN})
#: Awaiting the presidium's decision.
AWAITING = frozenset({State.SUBMITTED})
INITIAL = State.DRAFT

_S, _A = State, Action
TABLE: dict[tuple[State, Action], State] = {
    (_S.DRAFT, _A.EDIT): _S.DRAFT,
    (_S.DRAFT, _A.SIGN): _S.DRAFT,
    (_S.DRAFT, _A.UNSIGN): _S.DRAFT,
    (_S.DRAFT, _A.SUBMIT): _S.SUBMITTED,
    (_S.DRAFT, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.SUBMITTED, _A.WITHDRAW): _S.WITHDRAWN,
    (_S.SUBMITTED, _A.PUT_ON_AGENDA): _S.ON_AGENDA,
    (_S.SUBMITTED, _A.REJECT): _S.NOT_ON_AGENDA,
    (_S.SUBMITTED, _A.TO_SUGGESTION): _S.AS_SUGGESTION,
    (_S.ON_AGENDA, _A.ADOPT): _S.ADOPTED,
    (_S.ON_AGENDA, _A.NOT_ADOPT): _S.NOT_ADOPTED,
    (_S.ADOPTED, _A.PROGRESS): _S.ADOPTED,
    (_S.ADOPTED, _A.FINISH): _S.FINISHED,
}

_R = Role
OFFICE = frozenset({_R.STAFF, _R.PRESIDIUM, _R.ADMIN})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    _A.CREATE: OFFICE | {_R.DEPUTY},
    _A.EDIT: OFFICE | {_R.LEAD},
    _A.SIGN: OFFICE | {_R.DEPUTY, _R.LEAD},
    _A.UNSIGN: OFFICE | {_R.DEPUTY},
    _A.SUBMIT: OFFICE | {_R.LEAD},
    _A.WITHDRAW: OFFICE | {_R.LEAD},
    _A.PUT_ON_AGENDA: OFFICE,
    _A.REJECT: OFFICE,
    _A.TO_SUGGESTION: OFFICE,
    _A.ADOPT: OFFICE,
    _A.NOT_ADOPT: OFFICE,
    _A.PROGRESS: OFFICE | {_R.UNIT},
    _A.FINISH: OFFICE,
}

REFUSAL = gettext_lazy("「{state}」的议案不能「{action}」")

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL,
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
label = _machine.label
next_state = _machine.next_state
refusal_for = _machine.refusal_for
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions
