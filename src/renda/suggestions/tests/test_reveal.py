"""Reveal-with-reason of a public submitter's contact (查看联系方式): the policy matrix (every
role × the page and the API, on items in each situation), the audit event, the masking
everywhere else, the 不愿承办单位直接联系 flag."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from tests.support import World, make_unit

from renda.audit.models import AuditEvent
from renda.core.privacy import REVEAL_VERB
from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import deputy_item, public_item

P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER,
                       Role.DISTRICT_VIEWER, Role.ADMIN)
TODAY = dt.date.today()
NAME, PHONE = "张小三", "13812345678"
REASON = "电话告知办理结果"


def _assigned(w: World, *, unit: Any = None, **kw: Any) -> Suggestion:
    s = public_item(w, on=TODAY, **kw)
    return services.suggestion_assign(actor=w.users[S], suggestion_id=s.pk, lead_unit=unit or w.unit, on=TODAY)


def _accepted(w: World, **kw: Any) -> Suggestion:
    s = _assigned(w, **kw)
    return services.suggestion_accept(actor=w.users[U], suggestion_id=s.pk, on=TODAY)


def _replied(w: World) -> Suggestion:
    s = _accepted(w)
    services.suggestion_reply(actor=w.users[U], suggestion_id=s.pk, reply_class="A", text="已建成", on=TODAY)
    return Suggestion.objects.get(pk=s.pk)


def _co_unit(w: World) -> Suggestion:
    s = public_item(w, on=TODAY)
    return services.suggestion_assign(actor=w.users[S], suggestion_id=s.pk, lead_unit=make_unit(w.town),
                                      co_units=[w.unit], on=TODAY)


def _other_town(w: World) -> Suggestion:
    return services.suggestion_register(actor=w.other_staff, town=w.other_town, kind="public", title="修路",
                                        submitter_name="李四", submitter_phone="13900001111", on=TODAY)


def expect(**by_role: int) -> dict[str, int]:
    return {P: by_role["P"], S: by_role["S"], D: by_role["D"], U: by_role["U"], G: by_role["G"],
            V: by_role["V"], A: by_role["A"]}


#: The office and the presidium of the town reveal; the deputy does not see a public item; the
#: grid worker (the item is in their grid), the district viewer and the administrator see it masked.
OFFICE_ONLY = expect(P=200, S=200, D=404, U=404, G=403, V=403, A=403)
CASES: dict[str, tuple[Callable[[World], Suggestion], dict[str, int]]] = {
    "registered": (lambda w: public_item(w, on=TODAY), OFFICE_ONLY),
    "assigned to my unit": (_assigned, expect(P=200, S=200, D=404, U=200, G=403, V=403, A=403)),
    "accepted by my unit": (_accepted, expect(P=200, S=200, D=404, U=200, G=403, V=403, A=403)),
    "assigned, no unit contact": (lambda w: _assigned(w, no_unit_contact=True),
                                  expect(P=200, S=200, D=404, U=403, G=403, V=403, A=403)),
    "replied (my unit no longer handles it)": (_replied, expect(P=200, S=200, D=404, U=403, G=403, V=403, A=403)),
    "another unit's item": (lambda w: _assigned(w, unit=make_unit(w.town), grid=None),
                            expect(P=200, S=200, D=404, U=404, G=404, V=403, A=403)),
    "my unit co-handles": (_co_unit, expect(P=200, S=200, D=404, U=403, G=403, V=403, A=403)),
    "another town's item": (_other_town, expect(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
}


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_reveal_matrix_page(world: World, case: str) -> None:
    setup, expected = CASES[case]
    s = setup(world)
    got = {role: _client(world.users[role]).post(f"/suggestions/{s.pk}/reveal/", {"reveal-reason": REASON}).status_code
           for role in expected}
    assert got == expected
    revealers = [r for r, code in expected.items() if code == 200]
    assert AuditEvent.objects.filter(verb=REVEAL_VERB, target_id=str(s.pk)).count() == len(revealers)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_reveal_matrix_api(world: World, case: str) -> None:
    setup, expected = CASES[case]
    s = setup(world)
    got = {}
    for role in expected:
        r = _client(world.users[role]).post(f"/api/suggestions/{s.pk}/reveal", data=json.dumps({"reason": REASON}),
                                            content_type="application/json")
        got[role] = r.status_code
        if r.status_code == 200:
            assert r.json() == {"name": s.submitter_name, "phone": s.submitter_phone}
        else:
            assert set(r.json()) == {"code", "message", "fields"}
    assert got == expected


@pytest.mark.django_db
def test_reveal_shows_the_contact_once_and_is_audited(world: World) -> None:
    s = _accepted(world)
    c = _client(world.users[U])
    page = c.get(f"/suggestions/{s.pk}/").content.decode()
    assert "查看联系方式" in page and 'id="reveal-form"' in page
    assert NAME not in page and PHONE not in page and "张*三" in page and "138****5678" in page
    # A reason is required (at least four characters); nothing is shown or recorded without it.
    refused = c.post(f"/suggestions/{s.pk}/reveal/", {"reveal-reason": "看看"})
    assert refused.status_code == 400 and PHONE not in refused.content.decode()
    assert "请说明查看" in refused.content.decode()
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()
    shown = c.post(f"/suggestions/{s.pk}/reveal/", {"reveal-reason": REASON})
    body = shown.content.decode()
    assert shown.status_code == 200 and NAME in body and PHONE in body and 'data-revealed="1"' in body
    assert shown["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(verb=REVEAL_VERB)
    assert (event.actor, event.comment, event.target_id) == (world.users[U], REASON, str(s.pk))
    assert event.after == {"fields": ["submitter.name", "submitter.phone"]}
    # Not remembered: the next page is masked again, and nothing else shows the clear data.
    assert PHONE not in c.get(f"/suggestions/{s.pk}/").content.decode()
    assert NAME not in c.get("/suggestions/").content.decode()
    api = json.dumps(c.get(f"/api/suggestions/{s.pk}").json(), ensure_ascii=False)
    assert NAME not in api and PHONE not in api


@pytest.mark.django_db
def test_the_form_is_offered_only_to_those_who_may_reveal(world: World) -> None:
    s = _assigned(world, no_unit_contact=True)
    staff_page = _client(world.users[S]).get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="reveal-form"' in staff_page and "不愿承办单位直接联系" in staff_page
    unit_page = _client(world.users[U]).get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="reveal-form"' not in unit_page and "不愿承办单位直接联系" in unit_page
    for role in (G, V, A):
        assert 'id="reveal-form"' not in _client(world.users[role]).get(f"/suggestions/{s.pk}/").content.decode()


@pytest.mark.django_db
def test_nothing_to_reveal_on_anonymous_or_deputy_items(world: World) -> None:
    c = _client(world.users[S])
    for s in (public_item(world, anonymous=True, submitter_name="", submitter_phone=""), deputy_item(world)):
        assert 'id="reveal-form"' not in c.get(f"/suggestions/{s.pk}/").content.decode()
        r = c.post(f"/api/suggestions/{s.pk}/reveal", data=json.dumps({"reason": REASON}),
                   content_type="application/json")
        assert r.status_code == 400
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()


@pytest.mark.django_db
def test_no_unit_contact_is_registered_through_the_form_and_the_api(world: World) -> None:
    c = _client(world.users[S])
    r = c.post("/suggestions/new/", {"kind": "public", "title": "路灯不亮", "source": "visit",
                                     "submitter_name": "王五", "submitter_phone": "13700002222",
                                     "no_unit_contact": "on"})
    assert r.status_code == 302, r.content.decode()
    assert Suggestion.objects.get(title="路灯不亮").no_unit_contact is True
    r = c.post("/api/suggestions", data=json.dumps({"kind": "public", "title": "排水沟堵塞", "source": "visit",
                                                     "submitter_name": "赵六", "no_unit_contact": True}),
               content_type="application/json")
    assert r.status_code == 201, r.content
    assert c.get(r["Location"]).json()["no_unit_contact"] is True
    # A deputy's suggestion has no submitter to protect: the flag does not stick.
    s = deputy_item(world, no_unit_contact=True)
    assert s.no_unit_contact is False


@pytest.mark.django_db
def test_the_tracking_code_stays_with_the_office(world: World) -> None:
    s = _accepted(world)
    assert _client(world.users[S]).get(f"/api/suggestions/{s.pk}").json()["tracking_code"] == s.tracking_code
    assert _client(world.users[A]).get(f"/api/suggestions/{s.pk}").json()["tracking_code"] == s.tracking_code
    assert _client(world.users[U]).get(f"/api/suggestions/{s.pk}").json()["tracking_code"] is None
