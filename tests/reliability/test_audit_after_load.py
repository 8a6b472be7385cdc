"""``renda audit verify`` is clean after a burst of writes from several threads at once (each
with its own database connection): the hash chain holds under concurrency."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.suggestions import services
from tests.reliability.samples import D, register_public
from tests.support import World, at_once

THREADS = 4
PER_THREAD = int(os.environ.get("RENDA_LOAD_CALLS", "60"))


@pytest.mark.django_db(transaction=True)
def test_audit_chain_holds_after_concurrent_writes() -> None:
    world = World()
    staff = world.users[Role.STAFF]
    start = AuditEvent.objects.count()
    calls = [0] * THREADS

    def load(i: int) -> None:
        for n in range(PER_THREAD // 2):
            s = register_public(world, world.town, world.grid, title=f"负载{i}-{n}")
            services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=D("2023-03-02"))
            calls[i] += 2

    errors = at_once(load, THREADS)
    assert not errors, errors
    assert sum(calls) == THREADS * (PER_THREAD // 2) * 2
    assert AuditEvent.objects.count() >= start + sum(calls)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "审计链完整" in out.getvalue()
