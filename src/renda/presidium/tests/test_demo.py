"""The presidium part of ``renda demo``: XX镇's 2023 plan with its first-half tasks reviewed and
second-half tasks, the division of duties, the information items of 2023H1 in ``renda stats``,
the July 2023 honour; a second run writes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from tests.support import built_once, demo_steps

from renda.core.demo import Demo
from renda.duties.models import Award
from renda.presidium import selectors
from renda.presidium.models import Plan

#: The organisation's steps, the duties (the tasks link its activities) and this app's.
STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "duties", "presidium"}


def run_demo() -> Demo:
    return demo_steps(STEPS)


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


@pytest.mark.django_db
def test_the_plan_the_division_and_the_information_of_2023h1(built: None) -> None:
    plan = Plan.objects.get(year=2023)
    h1 = list(selectors.tasks_for_half(plan.town, "2023H1"))
    h2 = list(selectors.tasks_for_half(plan.town, "2023H2"))
    assert len(h1) == 6 and all(t.reviews.filter(half="2023H1").exists() for t in h1)
    assert len(h2) == 6 and not any(t.reviews.exists() for t in h2)
    assert any(t.links.filter(kind="activity").exists() for t in h1)
    assert selectors.division_of_duties(plan.town, 2023).count() == 4
    out = io.StringIO()
    call_command("stats", "--period", "2023H1", "--format", "json", stdout=out)
    info = json.loads(out.getvalue())["information"]
    assert info == {"submitted": 6, "adopted": 4, "honours": 0}  # the honour came in July
    assert Award.objects.get(title="全区人大信息工作先进单位").recipient == "office"


@pytest.mark.django_db
def test_a_second_run_writes_nothing(built: None) -> None:
    demo = run_demo()
    assert not any(demo.created.get(k) for k in ("plan", "plan_task", "duty_division", "info_item", "honour"))
