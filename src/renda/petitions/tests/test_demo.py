"""The petitions part of ``renda demo``: XX镇's first half of 2023 (9 letters reviewed by
presidium members), open petitions in every queue around today, idempotent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from tests.support import built_once

from renda.accounts.models import User
from renda.petitions import selectors
from renda.petitions.models import Petition, RepeatKind, ReviewInstruction
from renda.petitions.workflow import State

H1 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    yield from built_once(django_db_blocker, run_demo)


pytestmark = pytest.mark.usefixtures("built", "db")


def half() -> object:
    return Petition.objects.filter(registered_on__range=H1, town__name="XX镇")


def test_nine_letters_reviewed_by_presidium_members_in_2023h1() -> None:
    letters = half().filter(channel="letter")  # type: ignore[attr-defined]
    assert letters.count() == 9
    assert selectors.letters_reviewed(half(), H1[1]).count() == 9  # type: ignore[arg-type]
    done = ReviewInstruction.objects.filter(petition__in=letters)
    assert all(H1[0] <= ri.instructed_on <= H1[1] and ri.presidium_member.is_presidium for ri in done)
    assert done.values("presidium_member").distinct().count() >= 3


def test_stats_of_2023h1() -> None:
    out = StringIO()
    call_command("stats", "--period", "2023H1", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    petitions, grids = data["petitions"], data["grids"]
    # Issue 4's "Done when", on the whole demo district (no --town):
    assert petitions["duty_shifts"] == 158
    assert petitions["letters_reviewed"] == 9
    assert (grids["grids"], grids["grid_workers"]) == (170, 170)
    assert petitions["risks_resolved_with_deputies"] >= 10
    assert petitions["by_channel"]["letter"] == 9 and all(petitions["by_channel"].values())


def test_a_spread_of_states_links_and_the_final_refusal() -> None:
    qs = half()
    states = set(qs.values_list("state", flat=True))  # type: ignore[attr-defined]
    assert {State.CLOSED, State.FINAL, State.DECLINED} <= states
    refused = qs.get(repeat_kind=RepeatKind.FINAL)  # type: ignore[attr-defined]
    assert refused.state == State.DECLINED and "信访工作条例" in refused.decline_reason
    assert qs.filter(repeat_kind=RepeatKind.SAME_PETITIONER).exists()  # type: ignore[attr-defined]
    assert qs.filter(extended_on__isnull=False).exists()  # type: ignore[attr-defined]
    assert qs.filter(head_count__gt=1).exists()  # type: ignore[attr-defined]
    visits = qs.filter(channel="visit")  # type: ignore[attr-defined]
    from renda.shifts.models import DutyShift

    if DutyShift.objects.filter(date__range=H1).exists():
        assert visits.filter(duty_shift__isnull=False).count() == visits.count()


def test_every_queue_has_work_today() -> None:
    staff = User.objects.get(username="staff")
    for name, qs in selectors.office_queue(staff).items():
        assert qs.exists(), name
    presidium = User.objects.get(username="presidium")
    assert selectors.instructions_for(presidium)["pending"].exists()
    for login in ("deputy", "grid"):
        user = User.objects.get(username=login)
        assert selectors.petitions_visible_to(user).open().exists(), login
    assert not selectors.petitions_visible_to(User.objects.get(username="unit")).exists()


def test_second_run_creates_nothing() -> None:
    before = Petition.objects.count()
    out = run_demo()
    assert Petition.objects.count() == before
    assert "信访件" not in out.split("新建", 1)[-1] or "信访件 0" in out
