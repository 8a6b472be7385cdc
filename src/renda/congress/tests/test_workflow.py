"""The counting rules at their edges, without a database."""

from __future__ import annotations

import pytest

from renda.congress import workflow
from renda.congress.workflow import Option, ballot_is_valid, majority, tally
from renda.core.errors import IllegalTransition

OPTS = [Option(i, "project_candidate", 100 + i, f"项目{i}") for i in (1, 2, 3, 4)]


def test_table() -> None:
    assert workflow.next_state("draft", "open") == "open"
    assert workflow.next_state("open", "close") == "closed"
    assert workflow.next_state("open", "void") == "void"
    for state in ("closed", "void"):
        for action in ("cast", "enter", "close", "open"):
            with pytest.raises(IllegalTransition):
                workflow.next_state(state, action)


def test_majority_is_more_than_half() -> None:
    assert majority(9) == 5
    assert majority(10) == 6
    assert majority(1) == 1


@pytest.mark.parametrize(("marks", "valid"), [
    ({1: "for", 2: "for"}, True),                     # exactly N
    ({1: "for", 2: "for", 3: "for"}, False),          # N + 1
    ({}, False),                                      # no mark
    ({1: "abstain"}, True),                           # an explicit abstention is a mark
    ({1: "against", 2: "against", 3: "against", 4: "against"}, True),
])
def test_select_ballot_validity(marks: dict[int, str], valid: bool) -> None:
    assert ballot_is_valid("select", marks, 2) is valid


def test_evaluate_ballot_without_mark_invalid() -> None:
    assert ballot_is_valid("evaluate", {}, None) is False
    assert ballot_is_valid("evaluate", {1: "abstain"}, None) is True


def _ballots(*spec: tuple[int, dict[int, str]]) -> list[dict[int, str] | None]:
    out: list[dict[int, str] | None] = []
    for count, marks in spec:
        out += [marks] * count
    return out


def test_elected_needs_more_than_half_of_basis() -> None:
    t = tally("select", OPTS, _ballots((5, {1: "for"}), (4, {2: "for"})), seats=2, basis_count=9)
    assert t.elected == {1}  # 5 of 9 is more than half; 4 is not
    assert t.counts[2].for_ == 4 and t.counts[1].abstain == 4
    t = tally("select", OPTS, _ballots((5, {1: "for"}), (4, {2: "for"})), seats=2, basis_count=7)
    assert t.elected == {1, 2}  # basis 7 (present): 4 is more than half


def test_top_n_of_the_qualifying() -> None:
    b = _ballots((7, {1: "for", 2: "for"}), (2, {3: "for", 1: "for"}), (4, {3: "for", 2: "against"}))
    t = tally("select", OPTS, b, seats=2, basis_count=13)
    # 1: 9, 2: 7, 3: 6 — all three above 6 (majority of 13 is 7)? 3 has 6: not qualifying.
    assert t.elected == {1, 2} and not t.tied


def test_tie_at_the_cut_off_is_not_broken() -> None:
    b = _ballots((5, {1: "for", 2: "for"}), (2, {1: "for", 3: "for"}), (1, {3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=8)
    # 1: 7, 2: 5, 3: 3 → 2 qualifies (5 > 4); 3 does not
    assert t.elected == {1, 2}
    b = _ballots((5, {1: "for", 2: "for"}), (4, {1: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=9)
    # 1: 9, 2: 5, 3: 4 → with 9 deputies only 1 and 2 reach 5
    assert t.elected == {1, 2}
    b = _ballots((5, {1: "for", 2: "for"}), (5, {1: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=10)
    # 1: 10, 2: 5, 3: 5 — majority of 10 is 6: neither 2 nor 3
    assert t.elected == {1} and not t.tied
    b = _ballots((6, {1: "for", 2: "for"}), (6, {1: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=12)
    # 1: 12, 2: 6, 3: 6 — majority of 12 is 7: 2 and 3 do not qualify
    assert t.elected == {1}
    b = _ballots((7, {1: "for", 2: "for"}), (7, {1: "for", 3: "for"}), (7, {2: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=21)
    # 14 each, all qualify (≥ 11), 3 options tied for 2 seats: none elected, a further round for 2
    assert t.elected == set() and set(t.tied) == {1, 2, 3} and t.seats_left == 2
    b = _ballots((8, {1: "for", 2: "for"}), (6, {1: "for", 3: "for"}), (6, {2: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=20)
    # 1: 14, 2: 14, 3: 12 → the cut-off falls between 14 and 12: 1 and 2 elected
    assert t.elected == {1, 2} and not t.tied
    b = _ballots((8, {1: "for", 2: "for"}), (6, {2: "for", 3: "for"}), (6, {1: "for", 3: "for"}),
                 (2, {3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=22)
    # 1: 14, 2: 14, 3: 6 + 6 + 2 = 14: three tied for two seats
    assert t.elected == set() and len(t.tied) == 3
    b = _ballots((9, {1: "for", 2: "for"}), (6, {2: "for", 3: "for"}), (6, {3: "for", 4: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=21)
    # 1: 9, 2: 15, 3: 12, 4: 6 — 2 elected, the second seat: 3 (12) alone qualifies above 1 (9 < 11)
    assert t.elected == {2, 3}


def test_one_elected_and_two_tied_for_the_last_seat() -> None:
    b = _ballots((6, {1: "for", 2: "for"}), (6, {1: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=12)
    assert t.elected == {1}  # 2 and 3: 6 of 12, not more than half
    b = _ballots((7, {1: "for", 2: "for"}), (7, {1: "for", 3: "for"}))
    t = tally("select", OPTS, b, seats=2, basis_count=13)
    assert t.elected == {1} and set(t.tied) == {2, 3} and t.seats_left == 1


def test_invalid_ballots_are_counted_not_tallied() -> None:
    b = _ballots((5, {1: "for"}), (1, {1: "for", 2: "for", 3: "for"}), (1, {}))
    t = tally("select", OPTS, [*b, None], seats=2, basis_count=9)
    assert (t.valid, t.invalid) == (5, 3)
    assert t.counts[1].for_ == 5 and t.counts[2].for_ == 0


@pytest.mark.parametrize(("s", "b", "d", "valid", "expected"), [
    (5, 0, 4, 9, "satisfied"),               # 5 of 9: more than half
    (4, 1, 4, 9, "basically_satisfied"),     # 4 + 1 of 9
    (4, 0, 5, 9, "dissatisfied"),
    (4, 0, 4, 8, "dissatisfied"),            # 4 of 8 is half, not more
    (4, 1, 3, 8, "basically_satisfied"),     # 5 of 8
    (0, 0, 0, 0, "dissatisfied"),
])
def test_grade(s: int, b: int, d: int, valid: int, expected: str) -> None:
    assert workflow.grade(workflow.Count(satisfied=s, basically_satisfied=b, dissatisfied=d), valid) == expected


def test_evaluate_tally() -> None:
    b = _ballots((5, {1: "satisfied", 2: "dissatisfied"}), (3, {1: "basically_satisfied", 2: "abstain"}), (1, {}))
    t = tally("evaluate", OPTS[:2], b, seats=None, basis_count=9)
    assert (t.valid, t.invalid) == (8, 1)
    assert t.grades == {1: "satisfied", 2: "dissatisfied"}
    assert t.counts[2].abstain == 3
