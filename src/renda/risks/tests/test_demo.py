"""The risks part of ``renda demo``: XX镇's first half of 2023 (at least 10 risks resolved with
deputies taking part, the driving-school dispute among them) and open risks around today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Exists, OuterRef
from tests.support import built_once, demo_steps

from renda.accounts.models import User
from renda.audit.models import AuditEvent
from renda.people.models import DeputyLevel
from renda.risks import selectors
from renda.risks.demo import DRIVING_SCHOOL
from renda.risks.models import Risk, RiskParticipant

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
#: The organisation's steps and this app's: the risks step depends on nothing else, so its test
#: does not wait for every other app's demo (``renda demo`` runs them all).
STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "risks"}


def run_demo() -> None:
    demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.usefixtures("built", "db")
class TestDemo:
    def test_metrics_definition(self) -> None:
        """METRICS: risks_resolved_with_deputies = resolved in range with ≥1 deputy taking part."""
        deputy_part = RiskParticipant.objects.filter(risk_id=OuterRef("pk"), deputy__isnull=False)
        resolved = Risk.objects.filter(resolved_on__range=H1)
        with_deputies = resolved.filter(Exists(deputy_part))
        assert Risk.objects.filter(registered_on__range=H1).count() >= 12
        assert with_deputies.count() >= 10
        assert with_deputies.count() == Risk.objects.resolved_between(*H1).with_deputies().count()

    def test_district_and_town_deputies_each_with_a_part(self) -> None:
        parts = RiskParticipant.objects.filter(risk__resolved_on__range=H1, deputy__isnull=False)
        assert {p.deputy.level for p in parts.select_related("deputy")} == {DeputyLevel.DISTRICT, DeputyLevel.TOWN}
        assert all(p.part for p in parts)

    def test_driving_school_dispute(self) -> None:
        r = Risk.objects.get(title=DRIVING_SCHOOL)
        assert r.state == "resolved" and r.level == "high" and "赔偿" in r.deputies_role
        assert r.participants.filter(deputy__isnull=False).count() >= 2 and r.steps.count() >= 3
        assert r.people.count() == 3

    def test_open_risks_for_the_logins(self) -> None:
        for username in ("staff", "deputy", "grid"):
            assert selectors.open_for(User.objects.get(username=username)).exists(), username
        assert Risk.objects.open().filter(state="escalated").exists()
        assert not selectors.risks_visible_to(User.objects.get(username="unit")).exists()

    def test_idempotent(self) -> None:
        risks, events = Risk.objects.count(), AuditEvent.objects.count()
        run_demo()
        assert (Risk.objects.count(), AuditEvent.objects.count()) == (risks, events)
