"""``crud.tabbed_page``: the queue pages' tabs, counts and pages (the office queue, the unit
inbox and the petitions queue draw theirs with it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from tests.support import World, make_grid

from renda.core.crud import tabbed_page
from renda.places.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def tabs(world: World) -> list[tuple[str, str, Any]]:
    """45 grids in the village (the world's one and 44 more)."""
    for _ in range(44):
        make_grid(world.village)
    grids = Region.objects.filter(level="grid", parent=world.village).select_related("parent", "town")
    return [("all", "全部", grids.order_by("code", "pk")), ("none", "没有", grids.none()),
            ("first", "第一个", grids.filter(pk=world.grid.pk))]


def _get(tabs: list[tuple[str, str, Any]], **params: str) -> dict[str, Any]:
    return tabbed_page(RequestFactory().get("/", params), tabs)


def test_the_first_tab_by_default_and_for_an_unknown_one(tabs: list[tuple[str, str, Any]]) -> None:
    for params in ({}, {"tab": "nonsense"}, {"tab": ""}):
        out = _get(tabs, **params)
        assert out["current"] == "all"
        assert [(t["key"], t["count"]) for t in out["tabs"]] == [("all", 45), ("none", 0), ("first", 1)]
        assert len(out["page"].object_list) == 20


def test_pages_as_the_lists_read_them(tabs: list[tuple[str, str, Any]]) -> None:
    assert _get(tabs, page="2")["page"].number == 2
    last = _get(tabs, page="3")["page"]
    assert last.number == 3 and len(last.object_list) == 5 and not last.has_next()
    for junk in ("abc", "-1", "0", "1.5"):
        assert _get(tabs, page=junk)["page"].number == 1
    assert _get(tabs, page="99999999999999999999")["page"].number == 3
    assert _get(tabs, tab="none")["page"].object_list == []


def test_a_page_is_its_ids_then_those_rows_with_their_joins(world: World, tabs: list[tuple[str, str, Any]]
                                                          ) -> None:
    """The ids by the filter's own index (no join), then the rows by id: the overdue tab of a
    town of 50,000 items read every past item in deadline order before (196 → 28 ms)."""
    request = RequestFactory().get("/", {"tab": "all", "page": "2"})
    with CaptureQueriesContext(connection) as ctx:
        page = tabbed_page(request, tabs)["page"]
        rows = [(g.code, g.parent.name) for g in page.object_list]
    ordered = sorted(Region.objects.filter(level="grid", parent=world.village).values_list("code", flat=True))
    assert [code for code, _name in rows] == ordered[20:40]
    ids = [q["sql"] for q in ctx.captured_queries if "LIMIT 20" in q["sql"]]
    assert len(ids) == 1 and " JOIN " not in ids[0], ids
