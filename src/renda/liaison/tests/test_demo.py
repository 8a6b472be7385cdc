"""The liaison part of ``renda demo``: the first half of 2023 at the level the report admits —
several deputies without a presidium contact, most below the voter-contact target, groups and
stations with a roster, receptions in every state — and a second run writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from tests.support import built_once, demo_steps

from renda.core.demo import Demo
from renda.liaison import selectors
from renda.liaison.models import DeputyGroup, GroupMeeting, Reception, ReceptionDay, Station, VoterContact
from renda.places.models import Region
from renda.reports import metrics

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "liaison"}


def run_demo() -> Demo:
    return demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.usefixtures("built", "db")
class TestDemo:
    def test_without_contact_is_not_empty(self) -> None:
        period = metrics.Period.make(*H1, H1[1])
        d = metrics.deputies_section(period, metrics.resolve_scope(None))
        assert d["without_contact"] > 5 and d["presidium_contacts"] > 0
        assert d["below_voter_target"] > d["total"] // 2  # most deputies fall short
        assert d["voter_contacts"] > 0

    def test_groups_stations_and_receptions(self) -> None:
        town = DeputyGroup.objects.first().town  # type: ignore[union-attr]
        assert DeputyGroup.objects.filter(town=town).count() == 6
        assert all(g.leader_id for g in DeputyGroup.objects.all())
        q2 = (dt.date(2023, 4, 1), dt.date(2023, 6, 30))
        assert 0 < len(selectors.groups_not_met([town.pk], *q2)) < 6
        assert GroupMeeting.objects.filter(on__range=H1).exists()
        assert Station.objects.filter(town=town).count() == 3
        assert ReceptionDay.objects.filter(on__range=H1).count() >= 6
        states = set(Reception.objects.values_list("state", flat=True))
        assert {"filed", "turned_away", "transferred", "fed_back", "proposed", "registered"} <= states
        assert Reception.objects.filter(state="turned_away").exclude(route="").count() == 2
        assert not Reception.objects.filter(suggestion__isnull=False).exists()  # the suggestions demo stays as told

    def test_a_second_run_writes_nothing(self) -> None:
        before = (VoterContact.objects.count(), Reception.objects.count(), ReceptionDay.objects.count(),
                  Region.objects.count())
        demo = run_demo()
        assert sum(demo.created.values()) == 0, demo.created
        assert (VoterContact.objects.count(), Reception.objects.count(), ReceptionDay.objects.count(),
                Region.objects.count()) == before
