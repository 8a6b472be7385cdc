"""core.services.full_clean: Django's checks, without the lookups it can do without."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core.errors import InvalidInput
from renda.core.services import full_clean
from renda.units.models import Unit


@pytest.mark.django_db
def test_a_loaded_foreign_key_is_not_looked_up_again(world: World) -> None:
    unit = Unit(town=world.town, name="新的承办单位", kind=world.unit.kind)
    with CaptureQueriesContext(connection) as ctx:
        full_clean(unit)
    # Only the (town, name) unique check reads the database; the town is not fetched again.
    assert [q["sql"] for q in ctx.captured_queries if "places_region" in q["sql"]] == []
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_a_foreign_key_given_by_id_is_still_checked(world: World) -> None:
    with pytest.raises(InvalidInput) as exc:
        full_clean(Unit(town_id=10**9, name="不存在的镇的单位", kind=world.unit.kind))
    assert "town" in exc.value.fields


@pytest.mark.django_db
def test_unique_checks_on_a_loaded_foreign_key_still_run(world: World) -> None:
    with pytest.raises(InvalidInput):
        full_clean(Unit(town=world.town, name=world.unit.name, kind=world.unit.kind))
