"""The congress API: sessions and rounds (read), a deputy's ballot (write)."""

from __future__ import annotations

from django.test import Client
from tests.support import World

from renda.congress import services
from renda.congress.tests.helpers import ids, make_session, open_round, staff
from renda.core.roles import Role


def ballot(*marks: tuple[int, str]) -> dict[str, object]:
    return {"choices": [{"option_id": pk, "choice": choice} for pk, choice in marks]}


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def test_sessions(world: World) -> None:
    s = make_session(world, total=3, present=2)
    c = _client(staff(world))
    data = c.get("/api/congress/sessions?year=2023").json()
    assert data["count"] == 1 and data["items"][0]["title"] == s.title
    assert c.get("/api/congress/sessions?year=2022").json()["count"] == 0
    detail = c.get(f"/api/congress/sessions/{s.pk}").json()
    assert detail["quorum"] == {"all": 3, "present": 2, "needed": 2, "reached": True}
    assert sorted(a["status"] for a in detail["attendance"]) == ["due", "present", "present"]
    assert _client(world.other_staff).get(f"/api/congress/sessions/{s.pk}").status_code == 404
    assert _client(world.users[Role.UNIT]).get("/api/congress/sessions").status_code == 403


def test_ballot_and_round(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a, b, _c = ids(r)
    deputy = _client(world.users[Role.DEPUTY])
    assert [x["id"] for x in deputy.get("/api/congress/rounds?open_for_me=true").json()["items"]] == [r.pk]
    url = f"/api/congress/rounds/{r.pk}/ballot"
    too_many = deputy.post(url, ballot((a, "for"), (b, "for")), content_type="application/json")
    assert too_many.status_code == 400 and "赞成票不能超过应选数" in too_many.json()["message"]
    ok = deputy.post(url, ballot((a, "for")), content_type="application/json")
    assert ok.status_code == 201 and ok.json() == {"voted": True, "returned": 1}
    again = deputy.post(url, ballot((a, "against")), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    assert deputy.get("/api/congress/rounds?open_for_me=true").json()["count"] == 0
    refused = _client(staff(world)).post(url, ballot((a, "for")), content_type="application/json")
    assert refused.status_code == 403
    other = _client(world.other_staff).post(url, ballot((a, "for")), content_type="application/json")
    assert other.status_code == 404
    bad = deputy.post(url, {**ballot((a, "for")), "deputy": 1}, content_type="application/json")
    assert bad.status_code == 422
    twice = deputy.post(url, ballot((b, "for"), (b, "against")), content_type="application/json")
    assert twice.status_code == 400 and "重复" in twice.json()["message"]
    open_view = deputy.get(f"/api/congress/rounds/{r.pk}").json()
    assert open_view["returned"] == 1 and open_view["valid"] is None and open_view["voted"] is True
    assert all(o["for_"] is None for o in open_view["options"])
    services.round_close(actor=staff(world), round_id=r.pk)
    closed = deputy.get(f"/api/congress/rounds/{r.pk}").json()
    assert closed["state"] == "closed" and closed["valid"] == 1
    assert [o["for_"] for o in closed["options"]] == [1, 0, 0]
    after = _client(world.users[Role.PRESIDIUM]).post(url, ballot((a, "for")), content_type="application/json")
    assert after.status_code == 409 and "投票已结束" in after.json()["message"]
