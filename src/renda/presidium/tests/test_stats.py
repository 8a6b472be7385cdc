"""The ``information`` section of ``renda stats`` (computed in reports/metrics.py): items submitted
in [from, to], of them those adopted by as-of, honours received in [from, to] — at the edges."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.core.stats import Period
from renda.duties import services as duty_services
from renda.presidium.tests.helpers import D, make_info
from renda.reports import metrics

pytestmark = pytest.mark.django_db


def test_information_at_the_edges_of_the_period(world: World) -> None:
    scope = metrics.resolve_scope(world.town.code)
    make_info(world, submitted_on=D("2022-12-31"), adopted=True, adopted_on=D("2023-01-05"))  # before
    make_info(world, submitted_on=D("2023-01-01"), adopted=True, adopted_on=D("2023-06-30"))
    make_info(world, submitted_on=D("2023-06-30"), adopted=True, adopted_on=D("2023-07-01"))  # adopted after as-of
    make_info(world, submitted_on=D("2023-06-30"))
    make_info(world, submitted_on=D("2023-07-01"))  # after
    make_info(world, other=True, submitted_on=D("2023-03-01"))
    for on in ("2022-12-31", "2023-01-01", "2023-06-30", "2023-07-01"):
        duty_services.award_create(actor=None, recipient="office", town=world.town, title="先进", body="区人大常委会",
                                   on=D(on))
    duty_services.award_create(actor=None, deputy=world.deputy, title="优秀代表", body="区人大常委会",
                               on=D("2023-03-01"))
    h1 = Period.make(D("2023-01-01"), D("2023-06-30"))
    assert metrics.information_section(h1, scope) == {"submitted": 3, "adopted": 1, "honours": 3}
    later = Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-07-01"))
    assert metrics.information_section(later, scope)["adopted"] == 2
    assert metrics.stats(h1, scope)["information"]["submitted"] == 3
