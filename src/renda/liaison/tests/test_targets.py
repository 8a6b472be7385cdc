"""The contact targets at their edges: 9 vs 10 voter contacts; pro rata for a part of a year
(4 vs 5 in the first half of 2023; a deputy who started serving mid-year); the last day of a
quarter vs the first of the next; the deputies without a presidium contact in [from, to]."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from tests.support import World

from renda.liaison import selectors, services, targets
from renda.liaison.tests.helpers import make_presidium_contact, make_voter_contact
from renda.people.services import deputy_update

D = dt.date.fromisoformat
YEAR = (D("2023-01-01"), D("2023-12-31"))
H1 = (D("2023-01-01"), D("2023-06-30"))


def test_a_whole_year_owes_exactly_the_target() -> None:
    assert targets.voter_target(10, *YEAR) == 10
    assert targets.voter_target(10, D("2024-01-01"), D("2024-12-31")) == 10  # a leap year too
    assert targets.below_voter_target(9, 10, *YEAR)
    assert not targets.below_voter_target(10, 10, *YEAR)


def test_a_half_year_owes_its_share_without_rounding() -> None:
    assert targets.voter_target(10, *H1) == Fraction(1810, 365)  # 4.96
    assert targets.below_voter_target(4, 10, *H1)
    assert not targets.below_voter_target(5, 10, *H1)


def test_a_period_across_two_years_counts_each_year_by_its_days() -> None:
    share = targets.year_share(D("2023-07-01"), D("2024-06-30"))
    assert share == Fraction(184, 365) + Fraction(182, 366)


def test_serving_dates_clip_the_period() -> None:
    assert targets.clip(*YEAR, D("2023-07-01"), None) == (D("2023-07-01"), D("2023-12-31"))
    assert targets.clip(*YEAR, None, D("2023-03-31")) == (D("2023-01-01"), D("2023-03-31"))
    assert targets.clip(*H1, D("2023-07-01"), None) is None


def test_quarters_end_on_their_last_day() -> None:
    assert targets.quarter_of(D("2023-03-31")) == (2023, 1)
    assert targets.quarter_of(D("2023-04-01")) == (2023, 2)
    assert targets.quarter_range(2023, 4) == (D("2023-10-01"), D("2023-12-31"))
    assert targets.previous_quarter(D("2023-01-01")) == (D("2022-10-01"), D("2022-12-31"))
    assert targets.presidium_behind(0, 1) and not targets.presidium_behind(1, 1)


@pytest.mark.django_db
def test_nine_voter_contacts_in_a_year_are_below_ten_are_not(world: World) -> None:
    for k in range(9):
        make_voter_contact(world, on=D("2023-01-02") + dt.timedelta(days=30 * k))
    below = {s.deputy.pk: s for s in selectors.below_voter_target([world.town.pk], *YEAR)}
    assert below[world.deputy.pk].count == 9
    make_voter_contact(world, on=D("2023-12-31"))
    below = {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *YEAR)}
    assert world.deputy.pk not in below


@pytest.mark.django_db
def test_the_first_half_year_needs_five(world: World) -> None:
    for k in range(4):
        make_voter_contact(world, on=D("2023-02-01") + dt.timedelta(days=k))
    assert world.deputy.pk in {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *H1)}
    make_voter_contact(world, on=D("2023-06-30"))  # the period's last day counts
    assert world.deputy.pk not in {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *H1)}


@pytest.mark.django_db
def test_a_deputy_serving_half_the_year_owes_half(world: World) -> None:
    deputy_update(actor=None, deputy_id=world.deputy.pk, name=world.deputy.name, phone=world.deputy.phone,
                  level="town", term="", constituency="", village=None, is_presidium=False,
                  serving_from=D("2023-07-01"), serving_to=None, grids=[world.grid])
    for k in range(5):
        make_voter_contact(world, on=D("2023-07-03") + dt.timedelta(days=k))
    # 184/365 × 10 = 5.04: five contacts are still below, six are not
    assert world.deputy.pk in {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *YEAR)}
    make_voter_contact(world, on=D("2023-11-01"))
    assert world.deputy.pk not in {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *YEAR)}


@pytest.mark.django_db
def test_the_town_sets_its_own_target(world: World) -> None:
    services.settings_set(actor=None, town=world.town, voter_contacts_per_year=2, presidium_contacts_per_quarter=1,
                          group_meetings_per_quarter=1)
    make_voter_contact(world, on=D("2023-05-01"))
    assert world.deputy.pk not in {s.deputy.pk for s in selectors.below_voter_target([world.town.pk], *H1)}


@pytest.mark.django_db
def test_a_contact_on_the_quarters_last_day_counts_for_that_quarter_only(world: World) -> None:
    q1, q2 = targets.quarter_range(2023, 1), targets.quarter_range(2023, 2)
    make_presidium_contact(world, on=D("2023-03-31"))
    assert selectors.presidium_behind([world.town.pk], *q1) == []
    behind = selectors.presidium_behind([world.town.pk], *q2)
    assert [(s.presidium_member, s.behind) for s in behind] == [(world.presidium_deputy, [world.plain_deputy])]
    make_presidium_contact(world, on=D("2023-04-01"))
    assert selectors.presidium_behind([world.town.pk], *q2) == []


@pytest.mark.django_db
def test_deputies_without_contact_count_the_period_bounds(world: World) -> None:
    make_presidium_contact(world, on=D("2023-06-30"))
    without = set(selectors.deputies_without_contact(world.town, *H1))
    assert world.plain_deputy not in without and world.deputy in without
    assert world.plain_deputy in set(selectors.deputies_without_contact(world.town, D("2023-07-01"),
                                                                         D("2023-09-30")))
    assert world.other_deputy not in without  # another town's deputy is not this town's
