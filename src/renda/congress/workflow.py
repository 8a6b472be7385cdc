"""The vote round (票决 / 测评) as a table ``(state, action) → next state``, and the counting
rules, pure Python (no database): ``ballot_is_valid`` and ``tally`` decide validity, election
and grades from plain data, so the rules are tested at their edges without a database.

Lifecycle::

    draft ─open→ open ─cast / enter→ open ─close→ closed
                                         └─close (returned > issued)→ void

Nothing happens to a closed or void round (every write refused); a closed selection round
with a tie at the cut-off may be followed by a further round among the tied options
(``services.round_open_further``), a new round with its own ballots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy

from renda.core.workflow import Machine


class State(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    VOID = "void"


class Action(StrEnum):
    OPEN = "open"
    CAST = "cast"
    ENTER = "enter"
    CLOSE = "close"
    VOID = "void"


STATE_LABELS = {
    State.DRAFT: gettext_lazy("准备中"),
    State.OPEN: gettext_lazy("投票中"),
    State.CLOSED: gettext_lazy("已计票"),
    State.VOID: gettext_lazy("无效"),
}

ACTION_LABELS = {
    Action.OPEN: gettext_lazy("开始投票"),
    Action.CAST: gettext_lazy("投票"),
    Action.ENTER: gettext_lazy("录入选票"),
    Action.CLOSE: gettext_lazy("结束投票并计票"),
    Action.VOID: gettext_lazy("宣布投票无效"),
}

TABLE: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.OPEN): State.OPEN,
    (State.OPEN, Action.CAST): State.OPEN,
    (State.OPEN, Action.ENTER): State.OPEN,
    (State.OPEN, Action.CLOSE): State.CLOSED,
    (State.OPEN, Action.VOID): State.VOID,
}

_machine: Machine[State, Action, State] = Machine(
    State, Action, TABLE, STATE_LABELS, ACTION_LABELS,
    refusal=gettext_lazy("「{state}」的投票不能「{action}」"),
)
label, next_state, possible_actions = _machine.label, _machine.next_state, _machine.possible_actions

SELECT_CHOICES = frozenset({"for", "against", "abstain"})
EVALUATE_CHOICES = frozenset({"satisfied", "basically_satisfied", "dissatisfied", "abstain"})
GRADES = ("satisfied", "basically_satisfied", "dissatisfied")


def choices_for(kind: str) -> frozenset[str]:
    return SELECT_CHOICES if kind == "select" else EVALUATE_CHOICES


def ballot_is_valid(kind: str, choices: Mapping[int, str], seats: int | None) -> bool:
    """A ballot with no mark at all is invalid (both kinds); a selection ballot with more "for"
    marks than seats (N) is invalid. An option left unmarked counts as an abstention."""
    marks = [c for c in choices.values() if c]
    if not marks:
        return False
    if kind == "select":
        return sum(1 for c in marks if c == "for") <= (seats or 0)
    return True


@dataclass(frozen=True)
class Option:
    option_id: int
    ref_kind: str
    ref_id: int
    label: str


@dataclass
class Count:
    for_: int = 0
    against: int = 0
    abstain: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0


@dataclass(frozen=True)
class Tally:
    valid: int
    invalid: int
    counts: dict[int, Count]
    elected: frozenset[int] = field(default_factory=frozenset)
    tied: tuple[int, ...] = ()
    seats_left: int = 0
    grades: dict[int, str] = field(default_factory=dict)
    threshold: int = 0


def majority(basis_count: int) -> int:
    """The fewest votes that are *more than half* of ``basis_count``."""
    return basis_count // 2 + 1


def grade(c: Count, valid: int) -> str:
    """满意 when 满意 votes are more than half of the valid ballots; 基本满意 when 满意 + 基本满意
    are; otherwise 不满意."""
    if c.satisfied * 2 > valid:
        return "satisfied"
    if (c.satisfied + c.basically_satisfied) * 2 > valid:
        return "basically_satisfied"
    return "dissatisfied"


def tally(kind: str, options: Sequence[Option], ballots: Sequence[Mapping[int, str] | None], *,
          seats: int | None, basis_count: int) -> Tally:
    """Count filled ballots (``None`` = an invalid ballot already judged so; a mapping = its
    choices, judged here). Selection: elected = for-votes more than half of ``basis_count`` and
    within the top ``seats`` of the qualifying options; the options tied at the cut-off are not
    elected (a further round decides). Evaluation: a grade per option."""
    counts = {o.option_id: Count() for o in options}
    valid = invalid = 0
    for b in ballots:
        if b is None or not ballot_is_valid(kind, b, seats):
            invalid += 1
            continue
        valid += 1
        for o in options:
            c = counts[o.option_id]
            choice = b.get(o.option_id) or "abstain"
            if kind == "select":
                if choice == "for":
                    c.for_ += 1
                elif choice == "against":
                    c.against += 1
                else:
                    c.abstain += 1
            elif choice == "abstain":
                c.abstain += 1
            else:
                setattr(c, choice, getattr(c, choice) + 1)
    if kind != "select":
        return Tally(valid=valid, invalid=invalid, counts=counts,
                     grades={o.option_id: grade(counts[o.option_id], valid) for o in options})
    threshold = majority(basis_count)
    n = seats or 0
    qualifying = sorted((o for o in options if counts[o.option_id].for_ >= threshold),
                        key=lambda o: -counts[o.option_id].for_)
    elected: list[int] = []
    tied: list[int] = []
    if len(qualifying) <= n:
        elected = [o.option_id for o in qualifying]
    else:
        cut = counts[qualifying[n - 1].option_id].for_ if n else None
        if cut is not None:
            above = [o.option_id for o in qualifying if counts[o.option_id].for_ > cut]
            at_cut = [o.option_id for o in qualifying if counts[o.option_id].for_ == cut]
            if len(above) + len(at_cut) <= n:  # no tie: the cut-off falls between two counts
                above += at_cut
                at_cut = []
            elected, tied = above, at_cut
    return Tally(valid=valid, invalid=invalid, counts=counts, elected=frozenset(elected), tied=tuple(tied),
                 seats_left=n - len(elected) if tied else 0, threshold=threshold)
