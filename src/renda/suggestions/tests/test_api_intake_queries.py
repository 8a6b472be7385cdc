"""The number of queries of one registration through the API (issue 19, intake): pinned, so the
reads folded before the insert cannot creep back. Runs on SQLite and, with ``DATABASE_URL``, on
PostgreSQL (the same statements but the audit event's: registrations take turns on the 编号
counter's row on both)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.accounts.services import api_token_create
from renda.core.roles import Role
from renda.suggestions.models import Suggestion

#: What one registration sends to the database, in order, once the year's 编号 counter exists and
#: the token was used in the last minute (tests run inside a transaction, so the service's own
#: transaction is a savepoint here).
EXPECTED = [
    "SELECT accounts_apitoken+accounts_user+places_region",  # token, its user and the user's town
    "SELECT places_region",  # the village and the grid (with their parents), in one query
    "SAVEPOINT",  # the service's transaction: from here to its end, registrations take turns
    "UPDATE core_sequence",  # the 编号 counter: bumped and read back in one statement
    "SAVEPOINT",  # the insert may be retried with the next 编号
    "INSERT suggestions_suggestion",
    "RELEASE",
    "INSERT suggestions_transition",  # the timeline
    "SELECT audit_audithead",  # the audit chain head, locked
    "INSERT audit_auditevent",  # PostgreSQL: the event's insert and the head's move in one statement
    "UPDATE audit_audithead",
    "RELEASE",
    "SELECT suggestions_suggestion",  # the similarity check: candidates and matches in one query
]


def expected() -> list[str]:
    """``EXPECTED`` on this database: on PostgreSQL the audit event's insert is a ``WITH`` of
    the head's update (``audit.services._append``)."""
    if connection.vendor != "postgresql":
        return EXPECTED
    at = EXPECTED.index("INSERT audit_auditevent")
    return [*EXPECTED[:at], "WITH audit_auditevent+audit_audithead", *EXPECTED[at + 2:]]


_TABLE = re.compile(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)


def statement(sql: str) -> str:
    """``VERB table+joined+tables`` of one captured statement (``SAVEPOINT``/``RELEASE`` bare)."""
    verb = sql.split(None, 1)[0].upper()
    if verb in {"SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"}:
        return verb
    tables = list(dict.fromkeys(_TABLE.findall(sql)))
    return f"{verb} {'+'.join(tables)}"


@pytest.fixture
def client(world: World) -> Client:
    """A hotline's integration: the town office's bearer token, no session."""
    _token, raw = api_token_create(actor=None, user=world.users[Role.STAFF], name="热线")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def register(client: Client, world: World, n: int) -> Any:
    body = {"kind": "public", "title": f"村口路灯不亮{n}", "content": "晚上出行不便，建议尽快修复。",
            "source": "online", "submitter_name": "张三", "submitter_phone": f"1391234{n:04d}",
            "village_id": world.village.pk, "grid_id": world.grid.pk}
    r = client.post("/api/suggestions", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()


def test_one_registration_through_the_api_runs_a_pinned_list_of_queries(
        world: World, client: Client) -> None:
    register(client, world, 1)  # creates the year's counter row, stamps the token's use
    with CaptureQueriesContext(connection) as ctx:
        answer = register(client, world, 2)
    got = [statement(q["sql"]) for q in ctx.captured_queries]
    assert got == expected(), "\n".join(got)
    s = Suggestion.objects.select_related("village", "grid").get(pk=answer["id"])
    assert (s.village, s.grid, s.created_by) == (world.village, world.grid, world.users[Role.STAFF])
    assert [m["title"] for m in answer["similar"]] == ["村口路灯不亮1"]  # the similarity check still runs


def test_the_town_comes_with_the_token_only_for_the_users_own_town(
        world: World, client: Client) -> None:
    """A village or grid of another town is a 404 naming its field, as before the reads were
    folded; a town other than the user's own is read (and refused for an office user)."""
    register(client, world, 1)

    def post(**fields: Any) -> Any:
        body = {"kind": "public", "title": "修路", "anonymous": True, **fields}
        return client.post("/api/suggestions", data=json.dumps(body), content_type="application/json")

    with CaptureQueriesContext(connection) as ctx:
        r = post(grid_id=world.other_grid.pk)
    assert r.status_code == 404 and set(r.json()["fields"]) == {"grid_id"}
    assert [statement(q["sql"]) for q in ctx.captured_queries] == EXPECTED[:2]
    r = post(village_id=world.other_village.pk, grid_id=world.grid.pk)
    assert r.status_code == 404 and set(r.json()["fields"]) == {"village_id"}
    r = post(village_id=world.grid.pk)  # a grid given as the village
    assert r.status_code == 404 and set(r.json()["fields"]) == {"village_id"}
    r = post(grid_id=world.village.pk)  # a village given as the grid
    assert r.status_code == 404 and set(r.json()["fields"]) == {"grid_id"}
    r = post(town_id=world.other_town.pk)
    assert r.status_code == 404 and set(r.json()["fields"]) == {"town_id"}
    r = post(town_id=world.village.pk)
    assert r.status_code == 404 and set(r.json()["fields"]) == {"town_id"}
    assert post(town_id=world.town.pk, village_id=world.village.pk).status_code == 201


def test_a_registration_refused_by_its_validation_starts_no_transaction(world: World, client: Client) -> None:
    """The item is validated before the service's transaction: a refused one neither waits for
    the write lock nor takes the 编号 counter."""
    register(client, world, 1)
    body = {"kind": "public", "title": "修路", "anonymous": True, "on": "1948-12-31"}  # a day before the first
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/suggestions", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 400, r.content
    assert r.json()["fields"], r.json()
    got = [statement(q["sql"]) for q in ctx.captured_queries]
    assert not {"SAVEPOINT", "BEGIN", "UPDATE core_sequence"} & set(got), got
