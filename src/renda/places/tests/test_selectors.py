"""``places.selectors``: reads of regions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.places.models import Region
from renda.places.selectors import regions_by_id

pytestmark = pytest.mark.django_db


def test_regions_by_id_reads_them_with_their_parents_in_one_query(world: World) -> None:
    """One, two or three ids (a registration's town, village and grid: compiled once) and more
    (the queryset): the regions as the queryset gives them, each parent loaded with it."""
    cases = [{world.town.pk}, {world.village.pk, world.grid.pk}, {world.town.pk, world.village.pk, world.grid.pk},
             {world.town.pk, world.village.pk, world.grid.pk, world.other_town.pk}, {world.grid.pk, -5}, set()]
    for ids in cases:
        with CaptureQueriesContext(connection) as ctx:
            got = regions_by_id(ids)
            parents = {pk: (r.parent.name if r.parent else None) for pk, r in got.items()}
        assert len(ctx.captured_queries) == (1 if ids else 0)
        expected = Region.objects.select_related("parent").in_bulk(ids)
        assert got == expected and set(got) == ids - {-5}
        assert parents == {pk: (r.parent.name if r.parent else None) for pk, r in expected.items()}
