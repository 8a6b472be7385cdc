"""``core.compiled.CompiledQuery``: the API token's query, compiled once per connection, gives
what the queryset gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.support import World

from renda.accounts.models import ApiToken, User
from renda.accounts.services import api_token_create
from renda.core.compiled import CompiledQuery
from renda.core.roles import Role

pytestmark = pytest.mark.django_db


def token_query() -> CompiledQuery[ApiToken]:
    """A fresh one (its own plans), written as ``accounts.services`` writes the token's."""
    return CompiledQuery(lambda key_hash: ApiToken.objects.select_related("user", "user__town").order_by()
                         .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)[:1])


def tokens(world: World) -> tuple[ApiToken, ApiToken]:
    staff, district = world.users[Role.STAFF], world.users[Role.DISTRICT_VIEWER]
    a, _raw = api_token_create(actor=None, user=staff, name="热线")
    b, _raw = api_token_create(actor=None, user=district, name="区平台")
    ApiToken.objects.filter(pk=a.pk).update(last_used_at=dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC))
    return a, b


def test_it_gives_what_the_queryset_gives(world: World) -> None:
    q = token_query()
    for token in tokens(world):
        expected = q.build(token.key_hash).get()
        got = q.first(token.key_hash)
        assert got is not None
        assert type(got) is ApiToken and got.pk == expected.pk
        fields = [f.attname for f in ApiToken._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got._state.db == expected._state.db and not got._state.adding
        with CaptureQueriesContext(connection) as ctx:  # its user and town came with it
            user, town = got.user, got.user.town
        assert not ctx.captured_queries
        assert isinstance(user, User) and user.pk == expected.user_id
        assert (town.pk if town else None) == expected.user.town_id  # a district user has none
    first = q.first(tokens(world)[0].key_hash)
    assert first is not None and first.last_used_at is not None
    assert timezone.is_aware(first.last_used_at)  # the backend's converters ran (SQLite: text)


def test_a_value_that_matches_nothing_is_none(world: World) -> None:
    a, _b = tokens(world)
    q = token_query()
    assert q.first("0" * 64) is None
    ApiToken.objects.filter(pk=a.pk).update(revoked_at=timezone.now())
    assert q.first(a.key_hash) is None  # the query's other conditions hold
    assert q.first("0" * 64) is None


def test_it_is_compiled_once_and_then_runs_one_statement(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = tokens(world)
    q = token_query()
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    assert q.first(a.key_hash).pk == a.pk  # type: ignore[union-attr]
    assert compiled == [ApiToken]
    with CaptureQueriesContext(connection) as ctx:
        assert q.first(b.key_hash).pk == b.pk  # type: ignore[union-attr]
    assert compiled == [ApiToken]  # not again
    assert len(ctx.captured_queries) == 1 and b.key_hash in ctx.captured_queries[0]["sql"]
    assert "\x00" not in ctx.captured_queries[0]["sql"]  # no stand-in left in the statement


def test_values_are_checked(world: World) -> None:
    q = token_query()
    with pytest.raises(TypeError, match="1 values expected, 2 given"):
        q.first("a", "b")
    unused: CompiledQuery[ApiToken] = CompiledQuery(lambda key_hash: ApiToken.objects.filter(pk=1)[:1])
    with pytest.raises(ValueError, match="each value must be one parameter"):
        unused.first("x")
    twice: CompiledQuery[ApiToken] = CompiledQuery(
        lambda key_hash: ApiToken.objects.filter(key_hash=key_hash, name=key_hash)[:1])
    with pytest.raises(ValueError, match="each value must be one parameter"):
        twice.first("x")
    one_twice_one_never: CompiledQuery[ApiToken] = CompiledQuery(
        lambda key_hash, name: ApiToken.objects.filter(key_hash=key_hash, name=key_hash)[:1], arity=2)
    with pytest.raises(ValueError, match="each value must be one parameter"):
        one_twice_one_never.first("x", "y")


def test_rows_of_a_values_list_with_an_integer_value(world: World) -> None:
    """``rows``: a ``values_list`` queryset with an integer value (``kinds``), the same tuples as
    the queryset, converted by the fields (an aware datetime); compiled once, then one statement."""
    a, b = tokens(world)

    def build(user_id: int) -> Any:
        return ApiToken.objects.filter(user_id=user_id).order_by("pk").values_list("pk", "name", "last_used_at")

    q: CompiledQuery[Any] = CompiledQuery(build, kinds=(int,))
    for token in (a, b):
        assert q.rows(token.user_id) == list(build(token.user_id))
    assert q.rows(a.user_id)[0][2] == dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert q.rows(-1) == []
    with CaptureQueriesContext(connection) as ctx:
        q.rows(b.user_id)
    assert len(ctx.captured_queries) == 1
    with pytest.raises(TypeError, match="read model instances"):
        q.first(a.user_id)
    with pytest.raises(TypeError, match="rows\\(\\) reads a values_list"):
        token_query().rows(a.key_hash)
    with pytest.raises(TypeError, match="texts or integers"):
        CompiledQuery(build, kinds=(float,))


def test_all_instances_with_integer_values(world: World) -> None:
    """``all``: every instance, as the queryset gives them (a related object with each), for one
    value or several (an ``IN`` of integers)."""
    a, b = tokens(world)

    def build(*pks: int) -> Any:
        return ApiToken.objects.select_related("user").filter(pk__in=pks).order_by("pk")

    one: CompiledQuery[ApiToken] = CompiledQuery(build, kinds=(int,))
    two: CompiledQuery[ApiToken] = CompiledQuery(build, kinds=(int, int))
    assert one.all(a.pk) == [a] and one.all(-1) == []
    got = two.all(b.pk, a.pk)
    assert got == list(build(a.pk, b.pk)) and [t.user for t in got] == [a.user, b.user]
    assert [t.name for t in got] == ["热线", "区平台"]
    with CaptureQueriesContext(connection) as ctx:
        assert two.all(a.pk, -1) == [a]
    assert len(ctx.captured_queries) == 1
