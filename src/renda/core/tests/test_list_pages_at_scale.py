"""What keeps list pages fast at district scale: pages read their ids first (deferred join), and
a district-wide user's filters list one town's options at a time."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World, make_grid, make_village

from renda.core import crud
from renda.core.crud import DeferredJoinPaginator, joins_as_written
from renda.core.roles import Role
from renda.core.tests.test_export_matches_page import count_url
from renda.places.models import Region
from renda.suggestions import services
from renda.suggestions.forms import SuggestionFilter
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import assigned, public_item


def options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"', select[1])


@pytest.mark.django_db
@pytest.mark.parametrize("per_page,orphans", [(1, 0), (2, 0), (3, 1), (7, 0)])
def test_deferred_join_pages_equal_plain_pages(world: World, per_page: int, orphans: int) -> None:
    for i in range(7):
        public_item(world, title=f"第{i}件")
    qs = Suggestion.objects.select_related("town", "grid").order_by("-registered_at", "title", "pk")
    from django.core.paginator import Paginator

    plain, deferred = Paginator(qs, per_page, orphans=orphans), DeferredJoinPaginator(qs, per_page, orphans=orphans)
    assert plain.num_pages == deferred.num_pages
    for n in plain.page_range:
        assert [o.pk for o in deferred.page(n)] == [o.pk for o in plain.page(n)]
        assert deferred.page(n).start_index() == plain.page(n).start_index()
    # Two queries for a page (ids, then those rows with their joins), however deep it is; on
    # PostgreSQL the second with the joins in the order written (set and put back around it).
    with CaptureQueriesContext(connection) as ctx:
        rows = list(deferred.page(deferred.num_pages))
        assert all(r.town.name for r in rows)
    reads = [q["sql"] for q in ctx.captured_queries if "join_collapse_limit" not in q["sql"]]
    assert len(reads) == 2
    assert len(ctx.captured_queries) == (4 if connection.vendor == "postgresql" else 2)
    # PostgreSQL: a small list's ids are read filtered first (the limit outside the subquery).
    assert ("WITH filtered_first AS MATERIALIZED" in reads[0]) == (connection.vendor == "postgresql")


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [6, 7, 8])
def test_a_list_is_read_filtered_first_up_to_a_size(world: World, limit: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Up to ``FILTER_FIRST_MAX`` rows (one each side of it here: 7 rows) PostgreSQL reads a page's
    ids from the whole set sorted; past it, in the order's index. The same ids either way."""
    for i in range(7):
        public_item(world, title=f"第{i}件", on=dt.date(2023, 3, 1 + i % 3))
    qs = Suggestion.objects.order_by("-registered_at", "-pk")
    expected = list(qs.values_list("pk", flat=True))
    monkeypatch.setattr(crud, "FILTER_FIRST_MAX", limit)
    for n, bottom in enumerate(range(0, 7, 3), start=1):
        paginator = DeferredJoinPaginator(qs, 3)
        with CaptureQueriesContext(connection) as ctx:
            page = paginator.page(n)
        assert [o.pk for o in page] == expected[bottom:bottom + 3]
        fenced = any("filtered_first" in q["sql"] for q in ctx.captured_queries)
        assert fenced == (connection.vendor == "postgresql" and limit >= 7)
    # A count that stopped at its limit (a search) says nothing of the set's size: never read whole.
    capped = DeferredJoinPaginator(qs, 3, count_limit=5)
    with CaptureQueriesContext(connection) as ctx:
        rows = [o.pk for o in capped.page(1)]
    assert rows == expected[:3] and (capped.count, capped.capped) == (5, True)
    assert not any("filtered_first" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_the_rows_of_a_page_are_read_with_the_joins_as_written_and_the_setting_put_back() -> None:
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW join_collapse_limit")
            return str(cursor.fetchone()[0])

    if connection.vendor != "postgresql":
        assert joins_as_written(Suggestion.objects.all(), lambda: "read") == "read"
        return
    before = setting()
    assert joins_as_written(Suggestion.objects.all(), setting) == "1"
    assert setting() == before == "8"
    with pytest.raises(ZeroDivisionError):
        joins_as_written(Suggestion.objects.all(), lambda: 1 // 0)
    assert setting() == before


@pytest.mark.django_db
def test_district_user_picks_a_town_before_its_villages_and_grids(world: World, client: Client) -> None:
    extra_grids = [make_grid(make_village(world.other_town)) for _ in range(3)]
    mine = public_item(world, grid=world.grid, village=world.village)
    other = services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public",
                                         title="另一镇的事项", content="", grid=world.other_grid,
                                         anonymous=True)
    client.force_login(world.users[Role.ADMIN])

    body = client.get("/suggestions/").content.decode()
    assert set(options(body, "town")) == {"", str(world.town.pk), str(world.other_town.pk)}
    assert options(body, "grid") == [""]  # no town chosen: no grid listed, "全部（先选镇街）"
    assert "先选镇街" in body

    body = client.get(f"/suggestions/?town={world.other_town.pk}").content.decode()
    assert set(options(body, "grid")) == {"", str(world.other_grid.pk), *(str(g.pk) for g in extra_grids)}
    assert other.code in body and mine.code not in body

    # Any visible grid still filters (a bookmarked URL), and the chosen one is listed.
    body = client.get(f"/suggestions/?grid={world.grid.pk}").content.decode()
    assert options(body, "grid") == ["", str(world.grid.pk)]
    assert mine.code in body and other.code not in body

    # Changing the town through HTMX redraws the filters out of band with the new options.
    body = client.get(f"/suggestions/?town={world.town.pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table",
                      HTTP_HX_TRIGGER_NAME="town").content.decode()
    assert 'id="filters"' in body and 'hx-swap-oob="true"' in body
    assert set(options(body, "grid")) == {"", str(world.grid.pk)}
    body = client.get(f"/suggestions/?town={world.town.pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table",
                      HTTP_HX_TRIGGER_NAME="state").content.decode()
    assert 'id="filters"' not in body


@pytest.mark.django_db
def test_town_users_have_no_town_filter_and_all_their_options(world: World) -> None:
    form = SuggestionFilter({}, user=world.users[Role.STAFF])
    assert "town" not in form.fields
    assert [str(v) for v, _label in form.fields["grid"].widget.choices if v] == [str(world.grid.pk)]
    # A town outside the user's scope is not a valid choice for a district user either.
    admin_form = SuggestionFilter({"town": str(Region.objects.filter(level="town").count() + 10**6)},
                                  user=world.users[Role.ADMIN])
    assert not admin_form.is_valid() and "town" in admin_form.errors


@pytest.mark.django_db
def test_petitions_district_filter_is_town_scoped(world: World, client: Client) -> None:
    make_grid(make_village(world.other_town))
    client.force_login(world.users[Role.ADMIN])
    body = client.get("/petitions/").content.decode()
    assert options(body, "grid") == [""]
    assert set(options(body, "town")) == {"", str(world.town.pk), str(world.other_town.pk)}
    body = client.get(f"/petitions/?town={world.town.pk}").content.decode()
    assert set(options(body, "grid")) == {"", str(world.grid.pk)}


@pytest.mark.django_db
def test_a_search_counts_its_matches_up_to_a_limit(world: World, client: Client,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(4):
        public_item(world, title=f"村口路灯{i}")
    client.force_login(world.users[Role.STAFF])
    monkeypatch.setattr(crud, "SEARCH_COUNT_LIMIT", 3)
    # (Two characters: no search table's ranking on SQLite, so the count comes after the page.)
    body = client.get("/suggestions/?q=路灯&per_page=20&count=1").content.decode()
    assert "共 3+ 条" in body and "缩小范围" in body
    body = client.get("/suggestions/?q=路灯1&count=1").content.decode()
    assert "共 1 条" in body and "缩小范围" not in body
    # Without a search every row is counted.
    assert "共 4 条" in client.get("/suggestions/").content.decode()
    # The count of a capped search never makes pages past the limit.
    paginator = DeferredJoinPaginator(Suggestion.objects.order_by("pk"), 2, count_limit=3)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    assert len(list(paginator.page(2))) == 1


class _Ranked:
    """A ``RankedIds`` over a list of ids, recording what it was asked."""

    def __init__(self, ids: list[int]) -> None:
        self.all, self.asked = ids, []  # type: ignore[var-annotated]

    def count(self, limit: int) -> int:
        self.asked.append(("count", limit))
        return min(len(self.all), limit)

    def ids(self, bottom: int, top: int) -> list[int]:
        self.asked.append(("ids", bottom, top))
        return self.all[bottom:top]


@pytest.mark.django_db
@pytest.mark.parametrize(("matches", "count", "capped"), [(2, 2, False), (3, 3, False), (4, 3, True)])
def test_ranked_ids_give_the_count_and_the_page_the_rows_come_from_the_queryset(
        world: World, matches: int, count: int, capped: bool) -> None:
    made = [public_item(world, title=f"村口路灯{i}") for i in range(4)]
    order = [*[s.pk for s in reversed(made)][:matches], 10**9]  # an id that no row has is left out
    ranked = _Ranked(order[:matches])
    paginator = DeferredJoinPaginator(Suggestion.objects.select_related("town").filter(title="无此标题"), 2,
                                      count_limit=3, ranked=ranked)
    assert (paginator.count, paginator.capped) == (count, capped)
    assert ranked.asked == [("count", 4)]  # one more than the limit: capped or not
    rows = list(paginator.page(paginator.num_pages))
    # The rows of those ids, in their order, with the queryset's joins — not its filters.
    expected = order[:2] if matches == 2 else order[2:3]
    assert paginator.num_pages == (1 if matches == 2 else 2) and [s.pk for s in rows] == expected
    assert all(s.town.name for s in rows)


@pytest.mark.django_db
def test_a_search_read_by_key_counts_up_to_the_limit_as_the_queryset_does(
        world: World, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("read by key on SQLite only")
    for i in range(4):
        public_item(world, title=f"村口路灯不亮{i}")
    client.force_login(world.users[Role.STAFF])
    monkeypatch.setattr(crud, "SEARCH_COUNT_LIMIT", 3)
    response = client.get("/suggestions/?q=路灯不亮")
    assert response.context["page"].paginator.ranked is not None
    assert "共 3+ 条" in response.content.decode()
    monkeypatch.setattr(crud, "SEARCH_COUNT_LIMIT", 4)  # exactly as many as the limit: not capped
    assert "共 4 条" in client.get("/suggestions/?q=路灯不亮").content.decode()
    monkeypatch.setattr(crud, "SEARCH_COUNT_LIMIT", 5)
    assert "共 4 条" in client.get("/suggestions/?q=路灯不亮").content.decode()


@pytest.mark.django_db
def test_a_list_page_reads_its_filters_options_without_server_side_cursors(world: World, client: Client) -> None:
    """PostgreSQL: Django's selects read their options through a ``WITH HOLD`` cursor (6–8 ms
    each); the page's filters and forms read them in one plain query each."""
    public_item(world)
    client.force_login(world.users[Role.STAFF])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/suggestions/").content.decode()
    assert 'name="grid"' in body and str(world.grid.pk) in body
    assert not [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("DECLARE")]
    with CaptureQueriesContext(connection) as ctx:
        client.get("/suggestions/new/")
    assert not [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("DECLARE")]
    # A district user's filters start with the 镇街 select, added after the form's own fields.
    client.force_login(world.users[Role.DISTRICT_VIEWER])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/suggestions/")
    assert not [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("DECLARE")]
    town = response.context["filter_form"].fields["town"]
    assert isinstance(town.widget.choices, crud._FetchedChoices) and str(world.town.pk) in response.content.decode()


def _uncounted(qs: object, per_page: int, **kwargs: object) -> DeferredJoinPaginator:
    return DeferredJoinPaginator(qs, per_page, count_later=True, **kwargs)  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 4, 5])
def test_a_page_counted_later_knows_its_next_page_without_counting(world: World, rows: int) -> None:
    """One row each side of a full page (4 a page: 3, 4 and 5 rows): a next page exactly when a
    row lies past this one; the same rows as the counted page; no count read."""
    for i in range(rows):
        public_item(world, title=f"第{i}件", on=dt.date(2023, 3, 1 + i))
    qs = Suggestion.objects.order_by("-registered_at", "-pk")
    expected = list(qs.values_list("pk", flat=True))
    paginator = _uncounted(qs, 4)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page(1)
    assert [o.pk for o in page] == expected[:4]
    assert page.has_next() == (rows > 4) and not page.has_previous()
    assert (page.start_index(), page.end_index()) == (1, min(rows, 4))
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    assert "count" not in paginator.__dict__  # never worked out
    if rows > 4:
        second = _uncounted(qs, 4).page(2)
        assert [o.pk for o in second] == expected[4:] and not second.has_next() and second.has_previous()
        assert (second.start_index(), second.end_index(), second.next_page_number() - 1) == (5, rows, 2)


@pytest.mark.django_db
def test_a_page_counted_later_past_the_end_is_the_last_page(world: World) -> None:
    for i in range(5):
        public_item(world, title=f"第{i}件")
    qs = Suggestion.objects.order_by("pk")
    paginator = _uncounted(qs, 2)
    page = paginator.page(9)
    assert page.number == 3 and [o.pk for o in page] == list(qs.values_list("pk", flat=True))[4:]
    assert not page.has_next() and paginator.count == 5
    assert [o.pk for o in _uncounted(Suggestion.objects.none(), 2).page(1)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(("limit", "pages"), [(3, 2), (4, 2), (5, 3)])
def test_a_page_counted_later_stops_at_the_count_limit(world: World, limit: int, pages: int) -> None:
    """As a capped count's pages end at the limit (2 a page, 6 rows; a limit one each side of 4)."""
    for i in range(6):
        public_item(world, title=f"第{i}件")
    qs = Suggestion.objects.order_by("pk")
    expected = list(qs.values_list("pk", flat=True))
    counted = DeferredJoinPaginator(qs, 2, count_limit=limit)
    assert counted.num_pages == pages
    for n in range(1, pages + 1):
        page = _uncounted(qs, 2, count_limit=limit).page(n)
        assert [o.pk for o in page] == [o.pk for o in counted.page(n)] == expected[(n - 1) * 2:min(n * 2, limit)]
        assert page.has_next() == (n < pages)
    past = _uncounted(qs, 2, count_limit=limit).page(pages + 1)  # past the limit: the last page
    assert past.number == pages


@pytest.mark.django_db
def test_a_search_page_shows_its_rows_then_asks_for_its_count(world: World, client: Client) -> None:
    """A search not ranked by the search table (two characters; any on PostgreSQL) is listed
    without a count; the page asks for it (``?count=1``), restricted as the list is."""
    for i in range(3):
        public_item(world, title=f"村口路灯{i}")
    client.force_login(world.users[Role.STAFF])
    body = client.get("/suggestions/?q=路灯").content.decode()
    assert "第 1–3 条" in body and "共 3 条" not in body and "1 / 1" not in body
    later = count_url(body)
    assert later and later.startswith("/suggestions/?q=")
    assert "共 3 条" in client.get(later).content.decode()
    # Without a search the page is counted as before.
    body = client.get("/suggestions/").content.decode()
    assert "共 3 条" in body and "count=1" not in body


@pytest.mark.django_db
def test_a_whole_district_list_shows_its_rows_then_asks_for_its_count(world: World, client: Client) -> None:
    """Unfiltered, a district-wide user's list is every row of the table: counted after the page.
    With a filter (a town) it is counted with the page, as is a town's own list."""
    for i in range(3):
        public_item(world, title=f"村口路灯{i}")
    client.force_login(world.users[Role.DISTRICT_VIEWER])
    body = client.get("/suggestions/").content.decode()
    assert "第 1–3 条" in body and "共 3 条" not in body
    later = count_url(body)
    assert later and "共 3 条" in client.get(later).content.decode()
    body = client.get(f"/suggestions/?town={world.town.pk}").content.decode()
    assert "共 3 条" in body and "count=1" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [0, 2, 5, 7])
def test_an_api_page_is_read_by_its_ids_then_its_rows(world: World, client: Client, offset: int) -> None:
    """``core.api.Pagination`` reads a page as a list page does: the ids in the list's order, then
    those rows with their joins (PostgreSQL: in the order written) — the same items and count as
    the ordered slice, at any offset (7 items, 3 a page: each side of the last page's start)."""
    for i in range(7):
        public_item(world, title=f"第{i}件", on=dt.date(2023, 3, 1 + i % 3))
    client.force_login(world.users[Role.STAFF])
    expected = list(Suggestion.objects.order_by("-registered_at", "-id", "pk").values_list("code", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/suggestions?limit=3&offset={offset}").json()
    assert [i["code"] for i in body["items"]] == expected[offset:offset + 3] and body["count"] == 7
    sqls = [q["sql"] for q in ctx.captured_queries]
    page_reads = [s for s in sqls if "suggestions_suggestion" in s and "COUNT(" not in s.upper()]
    assert 'AS "pk"' in page_reads[0] and "LIMIT" in page_reads[0]  # the ids first
    assert any("join_collapse_limit" in s for s in sqls) == (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_a_count_asked_for_later_is_restricted_as_its_list(world: World, client: Client) -> None:
    """``?count=1`` is the list view itself: signed out it is the login page; a unit counts only the
    items its list holds (one of three assigned to it), the office all three."""
    items = [public_item(world, title=f"村口路灯{i}") for i in range(3)]
    assigned(world, items[0])
    response = client.get("/suggestions/?q=路灯&count=1")
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(world.users[Role.UNIT])
    assert "共 1 条" in client.get("/suggestions/?q=路灯&count=1").content.decode()
    client.force_login(world.users[Role.STAFF])
    assert "共 3 条" in client.get("/suggestions/?q=路灯&count=1").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["2", str(2**31 // 20 + 2), "1" + "0" * 30])
def test_a_list_not_counted_yet_takes_any_page_number(world: World, client: Client, page: str) -> None:
    """A page past the end of a list counted after its page — near or far past what a database's
    ``OFFSET`` takes — is its last page (a search, and the district's unfiltered list)."""
    for i in range(3):
        public_item(world, title=f"村口路灯{i}")
    for user, url in ((Role.STAFF, "/suggestions/?q=路灯"), (Role.DISTRICT_VIEWER, "/suggestions/")):
        client.force_login(world.users[user])
        response = client.get(f"{url}{'&' if '?' in url else '?'}page={page}")
        assert response.status_code == 200
        assert "第 1–3 条" in response.content.decode()
