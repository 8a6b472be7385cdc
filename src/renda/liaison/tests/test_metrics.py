"""The liaison indicators of ``renda stats`` (METRICS ``deputies`` and ``activities.receptions``),
counted by hand, at the period's edges and the as-of date."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support import World

from renda.liaison.tests.helpers import make_presidium_contact, make_reception, make_station, make_voter_contact
from renda.reports import metrics

D = dt.date.fromisoformat
H1 = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-06-30"))

pytestmark = pytest.mark.django_db


def _town(world: World) -> metrics.Scope:
    return metrics.resolve_scope(world.town.code)


def test_contacts_without_contact_and_below_target(world: World) -> None:
    for k in range(5):  # world.deputy: 5 in the half year, at the pro-rata target (4.96)
        make_voter_contact(world, on=D("2023-02-01") + dt.timedelta(days=k))
    make_voter_contact(world, on=D("2022-12-31"))  # before the period
    make_voter_contact(world, on=D("2023-07-01"))  # after it
    make_voter_contact(world, other=True, on=D("2023-03-01"))  # another town
    make_presidium_contact(world, on=D("2023-06-30"))  # plain_deputy contacted on the last day
    make_presidium_contact(world, on=D("2023-07-01"))
    d = metrics.deputies_section(H1, _town(world))
    assert d["voter_contacts"] == 5 and d["presidium_contacts"] == 1
    # world.deputy, presidium_deputy (3 serving; plain_deputy was contacted)
    assert d["without_contact"] == 2
    # presidium_deputy and plain_deputy have no voter contact; world.deputy meets the target
    assert d["below_voter_target"] == 2
    assert {"total", "district", "town"} <= set(d)


def test_as_of_inside_the_period(world: World) -> None:
    make_presidium_contact(world, on=D("2023-06-30"))
    make_voter_contact(world, on=D("2023-06-30"))
    early = metrics.Period.make(D("2023-01-01"), D("2023-06-30"), D("2023-06-29"))
    d = metrics.deputies_section(early, _town(world))
    assert d["presidium_contacts"] == 0 and d["voter_contacts"] == 0 and d["without_contact"] == 3


def test_receptions_in_activities(world: World) -> None:
    s = make_station(world)
    make_reception(world, s, on=D("2023-01-01"))
    make_reception(world, s, on=D("2023-06-30"))
    make_reception(world, s, on=D("2023-07-01"))
    assert metrics.receptions_count(H1, _town(world)) == 2
    out = metrics.stats(H1, _town(world))
    assert out["activities"]["receptions"] == 2


def test_the_dashboard_shows_the_liaison_numbers(world: World, client: object) -> None:
    from renda.core.roles import Role

    make_presidium_contact(world, on=D("2023-06-30"))
    client.force_login(world.users[Role.STAFF])  # type: ignore[attr-defined]
    html = client.get("/reports/", {"period": "2023H1"}).content.decode()  # type: ignore[attr-defined]
    assert 'id="liaison"' in html and 'data-key="presidium_contacts">1<' in html
    assert 'data-key="without_contact">2<' in html
