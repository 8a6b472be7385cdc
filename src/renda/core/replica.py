"""Reads from a PostgreSQL read replica (``DATABASE_REPLICA_URL``), for the work that only reads
much: statistics, dashboards, exports and report generation.

- Such work runs inside ``replica_reads()`` (a context manager and decorator). Inside it, the ORM's
  reads and the raw statements that ask ``read_alias()`` go to the ``replica`` alias; everything
  else — every write, every read outside the scope, and every read while a transaction is open on
  the primary (a service's ``atomic`` block: it must see its own writes and lock rows there) — goes
  to the primary (``default``).
- Once the scope has written (a service called inside it), its later reads stay on the primary.
- Without ``DATABASE_REPLICA_URL`` the scope changes nothing: every query goes to ``default``.
- The ``replica`` alias exists in every configuration (pointing at the primary when no replica is
  set, and as a test mirror of ``default`` in tests), so the router is tested with a second alias
  on the same server; no connection is opened for it unless reads are routed there.

A replica lags the primary by the time it takes to replay the WAL (usually well under a second on
a LAN); ``docs/deploy.md`` says what that means for each page.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

class _Scope:
    """One ``replica_reads`` scope; ``wrote`` once a write was routed inside it."""

    __slots__ = ("wrote",)

    def __init__(self) -> None:
        self.wrote = False


_scope: ContextVar[_Scope | None] = ContextVar("renda_replica_reads", default=None)


class replica_reads(contextlib.ContextDecorator):  # used like a function
    """``with replica_reads(): …`` or ``@replica_reads()``: the reads inside may go to the replica."""

    def _recreate_cm(self) -> replica_reads:
        return type(self)()  # a decorated function may run in several threads at once

    def __enter__(self) -> None:
        self._token = _scope.set(_Scope())

    def __exit__(self, *exc: object) -> None:
        _scope.reset(self._token)


def enabled() -> bool:
    """Whether a replica is configured (``DATABASE_REPLICA_URL``, the ``RENDA_READ_REPLICA`` setting)."""
    return bool(getattr(settings, "RENDA_READ_REPLICA", False)) and REPLICA in settings.DATABASES


def in_write_transaction() -> bool:
    """Whether a transaction of the application is open on the primary. A test's own wrapping
    transaction (Django marks it ``_from_testcase``) does not count, so tests see what production
    does."""
    blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def read_alias() -> str:
    """The alias a read should use now: the replica inside a scope, unless a transaction is open
    on the primary or the scope has written already (its reads then see its own writes, which the
    replica may not have replayed yet — ``on_commit`` callbacks included)."""
    scope = _scope.get()
    if scope is not None and not scope.wrote and enabled() and not in_write_transaction():
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django database router (``DATABASE_ROUTERS``): reads as ``read_alias()`` says, writes and
    migrations on the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same database, one copy of it read-only

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
