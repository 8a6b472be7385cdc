"""/api/suggestions: the role × endpoint matrix, scoping, a whole lifecycle, conflicts, queries."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests import support as testing
from tests.support import World, make_unit

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.suggestions import rules, services
from renda.suggestions.models import Suggestion

ROLES = list(Role)  # presidium, staff, deputy, unit, grid_worker, district_viewer, admin
P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER,
                       Role.DISTRICT_VIEWER, Role.ADMIN)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_seq", itertools.count(1))


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def call(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def expect(**by_role: int) -> dict[str, int]:
    assert set(by_role) == {"P", "S", "D", "U", "G", "V", "A"}
    return {P: by_role["P"], S: by_role["S"], D: by_role["D"], U: by_role["U"], G: by_role["G"],
            V: by_role["V"], A: by_role["A"]}


# -- items in each state, built through the services (dated today) ----------------------------------


def today() -> dt.date:
    return timezone.localdate()


def public(w: World, *, town: Any = None, **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": town or w.town, "kind": "public", "title": "修建公交车站台",
                            "content": "村口没有公交车站台", "source": "visit", "submitter_name": "张小三",
                            "submitter_phone": "13812345678", "grid": w.grid if town is None else w.other_grid}
    args.update(kw)
    staff = w.users[S] if town is None else w.other_staff
    return services.suggestion_register(actor=staff, **args)


def deputy(w: World, **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": w.town, "kind": "deputy", "title": "农田水利施工质量监督",
                            "lead_deputy": w.deputy, "source": "session"}
    args.update(kw)
    return services.suggestion_register(actor=w.users[S], **args)


def assigned(w: World, s: Suggestion | None = None, *, unit: Any = None, co: Any = (),
             on: dt.date | None = None) -> Suggestion:
    s = s or public(w)
    return services.suggestion_assign(actor=w.users[S], suggestion_id=s.pk, lead_unit=unit or w.unit, co_units=co,
                                      on=on)


def accepted(w: World, s: Suggestion | None = None) -> Suggestion:
    s = assigned(w, s)
    return services.suggestion_accept(actor=w.users[U], suggestion_id=s.pk)


def replied(w: World, s: Suggestion | None = None, reply_class: str = "A") -> Suggestion:
    s = accepted(w, s)
    services.suggestion_reply(actor=w.users[U], suggestion_id=s.pk, reply_class=reply_class, text="已建成")
    return Suggestion.objects.get(pk=s.pk)


def evaluated(w: World) -> Suggestion:
    s = replied(w)
    services.suggestion_evaluate(actor=w.users[S], suggestion_id=s.pk, result="satisfied")
    return Suggestion.objects.get(pk=s.pk)


def with_extension(w: World) -> tuple[Suggestion, int]:
    s = accepted(w)
    ext = services.suggestion_request_extension(actor=w.users[U], suggestion_id=s.pk, reason="施工期长", days=15)
    return Suggestion.objects.get(pk=s.pk), ext.pk


def verb(s: Suggestion, name: str, **body: Any) -> tuple[str, dict[str, Any]]:
    return f"/api/suggestions/{s.pk}/{name}", {"version": s.version, **body}


def _decide(w: World) -> tuple[str, dict[str, Any]]:
    s, ext_id = with_extension(w)
    return verb(s, f"extensions/{ext_id}/decide", approve=True)


def _merge(w: World) -> tuple[str, dict[str, Any]]:
    target = public(w, title="建设公交站台")
    return verb(public(w), "merge", into_id=target.pk)


def _get(s: Suggestion) -> tuple[str, None]:
    return f"/api/suggestions/{s.pk}", None


Setup = Callable[[World], tuple[str, dict[str, Any] | None]]
Case = tuple[str, Setup, dict[str, int]]

#: Visible to the town's readers and the grid worker of its grid, not to the deputy or the unit.
REGISTERED_ONLY_OFFICE = expect(P=403, S=200, D=404, U=404, G=403, V=403, A=200)
#: Assigned to the unit: only the unit acts.
UNIT_ACTS = expect(P=403, S=403, D=404, U=200, G=403, V=403, A=403)

CASES: dict[str, Case] = {
    "list": ("get", lambda w: ("/api/suggestions", None), expect(P=200, S=200, D=200, U=200, G=200, V=200, A=200)),
    "get": ("get", lambda w: _get(public(w)), expect(P=200, S=200, D=404, U=404, G=200, V=200, A=200)),
    "get assigned to my unit": ("get", lambda w: _get(assigned(w)),
                                expect(P=200, S=200, D=404, U=200, G=200, V=200, A=200)),
    "get another unit's item": ("get", lambda w: _get(assigned(w, unit=make_unit(w.town))),
                                expect(P=200, S=200, D=404, U=404, G=200, V=200, A=200)),
    "get other town's item": ("get", lambda w: _get(public(w, town=w.other_town)),
                              expect(P=404, S=404, D=404, U=404, G=404, V=200, A=200)),
    "get deputy's own": ("get", lambda w: _get(deputy(w)), expect(P=200, S=200, D=200, U=404, G=404, V=200, A=200)),
    "register public": ("post", lambda w: ("/api/suggestions", {
        "kind": "public", "title": "路灯不亮", "source": "visit", "submitter_name": "李四", "town_id": w.town.pk,
        "grid_id": w.grid.pk}), expect(P=201, S=201, D=403, U=403, G=201, V=403, A=201)),
    "register deputy": ("post", lambda w: ("/api/suggestions", {
        "kind": "deputy", "title": "道路绿化", "source": "session", "town_id": w.town.pk,
        "lead_deputy_id": w.deputy.pk}), expect(P=201, S=201, D=201, U=403, G=403, V=403, A=201)),
    "register in other town": ("post", lambda w: ("/api/suggestions", {
        "kind": "public", "title": "路灯不亮", "source": "visit", "submitter_name": "李四",
        "town_id": w.other_town.pk}), expect(P=404, S=404, D=404, U=403, G=404, V=403, A=201)),
    "assign": ("post", lambda w: verb(public(w), "assign", lead_unit_id=w.unit.pk), REGISTERED_ONLY_OFFICE),
    "accept": ("post", lambda w: verb(assigned(w), "accept"), UNIT_ACTS),
    "accept another unit's": ("post", lambda w: verb(assigned(w, unit=make_unit(w.town)), "accept"),
                              expect(P=403, S=403, D=404, U=404, G=403, V=403, A=403)),
    "return": ("post", lambda w: verb(assigned(w), "return", reason="不属于本单位职责"), UNIT_ACTS),
    "co-opinion": ("post", lambda w: verb(assigned(w, unit=make_unit(w.town), co=[w.unit]), "co-opinion",
                                          opinion="配合做好选址"), UNIT_ACTS),
    "reply": ("post", lambda w: verb(accepted(w), "reply", reply_class="A", text="已建成"), UNIT_ACTS),
    "request extension": ("post", lambda w: verb(accepted(w), "extensions", reason="施工期长", days=15), UNIT_ACTS),
    "decide extension": ("post", _decide, expect(P=403, S=200, D=404, U=403, G=403, V=403, A=200)),
    "evaluate public": ("post", lambda w: verb(replied(w), "evaluate", result="satisfied"),
                        expect(P=403, S=200, D=404, U=403, G=403, V=403, A=403)),
    "evaluate deputy's": ("post", lambda w: verb(replied(w, deputy(w)), "evaluate", result="basically_satisfied"),
                          expect(P=403, S=403, D=200, U=403, G=404, V=403, A=403)),
    "close": ("post", lambda w: verb(evaluated(w), "close"), expect(P=403, S=200, D=404, U=403, G=403, V=403, A=200)),
    "decline": ("post", lambda w: verb(public(w), "decline", reason="属个人诉求"), REGISTERED_ONLY_OFFICE),
    "withdraw": ("post", lambda w: verb(deputy(w), "withdraw", reason="已解决"),
                 expect(P=403, S=403, D=200, U=404, G=404, V=403, A=403)),
    "merge": ("post", _merge, REGISTERED_ONLY_OFFICE),
    "remind": ("post", lambda w: verb(assigned(w), "remind", note="请加快办理"),
               expect(P=200, S=200, D=404, U=403, G=403, V=403, A=200)),
    "key supervision": ("post", lambda w: verb(assigned(w), "key-supervision"),
                        expect(P=200, S=200, D=404, U=403, G=403, V=403, A=200)),
    "categories": ("get", lambda w: ("/api/suggestions/categories", None),
                   expect(P=200, S=200, D=200, U=200, G=200, V=200, A=200)),
    "create category": ("post", lambda w: ("/api/suggestions/categories",
                                           {"name": f"类别{testing.n()}", "town_id": w.town.pk}),
                        expect(P=403, S=201, D=403, U=403, G=403, V=403, A=201)),
}


@pytest.mark.parametrize("name", CASES)
def test_suggestions_matrix(world: World, name: str) -> None:
    method, setup, expected = CASES[name]
    got = {}
    for role in ROLES:
        url, body = setup(world)
        response = call(client_for(world.users[role]), method, url, body)
        got[role] = response.status_code
        if response.status_code >= 400:
            assert set(response.json()) == {"code", "message", "fields"}, response.content
    assert got == expected


def test_a_unit_cannot_reach_another_units_item_by_id(world: World) -> None:
    s = assigned(world, unit=make_unit(world.town))
    c = client_for(world.users[U])
    base = f"/api/suggestions/{s.pk}"
    for method, url, body in (("get", base, None), ("post", f"{base}/accept", {"version": s.version}),
                              ("post", f"{base}/return", {"version": s.version, "reason": "x"}),
                              ("post", f"{base}/reply", {"version": s.version, "reply_class": "A", "text": "x"})):
        r = call(c, method, url, body)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    assert not AuditEvent.objects.filter(actor=world.users[U]).exists()


def _audit(s_id: int) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(target_type="suggestions.suggestion", target_id=str(s_id))
                .order_by("id").values_list("verb", "source"))


def test_lifecycle_through_the_api(world: World) -> None:
    deputy_c, staff_c, unit_c = (client_for(world.users[r]) for r in (D, S, U))
    r = call(deputy_c, "post", "/api/suggestions", {"kind": "deputy", "title": "XXX路绿化亮化工程",
                                                     "content": "路灯不足", "source": "session",
                                                     "co_deputy_ids": [world.plain_deputy.pk]})
    assert r.status_code == 201, r.content
    created = r.json()
    sid = created["id"]
    assert (created["state"], created["version"], created["similar"]) == ("registered", 0, [])
    assert created["tracking_code"]  # the deputy registered it
    assert r["Location"] == f"/api/suggestions/{sid}"
    item = deputy_c.get(r["Location"]).json()
    assert (item["code"], item["lead_deputy"]["id"]) == (created["code"], world.deputy.pk)
    assert [d["id"] for d in item["co_deputies"]] == [world.plain_deputy.pk]
    assert "withdraw" in item["allowed_actions"]

    staff_view = staff_c.get(f"/api/suggestions/{sid}").json()
    assert {"assign", "decline", "merge"} <= set(staff_view["allowed_actions"])
    assert "accept" not in staff_view["allowed_actions"]

    def step(client: Client, name: str, **body: Any) -> dict[str, Any]:
        version = client.get(f"/api/suggestions/{sid}").json()["version"]
        r = call(client, "post", f"/api/suggestions/{sid}/{name}", {"version": version, **body})
        assert r.status_code == 200, r.content
        return dict(r.json())

    item = step(staff_c, "assign", lead_unit_id=world.unit.pk)
    assert (item["state"], item["lead_unit"]["id"]) == ("assigned", world.unit.pk)
    assert item["deadline"] == rules.deadline_for("deputy", today()).isoformat()  # the town's rules
    unit_view = unit_c.get(f"/api/suggestions/{sid}").json()
    assert {"accept", "return"} <= set(unit_view["allowed_actions"])
    item = step(unit_c, "accept")
    assert item["state"] == "accepted" and "reply" in item["allowed_actions"]
    item = step(unit_c, "reply", reply_class="A", text="已完成绿化和路灯安装")
    assert item["state"] == "replied" and item["replies"][0]["reply_class"] == "A"
    item = step(deputy_c, "evaluate", result="satisfied", comment="很满意")
    assert item["state"] == "evaluated" and item["evaluations"][0]["result_label"] == "满意"
    item = step(staff_c, "close")
    assert (item["state"], item["closed_at"], item["allowed_actions"]) == ("closed", today().isoformat(), [])
    assert [t["action"] for t in item["timeline"]] == ["register", "assign", "accept", "reply", "evaluate", "close"]
    assert _audit(sid) == [("suggestion.register", "api"), ("suggestion.assign", "api"), ("suggestion.accept", "api"),
                           ("suggestion.reply", "api"), ("suggestion.evaluate", "api"), ("suggestion.close", "api")]


def test_stale_version_and_illegal_transition_are_conflicts(world: World) -> None:
    s = assigned(world)
    unit_c = client_for(world.users[U])
    stale = s.version
    r = call(unit_c, "post", f"/api/suggestions/{s.pk}/accept", {"version": stale})
    assert r.status_code == 200 and r.json()["version"] == stale + 1
    # Another client still holding the old version.
    r = call(unit_c, "post", f"/api/suggestions/{s.pk}/return", {"version": stale, "reason": "不属于本单位"})
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "conflict" and "已被他人处理" in body["message"] and "version" in body["fields"]
    # With the current version, an action the state does not allow is refused in words.
    r = call(unit_c, "post", f"/api/suggestions/{s.pk}/accept", {"version": stale + 1})
    assert (r.status_code, r.json()["code"]) == (409, "illegal_transition")
    assert r.json()["message"] == "「办理中」的事项不能「签收」"
    s.refresh_from_db()
    assert s.state == "accepted" and s.version == stale + 1


def test_validation_errors(world: World) -> None:
    s = accepted(world)
    unit_c = client_for(world.users[U])
    url = f"/api/suggestions/{s.pk}/reply"
    for body, field in (({"reply_class": "A", "text": "x"}, "version"),
                        ({"version": s.version, "reply_class": "E", "text": "x"}, "reply_class"),
                        ({"version": s.version, "reply_class": "A", "text": ""}, "text"),
                        ({"version": s.version, "reply_class": "A", "text": "x", "extra": 1}, "extra"),
                        ({"version": s.version, "reply_class": "A", "text": "x",
                          "on": (today() + dt.timedelta(days=1)).isoformat()}, "on")):
        r = call(unit_c, "post", url, body)
        assert r.status_code == 422, (body, r.content)
        assert r.json()["code"] == "invalid" and field in r.json()["fields"], r.json()
    # A rule the service enforces is a 400 naming the field.
    r = call(unit_c, "post", f"/api/suggestions/{s.pk}/extensions", {"version": s.version, "reason": "x"})
    assert r.status_code == 400 and "days" in r.json()["fields"]
    r = call(client_for(world.users[S]), "post", "/api/suggestions",
             {"kind": "public", "title": "无名", "source": "visit"})
    assert r.status_code == 400 and "submitter_name" in r.json()["fields"]


def test_extension_decided_by_the_office(world: World) -> None:
    s, ext_id = with_extension(world)
    staff_c = client_for(world.users[S])
    other, _ = with_extension(world)
    r = call(staff_c, "post", f"/api/suggestions/{other.pk}/extensions/{ext_id}/decide",
             {"version": other.version, "approve": True})
    assert r.status_code == 404
    r = call(staff_c, "post", f"/api/suggestions/{s.pk}/extensions/{ext_id}/decide",
             {"version": s.version, "approve": True, "comment": "同意"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["extensions"][0]["status"] == "approved" and body["deadline"] == body["extensions"][0]["new_deadline"]


def test_submitter_is_masked(world: World) -> None:
    s = public(world)
    for role in (S, P, G, V):
        r = client_for(world.users[role]).get(f"/api/suggestions/{s.pk}")
        text = json.dumps(r.json(), ensure_ascii=False)
        assert "张小三" not in text and "13812345678" not in text
        assert (r.json()["submitter_name"], r.json()["submitter_phone"]) == ("张*三", "138****5678")
    assert client_for(world.users[S]).get(f"/api/suggestions/{s.pk}").json()["tracking_code"] == s.tracking_code
    assert client_for(world.users[V]).get(f"/api/suggestions/{s.pk}").json()["tracking_code"] is None
    listing = json.dumps(client_for(world.users[S]).get("/api/suggestions").json(), ensure_ascii=False)
    assert "张小三" not in listing and "张*三" in listing


def test_list_filters_and_pagination(world: World) -> None:
    category = services.suggestion_category_create(actor=None, town=world.town, name="交通出行")
    other_unit = make_unit(world.town)
    bus = public(world, title="修建公交车站台", category=category)
    light = public(world, title="路灯维修", content="路灯坏了", grid=None)
    key = services.suggestion_set_key_supervision(actor=world.users[S], suggestion_id=assigned(world, deputy(world)).pk)
    long_ago = today() - dt.timedelta(days=40)
    late = assigned(world, public(world, title="排水沟", content="堵塞", on=long_ago), unit=other_unit, on=long_ago)
    old = public(world, title="旧事项", content="", on=dt.date(2023, 3, 1))
    c = client_for(world.users[S])

    def ids(q: str) -> set[int]:
        r = c.get(f"/api/suggestions?{q}")
        assert r.status_code == 200, r.content
        return {o["id"] for o in r.json()["items"]}

    everything = {bus.pk, light.pk, key.pk, late.pk, old.pk}
    assert ids("") == everything
    assert ids("state=assigned") == {key.pk, late.pk}
    assert ids("kind=deputy") == {key.pk}
    assert ids(f"lead_unit_id={other_unit.pk}") == {late.pk}
    assert ids(f"category_id={category.pk}") == {bus.pk}
    assert ids(f"grid_id={world.grid.pk}") == {bus.pk, late.pk, old.pk}
    assert ids(f"village_id={world.village.pk}") == {bus.pk, late.pk, old.pk}
    assert ids("key_supervision=true") == {key.pk}
    assert ids("overdue=true") == {late.pk}
    assert ids("overdue=false") == everything - {late.pk}
    assert ids("registered_to=2023-12-31") == {old.pk}
    assert ids(f"registered_from={today().isoformat()}") == everything - {old.pk, late.pk}
    assert ids("q=站") == {bus.pk}  # one character
    assert ids("q=路灯") == {light.pk}  # two characters
    assert ids(f"q={bus.code}") == {bus.pk}
    page = c.get("/api/suggestions?limit=2&offset=4&sort=-registered_at").json()
    assert page["count"] == 5 and [o["id"] for o in page["items"]] == [old.pk]
    assert c.get("/api/suggestions?sort=title").status_code == 422
    assert c.get("/api/suggestions?state=bogus").status_code == 422
    item = next(o for o in c.get("/api/suggestions?overdue=true").json()["items"])
    assert item["overdue"] is True and item["state_label"] == "已交办" and item["submitter_name"] == "张*三"
    # A unit sees only its own items in the list.
    assert {o["id"] for o in client_for(world.users[U]).get("/api/suggestions").json()["items"]} == {key.pk}


def test_list_runs_a_constant_number_of_queries(world: World) -> None:
    c = client_for(world.users[A])
    public(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/api/suggestions").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    category = services.suggestion_category_create(actor=None, town=world.town, name="城乡建设")
    for _ in range(3):
        public(world, category=category)
        public(world, town=world.other_town)
        services.suggestion_set_key_supervision(actor=world.users[S], suggestion_id=assigned(world, deputy(world)).pk)
    assert count() == before


def test_categories(world: World) -> None:
    staff_c = client_for(world.users[S])
    r = call(staff_c, "post", "/api/suggestions/categories", {"name": "交通出行"})
    assert r.status_code == 201 and r.json()["town"]["id"] == world.town.pk
    services.suggestion_category_create(actor=None, town=world.other_town, name="农业农村")
    r = call(staff_c, "post", "/api/suggestions/categories", {"name": "交通出行"})
    assert r.status_code == 400 and r.json()["fields"] == {"name": ["已存在"]}
    r = call(staff_c, "post", "/api/suggestions/categories", {"name": "x", "town_id": world.other_town.pk})
    assert r.status_code == 404
    names = [o["name"] for o in staff_c.get("/api/suggestions/categories").json()["items"]]
    assert names == ["交通出行"]
    names = {o["name"] for o in client_for(world.users[V]).get("/api/suggestions/categories").json()["items"]}
    assert names == {"交通出行", "农业农村"}
    assert AuditEvent.objects.filter(verb="suggestion_category.create", source="api").count() == 1


def test_merge_return_and_key_supervision(world: World) -> None:
    staff_c, unit_c, presidium_c = (client_for(world.users[r]) for r in (S, U, P))
    target, dup = public(world), public(world, submitter_name="王五")
    r = call(staff_c, "post", f"/api/suggestions/{dup.pk}/merge", {"version": dup.version, "into_id": target.pk})
    assert r.status_code == 200 and r.json()["merged_into"] == {"id": target.pk, "code": target.code}
    other_town = public(world, town=world.other_town)
    r = call(staff_c, "post", f"/api/suggestions/{target.pk}/merge",
             {"version": target.version, "into_id": other_town.pk})
    assert r.status_code == 404 and "into_id" in r.json()["fields"]
    # A unit returns an item: it no longer sees it, but gets the answer.
    s = assigned(world)
    r = call(unit_c, "post", f"/api/suggestions/{s.pk}/return", {"version": s.version, "reason": "不属于本单位"})
    assert r.status_code == 200 and (r.json()["state"], r.json()["allowed_actions"]) == ("registered", [])
    assert unit_c.get(f"/api/suggestions/{s.pk}").status_code == 404
    s = assigned(world, s)
    r = call(presidium_c, "post", f"/api/suggestions/{s.pk}/key-supervision", {"version": s.version})
    assert r.status_code == 200
    assert (r.json()["key_supervision"], r.json()["supervisor"]["id"]) == (True, world.presidium_deputy.pk)
    r = call(staff_c, "post", f"/api/suggestions/{s.pk}/remind", {"version": r.json()["version"]})
    assert r.status_code == 200 and r.json()["reminders"][0]["kind"] == "manual"
    r = call(staff_c, "post", f"/api/suggestions/{s.pk}/remind", {"version": r.json()["version"]})
    assert (r.status_code, r.json()["code"]) == (409, "conflict")


def test_anonymous_requests_are_refused(world: World) -> None:
    s = public(world)
    assert Client().get("/api/suggestions").status_code == 401
    r = call(Client(), "post", f"/api/suggestions/{s.pk}/assign", {"version": 0, "lead_unit_id": world.unit.pk})
    assert r.status_code in {401, 403}


def test_openapi_lists_the_paths() -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    base = "/api/suggestions/{suggestion_id}"
    expected = {"/api/suggestions", "/api/suggestions/categories", base,
                *(f"{base}/{v}" for v in ("assign", "accept", "return", "co-opinion", "reply", "evaluate", "close",
                                          "extensions", "decline", "withdraw", "merge", "remind", "key-supervision")),
                f"{base}/extensions/{{extension_id}}/decide"}
    assert expected <= set(paths)
    assert paths[f"{base}/assign"]["post"]["tags"] == ["意见建议"]
    assert paths["/api/suggestions/categories"]["get"]["tags"] == ["意见建议类别"]
    assert "409" in paths[f"{base}/accept"]["post"]["responses"]


def test_registration_answers_with_similar_open_items(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering checks the new item against the town's recent open items: the answer lists
    the most similar ones (for a merge), never a closed item or another town's."""
    from renda.core import similarity

    staff_c = client_for(world.users[S])
    older = public(world, title="修建公交车站台", content="村口没有公交站台，群众等车难")
    newer = public(world, title="建议修建公交站台", content="村口群众等车难")
    public(world, title="路灯不亮", content="晚上出行不便")
    closed = public(world, title="修建公交车站台", content="村口没有公交站台")
    services.suggestion_decline(actor=world.users[S], suggestion_id=closed.pk, reason="重复", expected_version=0)
    public(world, town=world.other_town, title="修建公交车站台", content="村口没有公交站台，群众等车难")
    body = {"kind": "public", "title": "修建公交车站台", "content": "村口没有公交站台，群众等车难",
            "submitter_name": "李四"}
    r = call(staff_c, "post", "/api/suggestions", body)
    assert r.status_code == 201, r.content
    similar = r.json()["similar"]
    assert [m["id"] for m in similar] == [older.pk, newer.pk]
    assert similar[0]["score"] == 1.0 and similar[0]["code"] == older.code and 0.25 <= similar[1]["score"] < 1
    first = r.json()["id"]
    # Only the most recent open items are compared (the first API item and 路灯不亮 here), so the
    # cost does not grow with the history.
    monkeypatch.setattr(similarity, "CANDIDATES", 2)
    r = call(staff_c, "post", "/api/suggestions", body)
    assert [m["id"] for m in r.json()["similar"]] == [first]
