"""The motions part of ``renda demo``: the 2023 first session's motion adopted and followed up, the
mid-year one treated as a suggestion; ``renda stats`` shows them; a second run writes nothing."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from renda.motions.demo import ROADS, WATER
from renda.motions.models import Motion

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stats(period: str) -> dict[str, int]:
    out = StringIO()
    call_command("stats", "--period", period, "--format", "json", stdout=out)
    result: dict[str, int] = json.loads(out.getvalue())["motions"]
    return result


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_demo_motions_and_their_stats() -> None:
    call_command("demo", stdout=StringIO())
    water, roads = Motion.objects.get(title=WATER), Motion.objects.get(title=ROADS)
    assert water.state == "finished" and water.signatures.count() == 6 and water.agenda_item is not None
    assert water.finished_on == dt.date(2023, 6, 20) and water.follow_units.count() == 2
    assert roads.state == "suggestion" and roads.suggestion is not None
    assert roads.suggestion.co_deputies.count() == 4
    assert stats("2023H1") == {"submitted": 1, "on_agenda": 1, "as_suggestions": 0, "resolved": 1}
    assert stats("2023") == {"submitted": 2, "on_agenda": 1, "as_suggestions": 1, "resolved": 1}
    call_command("demo", stdout=StringIO())
    assert Motion.objects.count() == 2
