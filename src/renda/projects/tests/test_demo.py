"""The projects part of ``renda demo``: the 2023 vote through congress adopts the town's two
projects in the state the report describes; a 2022 project graded at the 2023 session; the
projects section of ``renda stats`` for 2023H1 (the issue's "done when")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from tests.support import built_once, demo_steps

from renda.audit.models import AuditEvent
from renda.congress.models import Ballot, VoteRound
from renda.core.stats import Period
from renda.projects import selectors
from renda.projects.demo import GREENING, PLATFORM, UPGRADE
from renda.projects.models import Candidate, Project
from renda.reports import metrics

STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "congress", "projects"}


def run_demo() -> None:
    demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.usefixtures("built", "db")
class TestDemo:
    def test_the_vote_adopted_the_two_projects(self) -> None:
        adopted = Candidate.objects.filter(year=2023, state="adopted").values_list("title", flat=True)
        assert set(adopted) == {GREENING, UPGRADE}
        assert Candidate.objects.filter(year=2023, state="not_adopted").count() == 3
        assert Candidate.objects.filter(year=2023, state="rejected", kind="楼堂馆所").count() == 1
        r = VoteRound.objects.filter(kind="select", options__ref_kind="project_candidate").distinct().get()
        assert r.state == "closed" and Ballot.objects.filter(round=r, filled=True).count() == r.issued

    def test_the_projects_in_the_reports_state(self) -> None:
        g, u = Project.objects.get(title=GREENING), Project.objects.get(title=UPGRADE)
        assert selectors.stage_of(g) == "construction" and g.bid_price and g.contractor
        assert g.bid_price <= (g.tender_ceiling or Decimal(0))
        assert selectors.stage_of(u) == "tender" and u.platform == PLATFORM and u.bid_price is None
        assert g.inspections.exists() and g.attachments.filter(public=True).exists()

    def test_2022_project_graded_at_the_2023_session(self) -> None:
        old = Project.objects.get(year=2022)
        assert old.state == "evaluated" and old.grade == "satisfied"
        assert old.evaluation_session is not None and old.evaluation_session.starts_on.year == 2023

    def test_stats_done_when(self) -> None:
        period = Period.parse("2023H1", today=dt.date(2026, 1, 1))
        s = metrics.stats(period, metrics.resolve_scope())["projects"]
        assert s["count"] == 2 and s["budget_total"] > 0
        assert s["candidates"] == 5 and s["adopted"] == 2 and s["evaluated"] == 1
        assert s["grades"] == {"satisfied": 1, "basically_satisfied": 0, "dissatisfied": 0}
        assert s["by_stage"] == {"construction": 1, "tender": 1}  # empty groups left out (METRICS)
        assert s["budget_total"] == 7779300.0 and s["bid_total"] == 2876412.35

    def test_idempotent(self) -> None:
        n, events = Project.objects.count(), AuditEvent.objects.count()
        run_demo()
        assert (Project.objects.count(), AuditEvent.objects.count()) == (n, events)
