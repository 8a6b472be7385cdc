"""The ``activities`` section and ``deputies.reports_to_voters`` of ``renda stats`` (computed in
reports/metrics.py): held activities dated in [from, to], empty types left out, attendances as
person-times, reports counted by their meeting date — each at the period's edges."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.core.roles import Role
from renda.core.stats import Period
from renda.duties import services
from renda.duties.tests.helpers import D, make_activity
from renda.reports import metrics

pytestmark = pytest.mark.django_db
H1 = Period.make(D("2023-01-01"), D("2023-06-30"))


def held(world: World, on: str, type: str = "judicial_witness", attended: int = 1) -> None:
    staff = world.users[Role.STAFF]
    a = make_activity(world, on=D(on), type=type)
    for d in [world.deputy, world.presidium_deputy][:attended]:
        services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=d, attendance="attended")
    services.activity_hold(actor=staff, activity_id=a.pk)


def test_activities_at_the_edges_of_the_period(world: World) -> None:
    scope = metrics.resolve_scope(world.town.code)
    held(world, "2022-12-31")
    held(world, "2023-01-01", attended=2)
    held(world, "2023-06-30", type="symposium")
    held(world, "2023-07-01")
    make_activity(world, on=D("2023-03-01"), type="study")  # planned: not held, not counted
    out = metrics.activities_section(H1, scope)
    assert out == {"total": 2, "by_type": {"judicial_witness": 1, "symposium": 1}, "deputy_attendances": 3,
                   "receptions": 0}
    assert "study" not in out["by_type"]
    other = metrics.resolve_scope(world.other_town.code)
    assert metrics.activities_section(H1, other)["total"] == 0


def test_reports_to_voters_by_meeting_date(world: World) -> None:
    staff = world.users[Role.STAFF]
    scope = metrics.resolve_scope(world.town.code)
    for deputy, on in ((world.deputy, "2023-06-30"), (world.plain_deputy, "2023-07-01")):
        r = services.report_draft(actor=staff, deputy=deputy, year=2023)
        services.report_submit(actor=staff, report_id=r.pk)
        services.report_rate(actor=staff, report_id=r.pk, meeting_on=D(on), present=60, satisfied=50,
                             basically_satisfied=5, dissatisfied=1)
    services.report_draft(actor=staff, deputy=world.presidium_deputy, year=2023)  # not held: not counted
    assert metrics.deputies_section(H1, scope)["reports_to_voters"] == 1
