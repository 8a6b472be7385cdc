"""The reception (接待) state machine of a contact station (代表联络站): a declarative table
``(state, action) → next state`` and who may take each action. Pure Python: no database.

Lifecycle::

    registered ─propose→ proposed ─transfer→ transferred ─chase→ chasing ─feedback→ fed_back ─file→ filed
        │                   │  └──feedback (answered on the spot)──────────────────→ fed_back
        │                   │                     └──────────────feedback──────────→ fed_back
        └─turn_away─────────┴─turn_away→ turned_away   (涉法涉诉: the route given, terminal)

    chase may be repeated (chasing → chasing); filed and turned_away are final.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy

from renda.core.workflow import Machine


class State(StrEnum):
    REGISTERED = "registered"
    PROPOSED = "proposed"
    TRANSFERRED = "transferred"
    CHASING = "chasing"
    FED_BACK = "fed_back"
    FILED = "filed"
    TURNED_AWAY = "turned_away"


class Action(StrEnum):
    REGISTER = "register"
    PROPOSE = "propose"
    TRANSFER = "transfer"
    CHASE = "chase"
    FEEDBACK = "feedback"
    FILE = "file"
    TURN_AWAY = "turn_away"


class Role(StrEnum):
    """The part a user plays towards one reception: the town's office and presidium, a deputy of
    the reception's station (``station_deputy``), a district-wide reader."""

    STAFF = "staff"
    PRESIDIUM = "presidium"
    ADMIN = "admin"
    STATION_DEPUTY = "station_deputy"
    DISTRICT_VIEWER = "district_viewer"


STATE_LABELS = {
    State.REGISTERED: gettext_lazy("已登记"),
    State.PROPOSED: gettext_lazy("已提出办理意见"),
    State.TRANSFERRED: gettext_lazy("已转办"),
    State.CHASING: gettext_lazy("督办中"),
    State.FED_BACK: gettext_lazy("已反馈"),
    State.FILED: gettext_lazy("已归档"),
    State.TURNED_AWAY: gettext_lazy("已引导依法处理"),
}

ACTION_LABELS = {
    Action.REGISTER: gettext_lazy("登记"),
    Action.PROPOSE: gettext_lazy("提出办理意见"),
    Action.TRANSFER: gettext_lazy("转办"),
    Action.CHASE: gettext_lazy("督办"),
    Action.FEEDBACK: gettext_lazy("反馈"),
    Action.FILE: gettext_lazy("归档"),
    Action.TURN_AWAY: gettext_lazy("引导依法处理"),
}

TERMINAL = frozenset({State.FILED, State.TURNED_AWAY})
OPEN = frozenset(set(State) - TERMINAL)
INITIAL = State.REGISTERED

_S, _A = State, Action

TABLE: dict[tuple[State, Action], State] = {
    (_S.REGISTERED, _A.PROPOSE): _S.PROPOSED,
    (_S.REGISTERED, _A.TURN_AWAY): _S.TURNED_AWAY,
    (_S.PROPOSED, _A.TRANSFER): _S.TRANSFERRED,
    (_S.PROPOSED, _A.FEEDBACK): _S.FED_BACK,
    (_S.PROPOSED, _A.TURN_AWAY): _S.TURNED_AWAY,
    (_S.TRANSFERRED, _A.CHASE): _S.CHASING,
    (_S.TRANSFERRED, _A.FEEDBACK): _S.FED_BACK,
    (_S.CHASING, _A.CHASE): _S.CHASING,
    (_S.CHASING, _A.FEEDBACK): _S.FED_BACK,
    (_S.FED_BACK, _A.FILE): _S.FILED,
}

_R = Role
OFFICE = frozenset({_R.STAFF, _R.PRESIDIUM, _R.ADMIN})
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    _A.REGISTER: OFFICE | {_R.STATION_DEPUTY},
    _A.PROPOSE: OFFICE | {_R.STATION_DEPUTY},
    _A.TRANSFER: OFFICE,
    _A.CHASE: OFFICE,
    _A.FEEDBACK: OFFICE | {_R.STATION_DEPUTY},
    _A.FILE: OFFICE,
    _A.TURN_AWAY: OFFICE | {_R.STATION_DEPUTY},
}

REFUSAL = gettext_lazy("「{state}」的接待记录不能「{action}」")

_machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS, refusal=REFUSAL,
                   roles=Role, roles_for_action=ROLES_FOR_ACTION)
label = _machine.label
next_state = _machine.next_state
refusal_for = _machine.refusal_for
is_allowed = _machine.is_allowed
allowed_actions = _machine.allowed_actions
