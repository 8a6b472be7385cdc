"""The mechanics every table-driven state machine shares (suggestions, petitions, risks, shifts).

An app's ``workflow.py`` declares its states, actions, roles, labels and the table
``(state, action) → next state``, then binds one ``Machine`` and re-exports its methods under
the names its call sites use (``label``, ``next_state``, ``is_allowed``, ``allowed_actions``)::

    _machine = Machine(State, Action, TABLE, STATE_LABELS, ACTION_LABELS,
                       refusal=gettext_lazy("「{state}」的信访件不能「{action}」"),
                       roles=Role, roles_for_action=ROLES_FOR_ACTION)
    label, next_state = _machine.label, _machine.next_state

The refusal message stays in the app (its msgid names the object: 事项, 信访件, 隐患 …), written
with ``gettext_lazy`` so it is translated when it is raised.

Guards several workflows share are here too (``check_not_before``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from renda.core.errors import IllegalTransition, InvalidInput

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)
R = TypeVar("R", bound=StrEnum)


class Machine(Generic[S, A, R]):
    """A declarative table ``(state, action) → next state``, optionally with the roles that may take
    each action. Pure Python: no database."""

    def __init__(
        self,
        states: type[S],
        actions: type[A],
        table: Mapping[tuple[S, A], S],
        state_labels: Mapping[S, object],
        action_labels: Mapping[A, object],
        *,
        refusal: object,
        state_key: str = "state",
        roles: type[R] | None = None,
        roles_for_action: Mapping[A, frozenset[R]] | None = None,
    ) -> None:
        self.states, self.actions, self.roles = states, actions, roles
        self.table, self.roles_for_action = table, roles_for_action or {}
        self.state_labels, self.action_labels = state_labels, action_labels
        #: A (lazy) message with ``{action}`` and ``{<state_key>}`` placeholders.
        self.refusal, self.state_key = refusal, state_key

    def label(self, value: S | A) -> str:
        return str(self.state_labels[value] if isinstance(value, self.states) else self.action_labels[value])  # type: ignore[index]

    def next_state(self, state: S | str, action: A | str) -> S:
        """The state after ``action``, or ``IllegalTransition`` with a message in words."""
        state, action = self.states(state), self.actions(action)
        try:
            return self.table[(state, action)]
        except KeyError:
            raise IllegalTransition(
                str(self.refusal).format(**{self.state_key: self.label(state)}, action=self.label(action))
            ) from None

    def refusal_for(self, state: S | str, action: A | str) -> str | None:
        """The table's refusal of ``action`` in ``state`` in words (``next_state``'s message), or
        None when the table allows it."""
        try:
            self.next_state(state, action)
        except IllegalTransition as exc:
            return exc.message
        return None

    def possible_actions(self, state: S | str) -> list[A]:
        """The actions the table allows from ``state`` (whoever takes them), in the order of the enum."""
        return [a for a in self.actions if (self.states(state), a) in self.table]

    def is_allowed(self, state: S | str, action: A | str, role: R | str) -> bool:
        assert self.roles is not None, "this machine has no roles"
        return (self.states(state), self.actions(action)) in self.table and (
            self.roles(role) in self.roles_for_action[self.actions(action)]
        )

    def allowed_actions(self, state: S | str, role: R | str) -> list[A]:
        """The actions ``role`` may take in ``state``, in the order of the enum."""
        return [a for a in self.actions if self.is_allowed(state, a, role)]


# --- guards -------------------------------------------------------------------------------


def check_not_before(*, on: dt.date, earlier: dt.date | None, what: str | Promise) -> None:
    """Dates of one item run forward: a step is not dated before the step it follows (``what``:
    登记, 交办, 受理 …; ``earlier`` None when there is none). ``InvalidInput`` on the ``on`` field."""
    if earlier is not None and on < earlier:
        raise InvalidInput(
            _("日期 {on} 早于{what}日期 {earlier}").format(on=on.isoformat(), what=what, earlier=earlier.isoformat()),
            fields={"on": _("早于{what}日期").format(what=what)},
        )
