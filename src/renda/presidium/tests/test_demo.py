"""The presidium part of ``renda demo``: XX镇's 2023 plan with its first-half tasks reviewed and
second-half tasks, the division of duties, the information items of 2023H1 in ``renda stats``,
the July 2023 honour; a second run writes nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from renda.audit import context
from renda.core.demo import Demo, steps
from renda.duties.models import Award
from renda.presidium import selectors
from renda.presidium.models import Plan

#: The organisation's steps, the duties (the tasks link its activities) and this app's.
STEPS = {"regions", "grid_workers", "units", "deputies", "contact_assignments", "users", "duties", "presidium"}


def run_demo() -> Demo:
    demo = Demo()
    with context.bind(source="command"):
        for s in steps():
            if s.name in STEPS:
                s.fn(demo)
    return demo


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            run_demo()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


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
