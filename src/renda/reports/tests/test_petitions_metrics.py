"""The ``petitions`` and ``grids`` sections of METRICS.md on a hand-computed fixture.

Town ``world.town``, period 2023H1, as-of 2023-06-30 unless said otherwise:

- L1 letter 03-01: routed 03-02, instructed 03-03; accepted 03-06; opinion 04-20 → reviewed, closed
- L2 letter 03-10: routed 03-11, instructed 07-05 (after as-of) → not reviewed at 06-30; never
  accepted, 15-day limit 03-25 (a Saturday → 03-27) → overdue open
- V1 visit 02-01: accepted 02-03; no opinion; 60-day limit 04-04 → overdue open
- V2 visit 06-25: nothing yet; 15-day limit 07-10 → open, not overdue
- O1 online 04-01: declined 04-08
- P0 phone 2022-12-20 → outside the period
- duty shifts: 3 attended, 1 absent, 1 scheduled in H1; 1 attended in July
- risks: R1 registered 03-01 resolved 04-01 with a deputy; R2 registered 03-05 resolved 05-01 by a grid
  worker only; R3 registered 05-01 open; R4 registered 2022-12-01 resolved 01-10 with a deputy
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from tests.support import World

from renda.core.roles import Role
from renda.gridwork.tests.helpers import petition
from renda.petitions import services as petitions
from renda.reports import metrics
from renda.risks import services as risks
from renda.risks.services import ParticipantIn
from renda.risks.tests.helpers import make_risk
from renda.shifts import services as shifts

D = dt.date.fromisoformat


def _letter(world: World, on: str, *, instructed: str | None) -> None:
    staff = world.users[Role.STAFF]
    p = petitions.petition_register(actor=staff, town=world.town, channel="letter", subject=f"来信{on}",
                                    petitioners=[petitions.PetitionerData(name="赵大")], on=D(on))
    d = D(on)
    ins = petitions.petition_route(actor=staff, petition_id=p.pk, presidium_member=world.presidium_deputy,
                                   on=d + dt.timedelta(days=1))
    if instructed:
        petitions.petition_instruct(actor=world.users[Role.PRESIDIUM], instruction_id=ins.pk, text="请依法处理",
                                    on=D(instructed))
    if on == "2023-03-01":
        petitions.petition_accept(actor=staff, petition_id=p.pk, on=D("2023-03-06"))
        petitions.petition_issue_opinion(actor=staff, petition_id=p.pk, opinion="已处理", on=D("2023-04-20"))


@pytest.fixture
def fx(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    staff = world.users[Role.STAFF]
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: D("2023-07-20"))
    _letter(world, "2023-03-01", instructed="2023-03-03")
    _letter(world, "2023-03-10", instructed="2023-07-05")
    v1 = petition(world, on=D("2023-02-01"), subject="拖欠工资")
    petitions.petition_accept(actor=staff, petition_id=v1.pk, on=D("2023-02-03"))
    petition(world, on=D("2023-06-25"), subject="噪音扰民")
    o1 = petitions.petition_register(actor=staff, town=world.town, channel="online", subject="网上反映",
                                     petitioners=[petitions.PetitionerData(name="钱二")], on=D("2023-04-01"))
    petitions.petition_decline(actor=staff, petition_id=o1.pk, reason="不属于本机关职权范围", on=D("2023-04-08"))
    petitions.petition_register(actor=staff, town=world.town, channel="phone", subject="去年的电话",
                                petitioners=[petitions.PetitionerData(name="孙三")], on=D("2022-12-20"))
    # duty shifts
    for day, state in (("2023-03-01", "attended"), ("2023-03-02", "attended"), ("2023-03-03", "absent"),
                        ("2023-06-30", "scheduled"), ("2023-07-03", "attended")):
        s = shifts.shift_create(actor=staff, town=world.town, date=D(day),
                                deputies=[world.presidium_deputy, world.plain_deputy] if day == "2023-03-01"
                                else [world.presidium_deputy])
        if state != "scheduled":
            for a in s.assignments.all():
                shifts.assignment_record(actor=staff, assignment_id=a.pk, state=state, on=D(day))
    # risks
    r1 = make_risk(world, on=D("2023-03-01"))
    risks.risk_resolve(actor=staff, risk_id=r1.pk, resolved_on=D("2023-04-01"))
    r2 = make_risk(world, on=D("2023-03-05"), participants=[ParticipantIn(grid_worker=world.grid_worker)])
    risks.risk_resolve(actor=staff, risk_id=r2.pk, resolved_on=D("2023-05-01"))
    make_risk(world, on=D("2023-05-01"))
    r4 = make_risk(world, on=D("2022-12-01"))
    risks.risk_resolve(actor=staff, risk_id=r4.pk, resolved_on=D("2023-01-10"))
    return world


@pytest.mark.django_db
def test_every_key_of_the_petitions_section(fx: World) -> None:
    period = metrics.Period.parse("2023H1", today=D("2023-07-20"))
    got = metrics.petitions_section(period, metrics.resolve_scope(fx.town.code))
    assert got == {
        "received": 5,
        "by_channel": {"letter": 2, "visit": 2, "online": 1, "phone": 0, "referred": 0},
        "letters_reviewed": 1,
        "accepted": 2,
        "declined": 1,
        "closed": 1,
        "overdue_open": 2,  # V1 (handling limit 04-04) and L2 (acceptance limit 03-25 → Monday 03-27)
        "duty_shifts": 3,
        "risks_registered": 3,
        "risks_resolved": 3,
        "risks_resolved_with_deputies": 2,
    }


@pytest.mark.django_db
def test_later_as_of_counts_the_later_instruction(fx: World) -> None:
    period = metrics.Period.parse("2023H1", D("2023-07-10"), today=D("2023-07-20"))
    got = metrics.petitions_section(period, metrics.resolve_scope(fx.town.code))
    assert got["letters_reviewed"] == 2
    assert got["duty_shifts"] == 3  # shifts are counted by their date in [from, to], not by as-of
    assert got["overdue_open"] == 2  # V2's 15-day limit is 07-10 itself: due, not yet overdue


@pytest.mark.django_db
def test_earlier_as_of_hides_later_facts(fx: World) -> None:
    period = metrics.Period.parse("2023H1", D("2023-03-31"), today=D("2023-07-20"))
    got = metrics.petitions_section(period, metrics.resolve_scope(fx.town.code))
    assert got["received"] == 3  # L1, L2, V1
    assert got["closed"] == 0 and got["declined"] == 0 and got["accepted"] == 2
    assert got["risks_resolved"] == 1 and got["risks_resolved_with_deputies"] == 1  # R4 only
    assert got["overdue_open"] == 1  # L2; V1's handling limit 04-04 is still ahead


@pytest.mark.django_db
def test_stats_command_prints_petitions_and_grids(fx: World) -> None:
    out = io.StringIO()
    call_command("stats", "--period", "2023H1", "--town", fx.town.code, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["petitions"]["duty_shifts"] == 3 and data["petitions"]["letters_reviewed"] == 1
    assert data["grids"] == {"grids": 1, "grid_workers": 1, "full_time": 1, "part_time": 0, "deputies_in_grids": 1}


@pytest.mark.django_db
def test_district_sums_both_towns(fx: World) -> None:
    staff = fx.other_staff
    p = petitions.petition_register(actor=staff, town=fx.other_town, channel="referred", subject="上级转交",
                                    petitioners=[petitions.PetitionerData(name="周四")], on=D("2023-05-05"))
    assert p.pk
    period = metrics.Period.parse("2023H1", today=D("2023-07-20"))
    district = metrics.petitions_section(period, metrics.resolve_scope(None))
    town = metrics.petitions_section(period, metrics.resolve_scope(fx.town.code))
    assert district["received"] == town["received"] + 1
    assert district["by_channel"]["referred"] == 1
