"""Reads from a replica (core/replica.py): statistics, dashboards and exports read from the
``replica`` alias when one is configured; writes, and reads inside an open transaction of the
application, stay on the primary. The alias is a test mirror of ``default`` (a second connection
to the same database), so every query can be told apart by the connection that ran it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from tests.support import World

from renda.core import replica
from renda.core.replica import REPLICA, ReplicaRouter, read_alias, replica_reads
from renda.core.roles import Role
from renda.reports import metrics
from renda.suggestions import services
from renda.suggestions.models import Suggestion


@pytest.fixture
def with_replica(settings: Any) -> None:
    settings.RENDA_READ_REPLICA = True


def test_the_alias_exists_and_is_not_used_without_a_replica(settings: Any) -> None:
    assert REPLICA in settings.DATABASES
    assert settings.RENDA_READ_REPLICA is False  # DATABASE_REPLICA_URL is not set in the suite
    with replica_reads():
        assert read_alias() == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_routing_inside_and_outside_the_scope(with_replica: None) -> None:
    router = ReplicaRouter()
    assert read_alias() == DEFAULT_DB_ALIAS
    with replica_reads():
        assert read_alias() == REPLICA
        assert router.db_for_read(Suggestion) == REPLICA
        with transaction.atomic():  # a service's transaction: its reads see its writes
            assert replica.in_write_transaction()
            assert read_alias() == DEFAULT_DB_ALIAS
        assert read_alias() == REPLICA
        with replica_reads():  # nested scopes restore the outer one
            pass
        assert read_alias() == REPLICA
        assert router.db_for_write(Suggestion) == DEFAULT_DB_ALIAS
        assert read_alias() == DEFAULT_DB_ALIAS  # after a write the scope reads its own writes
    assert read_alias() == DEFAULT_DB_ALIAS
    with replica_reads():  # a new scope starts clean
        assert read_alias() == REPLICA
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "suggestions")
    assert not router.allow_migrate(REPLICA, "suggestions")


def test_a_decorated_function_routes_only_while_it_runs(settings: Any) -> None:
    settings.RENDA_READ_REPLICA = True
    seen: list[str] = []

    @replica_reads()
    def job() -> None:
        seen.append(read_alias())

    job()
    job()
    assert seen == [REPLICA, REPLICA]
    assert read_alias() == DEFAULT_DB_ALIAS


def _count(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_statistics_read_from_the_replica_and_services_write_to_the_primary(with_replica: None) -> None:
    world = World()
    item = services.suggestion_register(actor=world.users[Role.STAFF], town=world.town, kind="deputy",
                                        title="道路硬化", lead_deputy=world.deputy, source="session",
                                        on=dt.date(2023, 3, 1))
    period = metrics.Period.parse("2023H1")
    scope = metrics.resolve_scope(world.town.code)
    with _count(REPLICA) as on_replica, _count(DEFAULT_DB_ALIAS) as on_primary:
        numbers = metrics.stats(period, scope)
    assert numbers["suggestions"]["received"] == 1
    assert len(on_replica.captured_queries) > 0
    assert on_primary.captured_queries == []

    # Inside the scope, a service still reads and writes on the primary (its transaction), and so
    # do the reads after it (its on_commit notifications): the replica may not have its writes yet.
    with replica_reads(), _count(REPLICA) as on_replica, _count(DEFAULT_DB_ALIAS) as on_primary:
        services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=item.pk, lead_unit=world.unit,
                                   on=dt.date(2023, 3, 2))
    assert on_replica.captured_queries == []
    assert any(q["sql"].startswith("UPDATE") for q in on_primary.captured_queries)


@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
def test_a_list_export_and_the_dashboard_read_from_the_replica(with_replica: None, client: Any) -> None:
    world = World()
    client.force_login(world.users[Role.STAFF])
    with _count(REPLICA) as on_replica:
        response = client.get("/suggestions/?export=xlsx")
    assert response.status_code == 200
    assert any("suggestions_suggestion" in q["sql"] for q in on_replica.captured_queries)
    with _count(REPLICA) as on_replica:
        response = client.get("/reports/?period=2023H1")
    assert response.status_code == 200
    assert len(on_replica.captured_queries) > 0
