"""The duties part of ``renda demo``: XX镇's first half of 2023 as the report tells it — exactly
4 judicial witness activities and 1 symposium with the procuratorate in ``renda stats`` — and
an activity of today for the demo deputy; a second run writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from tests.support import built_once, demo_steps

from renda.core.demo import Demo
from renda.duties.models import Activity, Attendance, Participation

#: The organisation's steps, the suggestions (the archive reads them) and this app's.
STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "duties"}


def run_demo() -> Demo:
    return demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.django_db
def test_stats_of_the_first_half_of_2023(built: None) -> None:
    out = io.StringIO()
    call_command("stats", "--period", "2023H1", "--format", "json", stdout=out)
    activities = json.loads(out.getvalue())["activities"]
    assert activities["by_type"]["judicial_witness"] == 4
    assert activities["by_type"]["symposium"] >= 1
    assert {"study", "research", "inspection", "hearing", "law_comment"} <= set(activities["by_type"])
    assert all(n > 0 for n in activities["by_type"].values())  # empty types left out
    assert activities["total"] == sum(activities["by_type"].values())
    assert activities["deputy_attendances"] > 30
    assert activities["receptions"] == 0  # the liaison app's receptions (its demo step did not run here)


@pytest.mark.django_db
def test_the_report_s_activities_are_there(built: None) -> None:
    h1 = Activity.objects.filter(on__gte=dt.date(2023, 1, 1), on__lte=dt.date(2023, 6, 30))
    titles = " ".join(h1.values_list("title", flat=True))
    for words in ("党建+人大代表+信访", "防返贫监测", "新型农业经营主体", "乡村旅游", "民法典", "区司法局"):
        assert words in titles
    witness = h1.filter(type="judicial_witness")
    assert witness.filter(organizer_kind="procuratorate").count() == 3
    assert witness.filter(organizer_kind="justice").count() == 1
    assert h1.filter(type="symposium", organizer_kind="procuratorate").count() == 1
    assert not h1.exclude(state="archived").exists()
    assert Participation.objects.filter(activity__in=h1, attendance=Attendance.LEAVE).exists()


@pytest.mark.django_db
def test_a_second_run_writes_nothing(built: None) -> None:
    demo = run_demo()
    assert not demo.created.get("duty_activity") and not demo.created.get("voter_report")


@pytest.mark.django_db
def test_the_demo_deputy_has_an_activity_today(built: None) -> None:
    from django.utils import timezone

    from renda.accounts.models import User

    deputy = User.objects.get(username="deputy")
    assert Activity.objects.filter(on=timezone.localdate(), participations__deputy_id=deputy.deputy_id).exists()
