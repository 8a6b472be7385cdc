"""SQLite's search table keyed by town, registration date and id (migration 0017, decision 0023),
and a search's pages read by key (``selectors.RankedMatches``): the same items in the same order
as the queryset gives, counted the same, whatever the scope, filters, ties and page."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from tests.support import World

from renda.core.crud import DeferredJoinPaginator
from renda.core.roles import Role
from renda.suggestions import selectors, services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import D, assigned, public_item

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the search table is SQLite's")
migration = importlib.import_module("renda.suggestions.migrations.0017_search_key")

PHRASE = "路灯不亮"


def _keys(q: str) -> set[int]:
    with connection.cursor() as cur:
        cur.execute("SELECT rowid FROM suggestions_search WHERE suggestions_search MATCH %s",
                    ['"' + q.replace('"', '""') + '"'])
        return {k for (k,) in cur.fetchall()}


def _check_index() -> None:
    with connection.cursor() as cur:
        cur.execute("INSERT INTO suggestions_search (suggestions_search) VALUES ('integrity-check')")
        cur.execute("SELECT COUNT(*) FROM suggestions_search_docsize")
        assert cur.fetchone()[0] == Suggestion.objects.count()


@sqlite_only
def test_each_item_is_indexed_under_its_town_date_and_id_and_follows_every_change(world: World) -> None:
    s = public_item(world, title="西街路灯不亮", on=D("2023-03-01"))
    assert _keys("西街路灯") == {selectors.search_key(world.town.pk, D("2023-03-01"), s.pk)}
    # The key layout: town, then days counted down from 2**17 - 1, then the id.
    key = selectors.search_key(world.town.pk, D("2023-03-01"), s.pk)
    assert key >> 47 == world.town.pk and key & (2**30 - 1) == s.pk
    assert (key >> 30) & (2**17 - 1) == 2**17 - 1 - (D("2023-03-01") - dt.date(1900, 1, 1)).days
    # A later date sorts first within the town; the town's keys are one range.
    assert selectors.search_key(7, D("2023-03-02"), 1) < selectors.search_key(7, D("2023-03-01"), 1)
    assert selectors.search_key(7, D("2023-03-01"), 1) < selectors.search_key(7, D("2023-03-01"), 2)
    assert selectors.search_key(7, D("1900-01-01"), 2**30 - 1) < selectors.search_key(8, D("2258-11-01"), 1)
    # Title, town and date changed: the old row goes, the new one is under the new key.
    Suggestion.objects.filter(pk=s.pk).update(title="东街水管漏水", town=world.other_town,
                                              registered_at=D("2024-05-06"))
    assert _keys("西街路灯") == set()
    assert _keys("东街水管") == {selectors.search_key(world.other_town.pk, D("2024-05-06"), s.pk)}
    _check_index()
    Suggestion.objects.filter(pk=s.pk).delete()
    assert _keys("东街水管") == set()
    _check_index()


@sqlite_only
def test_the_key_in_sql_is_the_key_in_python(world: World) -> None:
    """``SEARCH_KEY_SQL`` (the bulk import's batch indexing) and the migration's triggers give
    ``search_key``, on the first and last days the key can hold."""
    s = public_item(world, title="西街路灯不亮")
    for day in (D("1900-01-01"), D("1999-12-31"), D("2258-11-02")):
        Suggestion.objects.filter(pk=s.pk).update(registered_at=day)
        with connection.cursor() as cur:
            cur.execute(f"SELECT {selectors.SEARCH_KEY_SQL.format(t='suggestions_suggestion')}, "
                        f"{migration.KEY.format(t='suggestions_suggestion')} FROM suggestions_suggestion WHERE id = %s",
                        [s.pk])
            assert cur.fetchone() == (selectors.search_key(world.town.pk, day, s.pk),) * 2
        assert _keys("西街路灯") == {selectors.search_key(world.town.pk, day, s.pk)}


@sqlite_only
def test_the_migration_rebuilds_the_table_both_ways(world: World) -> None:
    a = public_item(world, title="西街路灯不亮", on=D("2023-03-01"))
    b = _elsewhere(world, title="北街路灯不亮", on=D("2023-04-01"))
    with connection.cursor() as cur:
        for sql in migration.BACKWARD:
            cur.execute(sql)
        assert _keys("街路灯") == {a.pk, b.pk}  # 0004: the id is the row's key
        for sql in migration.FORWARD:
            cur.execute(sql)
    assert _keys("街路灯") == {selectors.search_key(world.town.pk, D("2023-03-01"), a.pk),
                             selectors.search_key(world.other_town.pk, D("2023-04-01"), b.pk)}
    _check_index()
    c = public_item(world, title="南街路灯不亮")  # the triggers are back
    assert set(selectors.search(Suggestion.objects.all(), "街路灯")) == {a, b, c}


def _elsewhere(world: World, *, title: str, on: dt.date) -> Suggestion:
    return services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public", title=title,
                                        submitter_name="李四", on=on)


def _items(world: World) -> list[Suggestion]:
    """Items of two towns over a few days, several on one day (the order then is by id), some
    without the phrase, some assigned."""
    days = [D("2023-03-01"), D("2023-03-01"), D("2023-03-05"), D("2023-02-27"), D("2023-03-05"), D("2023-03-05"),
            D("2022-12-31"), D("2023-03-02"), D("2023-03-01"), D("2023-03-03")]
    made = []
    for n, day in enumerate(days):
        title = f"{n}号路灯不亮" if n % 4 != 3 else f"{n}号水沟堵塞"
        made.append(public_item(world, title=title, on=day))
        if n % 3 == 0:
            made.append(_elsewhere(world, title=f"外镇{n}路灯不亮", on=day))
    for s in made[::3]:
        if s.town_id == world.town.pk:
            assigned(world, s, on=D("2023-03-06"))
    return made


def _searched(user: Any, **filters: Any) -> Any:
    qs = selectors.suggestions_visible_to(user).filter(**filters).order_by("-registered_at", "pk")
    return selectors.search(qs, PHRASE)


@sqlite_only
@pytest.mark.parametrize(("role", "filters"), [
    (Role.STAFF, {}),
    (Role.STAFF, {"state": "assigned"}),
    (Role.DISTRICT_VIEWER, {}),
    (Role.DISTRICT_VIEWER, {"state": "registered"}),
    (Role.DISTRICT_VIEWER, {"town": "town"}),
    (Role.DISTRICT_VIEWER, {"town__in": "both"}),
])
def test_a_page_read_by_key_is_the_querysets_page(world: World, role: Role, filters: dict[str, Any]) -> None:
    _items(world)
    values = {"town": world.town, "both": [world.town.pk, world.other_town.pk]}
    filters = {k: values.get(v, v) for k, v in filters.items()}
    user = world.users[role]
    qs = _searched(user, **filters)
    ranked = selectors.ranked_matches(user, qs, "-registered_at")
    assert isinstance(ranked, selectors.RankedMatches)
    expected = list(qs.values_list("pk", flat=True))
    n = len(expected)
    assert n >= 3
    for limit in (1, n - 1, n, n + 1, n + 50):  # capped (read town by town) and not (every match read once)
        ranked = selectors.RankedMatches(ranked.qs, PHRASE, ranked.towns)
        assert ranked.count(limit) == min(n, limit)
        for bottom, top in [(0, 3), (2, 5), (n - 2, n), (n - 1, n + 3), (0, n), (n, n + 3), (3, 3)]:
            assert ranked.ids(bottom, top) == expected[bottom:top], (limit, bottom, top)


@sqlite_only
def test_ranked_reads_only_what_it_reads_right(world: World) -> None:
    u = world.users
    qs = _searched(u[Role.STAFF])
    assert selectors.ranked_matches(u[Role.STAFF], qs, "-registered_at") is not None
    assert selectors.ranked_matches(u[Role.STAFF], qs, "registered_at") is None  # another order
    assert selectors.ranked_matches(u[Role.STAFF], qs, "deadline") is None
    short = selectors.search(selectors.suggestions_visible_to(u[Role.STAFF]), "路灯")  # two characters: no index
    assert selectors.ranked_matches(u[Role.STAFF], short, "-registered_at") is None
    # A unit's or a deputy's items name no town: read the ordinary way.
    assert selectors.ranked_matches(u[Role.UNIT], _searched(u[Role.UNIT]), "-registered_at") is None
    assert selectors.ranked_matches(u[Role.DEPUTY], _searched(u[Role.DEPUTY]), "-registered_at") is None
    # The district's search: every town; narrowed to one by its filter.
    district = selectors.ranked_matches(u[Role.DISTRICT_VIEWER], _searched(u[Role.DISTRICT_VIEWER]), "-registered_at")
    assert district is not None and district.towns is None
    one = selectors.ranked_matches(u[Role.DISTRICT_VIEWER], _searched(u[Role.DISTRICT_VIEWER], town=world.town),
                                   "-registered_at")
    assert one is not None and one.towns == {world.town.pk}
    # An OR on the town is not a restriction to it.
    either = selectors.search(Suggestion.objects.filter(Q(town=world.town) | Q(state="assigned")), PHRASE)
    assert selectors.ranked_matches(u[Role.STAFF], either, "-registered_at") is None
    unsearched = selectors.suggestions_visible_to(u[Role.STAFF])
    assert selectors.ranked_matches(u[Role.STAFF], unsearched, "-registered_at") is None


def test_other_databases_read_the_queryset(world: World) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite reads by key")
    qs = _searched(world.users[Role.STAFF])
    assert selectors.ranked_matches(world.users[Role.STAFF], qs, "-registered_at") is None


@sqlite_only
def test_the_list_page_reads_a_search_by_key(world: World, client: Any) -> None:
    made = _items(world)
    client.force_login(world.users[Role.STAFF])
    response = client.get("/suggestions/", {"q": PHRASE, "per_page": 20})
    page = response.context["page"]
    assert isinstance(page.paginator, DeferredJoinPaginator) and page.paginator.ranked is not None
    mine = [s for s in made if s.town_id == world.town.pk and PHRASE in s.title]
    assert [s.pk for s in page.object_list] == [s.pk for s in sorted(mine, key=lambda s: (-s.registered_at.toordinal(),
                                                                                          s.pk))]
    assert page.paginator.count == len(mine)
    # Another order: the queryset's own query.
    response = client.get("/suggestions/", {"q": PHRASE, "sort": "deadline"})
    assert response.context["page"].paginator.ranked is None
