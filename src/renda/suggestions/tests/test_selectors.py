from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core.roles import Role
from renda.suggestions import selectors, services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import D, assigned, deputy_item, public_item

pytestmark = pytest.mark.django_db


def test_visibility_and_queues(world: World) -> None:
    p = assigned(world, public_item(world), on=D("2023-03-02"))  # deadline 2023-04-01
    d = deputy_item(world)
    other = services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public", title="x",
                                         submitter_name="李四", on=D("2023-03-01"))
    u = world.users
    assert set(selectors.suggestions_visible_to(u[Role.STAFF])) == {p, d}
    assert set(selectors.suggestions_visible_to(u[Role.DISTRICT_VIEWER])) == {p, d, other}
    assert set(selectors.suggestions_visible_to(u[Role.UNIT])) == {p}
    assert set(selectors.suggestions_visible_to(u[Role.DEPUTY])) == {d}
    assert set(selectors.suggestions_visible_to(world.extra_user)) == {d}  # co-signer
    assert set(selectors.suggestions_visible_to(u[Role.GRID_WORKER])) == {p}  # from their grid
    q = selectors.office_queue(u[Role.STAFF], today=D("2023-03-28"))
    assert list(q["new"]) == [d] and list(q["due_soon"]) == [p] and not q["overdue"].exists()
    assert list(selectors.office_queue(u[Role.STAFF], today=D("2023-04-02"))["overdue"]) == [p]
    inbox = selectors.unit_inbox(u[Role.UNIT], today=D("2023-03-28"))
    assert list(inbox["to_accept"]) == [p] and list(inbox["due_soon"]) == [p]
    assert list(selectors.deputy_items(u[Role.DEPUTY])) == [d]
    services.suggestion_return(actor=u[Role.UNIT], suggestion_id=p.pk, reason="非本单位职责", on=D("2023-03-03"))
    q = selectors.office_queue(u[Role.STAFF], today=D("2023-03-28"))
    assert list(q["returned"]) == [p] and set(q["to_assign"]) == {p, d}


def test_the_search_index_survives_the_migrations(world: World) -> None:
    """On SQLite, a migration that rebuilds the suggestions table (Django's AddField of a NOT NULL
    column does) drops the FTS5 triggers of 0004 and the covering index of 0008: search by
    编号 then misses every new item. Every migration must leave them in place."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'suggestions_suggestion' "
                       "AND type IN ('trigger', 'index')")
        names = {row[0] for row in cursor.fetchall()}
    assert {"suggestions_search_ai", "suggestions_search_ad", "suggestions_search_au",
            "suggestion_search_cover"} <= names
    s = public_item(world, title="新修的站台")
    assert list(selectors.search(Suggestion.objects.all(), s.code)) == [s]


def test_the_queues_write_their_state_condition_as_the_partial_index_does() -> None:
    """The due-soon and overdue queues read the partial index of the items being handled
    (migration 0018); SQLite uses a partial index only when the query writes its condition as
    the index does — the same states in the same order, which a frozenset does not keep."""
    from django.db.models import Q

    from renda.suggestions.models import HANDLING_STATES
    from renda.suggestions.workflow import HANDLING

    index = next(i for i in Suggestion._meta.indexes if i.name == "suggestion_town_handling_due")
    assert index.condition == Q(state__in=HANDLING_STATES)
    assert sorted(HANDLING) == HANDLING_STATES and len(HANDLING_STATES) == len(HANDLING)
    for qs in selectors.due_and_overdue(Suggestion.objects.filter(town_id=1), D("2023-03-01"), 7):
        _sql, params = qs.query.sql_with_params()
        n = len(HANDLING_STATES)
        assert any(list(params[i:i + n]) == HANDLING_STATES for i in range(len(params)))


def test_similar_candidates_of_a_whole_town_are_the_querysets(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A town office reads the similarity check's candidates with a query compiled once
    (``_open_in_town``, one row more in place of the excluded item): the same rows as the
    queryset of what the user sees, on each side of the candidates' limit, with ties on one day,
    the excluded item inside and outside the window, closed items and another town's left out."""
    from renda.core import similarity
    from renda.suggestions.workflow import OPEN

    staff = world.users[Role.STAFF]
    items = [public_item(world, title=f"路灯{n}", on=D("2023-03-01") + dt.timedelta(days=n // 2)) for n in range(6)]
    services.suggestion_decline(actor=staff, suggestion_id=items[4].pk, reason="重复", expected_version=0)
    services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public", title="路灯",
                                 submitter_name="李四", on=D("2023-03-09"))
    assert selectors.whole_town_of(staff) == world.town.pk
    assert selectors.whole_town_of(world.users[Role.UNIT]) is None
    assert selectors.whole_town_of(world.users[Role.DISTRICT_VIEWER]) is None  # every town

    def by_queryset(exclude_id: int | None) -> list[tuple[object, ...]]:
        qs = selectors.suggestions_visible_to(staff).filter(state__in=[s.value for s in OPEN])
        if exclude_id is not None:
            qs = qs.exclude(pk=exclude_id)
        return list(qs.order_by("-registered_at", "-pk").values_list(*selectors._similar_fields())
                    [:similarity.CANDIDATES])

    newest_first = [s.pk for s in reversed(items) if s.pk != items[4].pk]
    for limit in (2, 3, 4, 5, 6):
        monkeypatch.setattr(similarity, "CANDIDATES", limit)
        for exclude_id in (None, newest_first[0], newest_first[min(limit, 4) - 1], newest_first[-1], items[4].pk):
            got = selectors.similar_candidates(staff, exclude_id=exclude_id)
            assert got == by_queryset(exclude_id), (limit, exclude_id)
            assert len(got) == min(limit, 5 - (exclude_id in newest_first))
    with CaptureQueriesContext(connection) as ctx:
        selectors.similar_candidates(staff, exclude_id=items[0].pk)
    assert len(ctx.captured_queries) == 1
