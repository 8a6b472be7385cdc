"""METRICS ``motions``: motions submitted at sessions held in [from, to], on the agenda, treated as
suggestions, resolved (follow-up finished by as-of) — at the edges of the period and of as-of."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.core.stats import Period
from renda.motions import services
from renda.motions.tests.helpers import D, motion, presidium, session, staff, submitted
from renda.reports.metrics import motions_section, resolve_scope

pytestmark = pytest.mark.django_db


def _stats(world: World, from_: str, to: str, as_of: str) -> dict[str, int]:
    return motions_section(Period(D(from_), D(to), D(as_of)), resolve_scope(world.town.code))


def test_counts_at_the_edges(world: World) -> None:
    s = session(world)  # opens 2023-01-12
    adopted = services.motion_put_on_agenda(actor=presidium(world), motion_id=submitted(world, s).pk,
                                            on=D("2023-01-12"))
    services.motion_adopt(actor=staff(world), motion_id=adopted.pk, resolution="决议", on=D("2023-01-13"),
                          units=[world.unit])
    services.motion_finish(actor=staff(world), motion_id=adopted.pk, summary="已落实", on=D("2023-06-30"))
    as_s = submitted(world, s, title="关于村道维修的议案")
    services.motion_to_suggestion(actor=presidium(world), motion_id=as_s.pk, on=D("2023-01-13"))
    motion(world, s, title="草稿不计")  # a draft is not counted
    full = {"submitted": 2, "on_agenda": 1, "as_suggestions": 1, "resolved": 1}
    assert _stats(world, "2023-01-01", "2023-06-30", "2023-06-30") == full
    assert _stats(world, "2023-01-12", "2023-01-12", "2023-06-30") == full  # the session's first day is in
    assert _stats(world, "2023-01-13", "2023-06-30", "2023-06-30")["submitted"] == 0  # a day after: out
    assert _stats(world, "2023-01-01", "2023-06-30", "2023-06-29")["resolved"] == 0  # finished a day after as-of
    before = _stats(world, "2023-01-01", "2023-01-12", "2023-01-12")
    assert before == {"submitted": 2, "on_agenda": 1, "as_suggestions": 0, "resolved": 0}
