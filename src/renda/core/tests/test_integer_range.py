"""API ids, offsets and limits beyond 64 bits are a 422 on every database (PostgreSQL would
quietly match nothing and answer 200; the OpenAPI document says int64)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "status"), [
    ("town_id=9223372036854775807", 200),          # the largest int64: a valid id that matches nothing
    ("town_id=9223372036854775808", 422),          # one past it
    ("town_id=-9223372036854775808", 200),
    ("town_id=-9223372036854775809", 422),
    ("offset=99999999999999999999", 422),
    ("deputy_id=-46811769817287415390273536", 422),
])
def test_api_integers_beyond_64_bits_are_refused(world: World, query: str, status: int) -> None:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    r = c.get(f"/api/contact-assignments?{query}")
    assert r.status_code == status, r.content
    if status == 422:
        assert r.json()["code"] == "invalid"


@pytest.mark.django_db
def test_a_long_number_in_a_search_is_text(world: World) -> None:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    assert c.get("/api/suggestions?q=99999999999999999999999").status_code == 200
