"""Two people acting on one item at the same moment, each from their own connection: both
send the version they saw; one wins, the other is refused (API: 409; page: the conflict
message with a 409, nothing changed) and nothing is lost — one transition, one audit event, the
winner's data, an intact audit chain. Runs against the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from renda.accounts.models import Role
from renda.accounts.services import api_token_create
from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain
from renda.core.testing import World, make_unit, make_user
from renda.suggestions.models import Suggestion, Transition
from tests.reliability.samples import register_public


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released together; each thread closes its connection."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results


def _setup() -> tuple[World, Suggestion, Any, Any]:
    world = World()
    second_staff = make_user(Role.STAFF, world.town)
    s = register_public(world, world.town, world.grid)
    return world, s, world.users[Role.STAFF], second_staff


@pytest.mark.django_db(transaction=True)
def test_api_two_assigns_with_the_same_version() -> None:
    world, s, staff_a, staff_b = _setup()
    unit_b = make_unit(world.town)
    tokens = [api_token_create(actor=None, user=u, name="race")[1] for u in (staff_a, staff_b)]
    seen = s.version
    events_before = AuditEvent.objects.count()

    def assign(token: str, unit_id: int) -> Callable[[], Any]:
        def go() -> tuple[int, dict[str, Any]]:
            r = Client().post(f"/api/suggestions/{s.pk}/assign",
                              {"version": seen, "lead_unit_id": unit_id, "on": "2023-03-02"},
                              content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
            return r.status_code, r.json()
        return go

    results = race(assign(tokens[0], world.unit.pk), assign(tokens[1], unit_b.pk))
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(code for code, _body in results)
    assert statuses == [200, 409], results
    loser = next(body for code, body in results if code == 409)
    assert loser["code"] in {"stale", "conflict"} and "刷新" in loser["message"]
    winner_unit = world.unit if results[0][0] == 200 else unit_b
    s.refresh_from_db()
    assert (s.state, s.lead_unit_id, s.version) == ("assigned", winner_unit.pk, seen + 1)
    assert Transition.objects.filter(suggestion=s, action="assign").count() == 1
    assert AuditEvent.objects.filter(verb="suggestion.assign").count() == 1
    assert AuditEvent.objects.count() == events_before + 1
    assert verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_pages_two_assigns_from_forms_opened_together() -> None:
    world, s, staff_a, staff_b = _setup()
    unit_b = make_unit(world.town)
    seen = s.version

    def post(user: Any, unit_id: int) -> Callable[[], Any]:
        def go() -> tuple[int, str]:
            c = Client()
            c.force_login(user)
            r = c.post(f"/suggestions/{s.pk}/do/assign/",
                       {"assign-version": seen, "assign-lead_unit": unit_id, "assign-comment": f"by {user.pk}"})
            return r.status_code, r.content.decode()
        return go

    results = race(post(staff_a, world.unit.pk), post(staff_b, unit_b.pk))
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(code for code, _html in results)
    assert codes == [302, 409], codes  # the winner is redirected; the loser gets the conflict
    loser_html = next(html for code, html in results if code == 409)
    assert "该事项已被他人处理，请刷新后重试" in loser_html
    s.refresh_from_db()
    winner_unit = world.unit if results[0][0] == 302 else unit_b
    assert (s.state, s.lead_unit_id, s.version) == ("assigned", winner_unit.pk, seen + 1)
    assert Transition.objects.filter(suggestion=s, action="assign").count() == 1
    assert verify_chain() is None
