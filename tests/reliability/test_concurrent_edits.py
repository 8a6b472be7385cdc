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

from renda.accounts.services import api_token_create
from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain
from renda.core.roles import Role
from renda.suggestions.models import Suggestion, Transition
from tests.reliability.samples import register_public
from tests.support import World, make_unit, make_user


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


def _deputy_form(client: Client, pk: int) -> dict[str, Any]:
    """The edit form's fields as the browser would post them back (with the hidden version)."""
    import re

    html = client.get(f"/deputies/{pk}/edit/").content.decode()
    version = re.search(r'name="_version" value="([^"]*)"', html)
    assert version, "the edit form carries the record's version"
    from renda.people.models import Deputy

    d = Deputy.objects.get(pk=pk)
    return {"_version": version.group(1), "name": d.name, "phone": d.phone, "level": d.level, "town": d.town_id,
            "term": d.term, "constituency": d.constituency, "village": d.village_id or "",
            "is_presidium": "on" if d.is_presidium else "", "serving_from": "", "serving_to": "",
            "grids": [g.pk for g in d.grids.all()]}


@pytest.mark.django_db(transaction=True)
def test_generic_edit_pages_refuse_the_second_of_two_edits() -> None:
    """Two office users open the same deputy's edit form and both save: the second is refused
    with 409 and the message, and the first one's change is kept (nothing lost silently)."""
    world = World()
    deputy = world.plain_deputy
    a, b = Client(), Client()
    a.force_login(world.users[Role.STAFF])
    b.force_login(make_user(Role.STAFF, world.town))
    form_a, form_b = _deputy_form(a, deputy.pk), _deputy_form(b, deputy.pk)

    def post(client: Client, data: dict[str, Any]) -> Callable[[], Any]:
        def go() -> tuple[int, str]:
            r = client.post(f"/deputies/{deputy.pk}/edit/", data)
            return r.status_code, r.content.decode()
        return go

    results = race(post(a, {**form_a, "constituency": "第一选区（A改）"}),
                   post(b, {**form_b, "constituency": "第二选区（B改）"}))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(code for code, _html in results) == [302, 409]
    loser = next(html for code, html in results if code == 409)
    assert "该记录已被他人修改" in loser
    deputy.refresh_from_db()
    winner = "第一选区（A改）" if results[0][0] == 302 else "第二选区（B改）"
    assert deputy.constituency == winner
    assert AuditEvent.objects.filter(verb="deputy.update", target_id=str(deputy.pk)).count() == 1
    # Saving again from a fresh form works.
    fresh = _deputy_form(a, deputy.pk)
    assert a.post(f"/deputies/{deputy.pk}/edit/", {**fresh, "constituency": "第三选区"}).status_code == 302
    assert verify_chain() is None
