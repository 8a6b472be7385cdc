"""The congress part of ``renda demo``: XX镇's 18th congress — the 2022 and 2023 sessions, the
first 2023 session with quorum and the project vote on its agenda, the July 2023 session of the
half-year report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from tests.support import built_once, demo_steps

from renda.audit.models import AuditEvent
from renda.congress import selectors
from renda.congress.demo import EVALUATE_AGENDA, VOTE_AGENDA
from renda.congress.models import Session

STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "congress"}


def run_demo() -> None:
    demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.usefixtures("built", "db")
class TestDemo:
    def test_sessions(self) -> None:
        titles = list(Session.objects.order_by("starts_on").values_list("title", flat=True))
        assert titles == ["XX镇第十八届人民代表大会第二次会议", "XX镇第十八届人民代表大会第三次会议",
                          "XX镇第十八届人民代表大会第四次会议"]

    def test_first_2023_session_has_quorum_and_the_vote(self) -> None:
        s = Session.objects.get(number=3)
        q = selectors.session_quorum(s)
        assert q.reached and q.present == q.all - 2
        assert set(s.attendance.values_list("status", flat=True)) == {"present", "leave", "absent"}
        assert s.agenda.filter(title=VOTE_AGENDA, needs_vote=True).exists()
        assert s.agenda.filter(title=EVALUATE_AGENDA, needs_vote=True).exists()

    def test_session_of_the_half_year_report(self) -> None:
        s = Session.objects.get(number=4)
        found = selectors.session_for_report(s.town, dt.date(2023, 7, 31))
        assert found == s and found.starts_on.month == 7 and found.starts_on.year == 2023

    def test_idempotent(self) -> None:
        sessions, events = Session.objects.count(), AuditEvent.objects.count()
        run_demo()
        assert (Session.objects.count(), AuditEvent.objects.count()) == (sessions, events)
