"""/open311/v2/: every field and error the GeoReport v2 specification names, in JSON and in XML
(the XML parsed), the filters and paging limits of GET requests, the keys, and no personal data in
any GET answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.support import World, make_town

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.open311 import services
from renda.open311.models import Request
from renda.open311.tests.helpers import (
    ADDRESS,
    BASE,
    DESCRIPTION,
    EMAIL,
    MEDIA,
    NAME_FIRST,
    NAME_LAST,
    PHONE,
    Setup,
    errors,
    form,
    make_setup,
    post,
    xml,
    xml_records,
)
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Source, Suggestion

pytestmark = pytest.mark.django_db
FORMATS = ("json", "xml")
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


@pytest.fixture
def setup(world: World) -> Setup:
    return make_setup(world)


def records(response: Any, fmt: str, root: str) -> list[dict[str, Any]]:
    """The answer's list in one shape: JSON as is, XML as text per element ('' for empty)."""
    assert response.status_code == 200, response.content
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return list(response.json())
    tree = xml(response)
    assert tree.tag == root
    return [{k: (v or "") for k, v in r.items()} for r in xml_records(tree)]


def q(setup: Setup, **params: Any) -> dict[str, Any]:
    return {"jurisdiction_id": setup.world.town.code, **params}


# --- discovery --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client: HttpClient, fmt: str) -> None:
    r = client.get(f"{BASE}/discovery.{fmt}")
    assert r.status_code == 200
    if fmt == "json":
        d = r.json()
        endpoint = d["endpoints"][0]
        formats = endpoint["formats"]
    else:
        root = xml(r)
        assert root.tag == "discovery"
        d = {c.tag: c.text for c in root if c.tag != "endpoints"}
        node = root.find("endpoints/endpoint")
        assert node is not None
        endpoint = {c.tag: c.text for c in node if c.tag != "formats"}
        formats = [f.text for f in node.findall("formats/format")]
    assert d["changeset"] == "2026-12-07T00:00:00+08:00"
    assert d["contact"] and d["key_service"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["changeset"] == d["changeset"] and endpoint["type"] == "production"
    assert formats == ["text/xml", "application/json"]


# --- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_the_towns_active_categories(client: HttpClient, setup: Setup, fmt: str) -> None:
    retired = suggestion_services.suggestion_category_create(actor=None, town=setup.world.town, name="已停用类")
    suggestion_services.suggestion_category_set_active(actor=None, category_id=retired.pk, active=False)
    rows = records(client.get(f"{BASE}/services.{fmt}", q(setup)), fmt, "services")
    assert [r["service_code"] for r in rows] == [str(setup.category.pk)]  # not the other town's, not retired
    row = rows[0]
    assert row["service_name"] == "城乡建设"
    assert row["description"] == f"{setup.world.town.name}群众意见建议：城乡建设"
    assert row["metadata"] in (True, "true") and row["type"] == "realtime"
    assert row["keywords"] == "城乡建设" and row["group"] == "群众意见建议"


def test_xml_escapes_what_it_carries(client: HttpClient, setup: Setup) -> None:
    name = '水&电<改造>"]]>'
    suggestion_services.suggestion_category_update(actor=None, category_id=setup.category.pk, name=name)
    root = xml(client.get(f"{BASE}/services.xml", q(setup)))
    assert root.findtext("service/service_name") == name and len(root) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client: HttpClient, setup: Setup, fmt: str) -> None:
    r = client.get(f"{BASE}/services/{setup.category.pk}.{fmt}", q(setup))
    assert r.status_code == 200
    if fmt == "json":
        d = r.json()
    else:
        root = xml(r)
        assert root.tag == "service_definition"
        d = {"service_code": root.findtext("service_code"), "attributes": [
            {**{c.tag: c.text for c in a if c.tag != "values"},
             "values": [{"key": v.findtext("key"), "name": v.findtext("name")} for v in a.findall("values/value")]}
            for a in root.findall("attributes/attribute")]}
        for a in d["attributes"]:
            a["required"], a["variable"], a["order"] = a["required"] == "true", a["variable"] == "true", int(a["order"])
    assert d["service_code"] == str(setup.category.pk)
    village, contact = d["attributes"]
    assert village["code"] == "village" and village["datatype"] == "singlevaluelist"
    assert village["required"] is True and village["variable"] is True and village["order"] == 1
    assert village["description"] == "所在村（社区）" and village["datatype_description"]
    assert village["values"] == [{"key": setup.world.village.code, "name": setup.world.village.name}]
    assert contact["code"] == "no_unit_contact" and contact["required"] is False and contact["order"] == 2
    assert [v["key"] for v in contact["values"]] == ["yes", "no"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_errors(client: HttpClient, setup: Setup, fmt: str) -> None:
    w = setup.world
    # several towns served: jurisdiction_id is needed (400); an unknown one is 404
    assert errors(client.get(f"{BASE}/services.{fmt}"), fmt)[0]["code"] == 400
    for bad in ("340399999999", "abc"):
        r = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": bad})
        assert r.status_code == 404 and errors(r, fmt)[0]["code"] == 404
    # another town's category, an unknown code: 404
    for code in (setup.other_category.pk, 999999, "x"):
        r = client.get(f"{BASE}/services/{code}.{fmt}", {"jurisdiction_id": w.town.code})
        assert r.status_code == 404
        assert errors(r, fmt)[0]["description"]


def test_one_town_instance_needs_no_jurisdiction(client: HttpClient) -> None:
    town = make_town()
    cat = suggestion_services.suggestion_category_create(actor=None, town=town, name="农业农村")
    rows = client.get(f"{BASE}/services.json").json()
    assert [r["service_code"] for r in rows] == [str(cat.pk)]
    assert client.get(f"{BASE}/requests.json").status_code == 200
    # a town without villages asks for no village
    attrs = client.get(f"{BASE}/services/{cat.pk}.json").json()["attributes"]
    assert [a["code"] for a in attrs] == ["no_unit_contact"]


# --- POST requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_lands_as_a_public_suggestion(client: HttpClient, setup: Setup, fmt: str) -> None:
    w = setup.world
    r = post(client, form(setup), fmt)
    assert r.status_code == 200, r.content
    if fmt == "json":
        (answer,) = r.json()
    else:
        root = xml(r)
        assert root.tag == "service_requests" and [c.tag for c in root] == ["request"]
        answer = {c.tag: c.text for c in root[0]}
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] is None  # the XML's empty <account_id/>
    s = Suggestion.objects.get(code=answer["service_request_id"])
    assert answer["service_notice"] == f"已受理，正在分办。可凭编号 {s.code} 查询办理进展。"
    assert s.kind == "public" and s.source == Source.ONLINE and s.town_id == w.town.pk
    assert s.category_id == setup.category.pk and s.village_id == w.village.pk and s.grid_id == w.grid.pk
    assert s.submitter_name == "欧阳小明" and s.submitter_phone == PHONE and not s.anonymous  # family name first
    assert s.no_unit_contact is True
    assert s.content == DESCRIPTION and s.title == DESCRIPTION  # one line, under 60 characters
    req = Request.objects.get(suggestion=s)
    assert req.client_id == setup.client.pk and str(req.lat) == "31.123456" and str(req.long) == "117.654321"
    assert req.address_string == ADDRESS and req.address_id == w.grid.code and req.media_url == MEDIA
    assert req.email == EMAIL and req.attributes == {"village": [w.village.code], "no_unit_contact": ["yes"]}
    # the timeline and the audit trail name the client; the e-mail is masked in the trail
    (step,) = s.transitions.all()
    assert step.action == "register" and step.comment == "来自 Open311 客户端 区12345热线"
    event = AuditEvent.objects.get(verb="open311_request.receive")
    assert event.after["email"] == "o***@example.com" and EMAIL not in str(event.after)
    assert event.source == "api"  # a machine client, as /api/ is
    assert AuditEvent.objects.filter(verb="suggestion.register", target_id=str(s.pk)).exists()


def test_post_without_a_name_or_phone_is_anonymous(client: HttpClient, setup: Setup) -> None:
    r = post(client, form(setup, first_name=None, last_name=None, phone=None, lat=None, long=None,
                          address_string=None, description=None, **{"attribute[no_unit_contact]": None}))
    assert r.status_code == 200, r.content
    s = Suggestion.objects.get(code=r.json()[0]["service_request_id"])
    assert s.anonymous and s.submitter_name == "" and s.title == "城乡建设" and not s.no_unit_contact
    phone_only = post(client, form(setup, first_name=None, last_name=None))
    assert Suggestion.objects.get(code=phone_only.json()[0]["service_request_id"]).submitter_name == "未留姓名"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_missing_or_revoked_key_is_403(client: HttpClient, setup: Setup, fmt: str) -> None:
    for key in (None, "", "o3_wrong", setup.key[:-1] + ("A" if setup.key[-1] != "A" else "B"), "长" * 10):
        r = post(client, form(setup, api_key=key), fmt)
        assert r.status_code == 403, key
        assert errors(r, fmt) == [{"code": 403, "description": "api_key 缺失、不正确或已吊销"}]
    services.client_revoke(actor=None, name=setup.client.name)
    assert post(client, form(setup), fmt).status_code == 403
    assert not Suggestion.objects.exists()


POST_ERRORS: list[tuple[dict[str, Any], int]] = [
    ({"jurisdiction_id": None}, 400),  # several towns served
    ({"jurisdiction_id": "340399999999"}, 404),
    ({"service_code": None}, 400),
    ({"service_code": "999999"}, 404),
    ({"service_code": "other"}, 404),  # replaced below by the other town's category
    ({"lat": None, "long": None, "address_string": None, "address_id": None}, 400),  # no location
    ({"long": None}, 400),  # lat without long
    ({"lat": "90.000001"}, 400), ({"long": "-180.000001"}, 400), ({"lat": "abc"}, 400), ({"lat": "NaN"}, 400),
    ({"address_id": "340399000000999"}, 400),  # not a grid of the town
    ({"attribute[village]": None}, 400),  # required
    ({"attribute[village]": "000000000000"}, 400),  # not in the list
    ({"attribute[colour]": "red"}, 400),  # unknown
    ({"attribute[no_unit_contact]": "maybe"}, 400),
    ({"description": "x" * 4001}, 400), ({"description": "<script>alert(1)</script>"}, 400),
    ({"description": "路灯&nbsp;坏了"}, 400),
    ({"phone": "12345"}, 400), ({"email": "not-an-email"}, 400),
    ({"media_url": "javascript:alert(1)"}, 400), ({"media_url": "ftp://example.com/a.jpg"}, 400),
    ({"first_name": "名" * 26}, 400), ({"address_string": "地" * 251}, 400),
    ({"account_id": "a\x00b"}, 400),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_errors(client: HttpClient, setup: Setup, fmt: str) -> None:
    for changes, status in POST_ERRORS:
        if changes.get("service_code") == "other":
            changes = {"service_code": str(setup.other_category.pk)}
        r = post(client, form(setup, changes), fmt)
        assert r.status_code == status, (changes, r.content)
        (error,) = errors(r, fmt)
        assert error["code"] == status and error["description"], changes
    assert not Suggestion.objects.exists()


def test_post_limits_at_their_edges(client: HttpClient, setup: Setup) -> None:
    assert post(client, form(setup, description="灯" * 4000)).status_code == 200
    assert post(client, form(setup, lat="90", long="-180")).status_code == 200
    assert post(client, form(setup, first_name="名" * 25, address_string="地" * 250)).status_code == 200
    # not form-encoded, or too many fields: 400
    r = client.post(f"{BASE}/requests.json", data=b'{"api_key": "x"}', content_type="application/json")
    assert r.status_code == 400
    r = post(client, {f"x{i}": "1" for i in range(41)})
    assert r.status_code == 400
    # multipart is read too, but not its files (media is a link)
    assert client.post(f"{BASE}/requests.json", form(setup)).status_code == 200
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    assert client.post(f"{BASE}/requests.json", {**form(setup), "media": photo}).status_code == 400
    r = post(client, form(setup, description="灯" * 4000) | {"x": "y" * 30000})
    assert r.status_code == 400  # over 64 KB


@override_settings(RENDA_OPEN311_HOURLY_LIMIT=2)
@pytest.mark.parametrize("fmt", FORMATS)
def test_post_is_rate_limited_per_client(client: HttpClient, setup: Setup, fmt: str) -> None:
    assert post(client, form(setup), fmt).status_code == 200
    assert post(client, form(setup), fmt).status_code == 200  # the limit itself
    r = post(client, form(setup), fmt)
    assert r.status_code == 429 and r["Retry-After"] == "600"
    assert errors(r, fmt)[0]["code"] == 429
    _other, other_key = services.client_create(actor=None, name="市民APP")
    assert post(client, form(setup, api_key=other_key), fmt).status_code == 200  # per client
    Request.objects.filter(client=setup.client).update(received_at=timezone.now() - dt.timedelta(minutes=61))
    assert post(client, form(setup), fmt).status_code == 200  # an hour later


def test_post_needs_no_csrf_token(setup: Setup) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    assert post(http, form(setup)).status_code == 200


# --- GET requests -----------------------------------------------------------------------------


def _received(client: HttpClient, setup: Setup) -> Suggestion:
    r = post(client, form(setup))
    return Suggestion.objects.get(code=r.json()[0]["service_request_id"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_request_every_field(client: HttpClient, setup: Setup, fmt: str) -> None:
    w = setup.world
    s = _received(client, setup)
    today = timezone.localdate()
    suggestion_services.suggestion_assign(actor=w.users[Role.STAFF], suggestion_id=s.pk, lead_unit=w.unit,
                                          deadline=today + dt.timedelta(days=30))
    (row,) = records(client.get(f"{BASE}/requests/{s.code}.{fmt}", q(setup)), fmt, "service_requests")
    assert list(row) == REQUEST_FIELDS
    s.refresh_from_db()
    received = Request.objects.get(suggestion=s).received_at
    expected = {
        "service_request_id": s.code, "status": "open", "status_notes": "已交承办单位办理",
        "service_name": "城乡建设", "service_code": str(setup.category.pk),
        "description": f"群众意见建议：城乡建设，{w.village.name}", "agency_responsible": w.unit.name,
        "service_notice": None,
        "requested_datetime": timezone.localtime(received).replace(microsecond=0).isoformat(),
        "updated_datetime": timezone.localtime(s.updated_at).replace(microsecond=0).isoformat(),
        "expected_datetime": f"{(today + dt.timedelta(days=30)).isoformat()}T23:59:59+08:00",
        "address": f"{w.grid.name}，{w.village.name}，{w.town.name}", "address_id": w.grid.code, "zipcode": None,
        "lat": 31.123, "long": 117.654, "media_url": None,
    }
    if fmt == "xml":
        expected = {k: ("" if v is None else str(v)) for k, v in expected.items()}
    assert row == expected
    assert row["requested_datetime"].endswith("+08:00") and row["updated_datetime"].endswith("+08:00")


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_and_notes_follow_the_workflow(client: HttpClient, setup: Setup, fmt: str) -> None:
    w = setup.world
    s = _received(client, setup)
    today = timezone.localdate()
    staff, unit = w.users[Role.STAFF], w.users[Role.UNIT]
    suggestion_services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=w.unit,
                                          deadline=today + dt.timedelta(days=30))
    suggestion_services.suggestion_accept(actor=unit, suggestion_id=s.pk)
    suggestion_services.suggestion_reply(actor=unit, suggestion_id=s.pk, reply_class="A", text="已修复路灯，王五负责")
    (row,) = records(client.get(f"{BASE}/requests/{s.code}.{fmt}", q(setup)), fmt, "service_requests")
    assert row["status"] == "open" and row["status_notes"] == "已答复，待评价（A 已解决或基本解决）"
    assert "王五" not in str(row)  # the reply's text is not published here
    suggestion_services.suggestion_close(actor=staff, suggestion_id=s.pk)
    (row,) = records(client.get(f"{BASE}/requests/{s.code}.{fmt}", q(setup)), fmt, "service_requests")
    assert row["status"] == "closed" and row["status_notes"] == "已办结（A 已解决或基本解决）"


def _item(setup: Setup, *, on: dt.date, other: bool = False, kind: str = "public", **kw: Any) -> Suggestion:
    w = setup.world
    args: dict[str, Any] = {"town": w.other_town if other else w.town, "kind": kind, "title": "修建公交车站台",
                            "content": "村口无站台", "submitter_name": "张小三", "submitter_phone": "13812345678",
                            "on": on}
    if kind == "deputy":
        args.update(lead_deputy=w.deputy, submitter_name="", submitter_phone="")
    args.update(kw)
    return suggestion_services.suggestion_register(actor=None, **args)


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in response.json()]


def test_get_requests_filters(client: HttpClient, setup: Setup) -> None:
    today = timezone.localdate()
    recent = _item(setup, on=today, category=setup.category)
    old = _item(setup, on=today - dt.timedelta(days=91))
    edge = _item(setup, on=today - dt.timedelta(days=90))
    _item(setup, on=today, other=True)  # another town's
    _item(setup, on=today, kind="deputy")  # a deputy's suggestion is not a public request
    declined = _item(setup, on=today)
    suggestion_services.suggestion_decline(actor=None, suggestion_id=declined.pk, reason="不属于受理范围")
    url = f"{BASE}/requests.json"
    # the most recent 90 days by default, newest first
    assert codes(client.get(url, q(setup))) == [declined.code, recent.code, edge.code]
    assert codes(client.get(url, q(setup, service_code=str(setup.category.pk)))) == [recent.code]
    assert codes(client.get(url, q(setup, status="closed"))) == [declined.code]
    assert codes(client.get(url, q(setup, status="open"))) == [recent.code, edge.code]
    assert len(codes(client.get(url, q(setup, status="open,closed")))) == 3
    # service_request_id overrides every other filter (even the dates), comma delimited
    got = codes(client.get(url, q(setup, service_request_id=f"{old.code},{recent.code}", status="closed")))
    assert sorted(got) == sorted([old.code, recent.code])
    # a window of 90 days (the limit itself) around the old item
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=100), dt.time()))
    end = start + dt.timedelta(days=90)
    assert codes(client.get(url, q(setup, start_date=start.isoformat(), end_date=end.isoformat()))) == [
        edge.code, old.code]
    # start_date alone: the 90 days from it
    assert codes(client.get(url, q(setup, start_date=(today - dt.timedelta(days=91)).isoformat()))) == [
        edge.code, old.code]
    assert codes(client.get(url, q(setup, end_date=(today - dt.timedelta(days=91)).isoformat() + "T12:00:00Z")
                            )) == [old.code]


GET_ERRORS: list[dict[str, Any]] = [
    {"start_date": "2023-01-01T00:00:00+08:00", "end_date": "2023-04-01T00:00:01+08:00"},  # 90 days + 1 s
    {"start_date": "2023-03-02T00:00:00Z", "end_date": "2023-03-01T00:00:00Z"},  # end before start
    {"start_date": "yesterday"}, {"end_date": "2023-13-45"},
    {"status": "pending"}, {"status": "open,,closed"}, {"service_code": "abc"}, {"service_request_id": "a b"},
    {"page": "0"}, {"page": "abc"}, {"page_size": "1001"}, {"page_size": "0"}, {"page_size": "-1"},
    {"jurisdiction_id": None},
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_errors(client: HttpClient, setup: Setup, fmt: str) -> None:
    for params in GET_ERRORS:
        query = {k: v for k, v in q(setup, **params).items() if v is not None}
        r = client.get(f"{BASE}/requests.{fmt}", query)
        assert r.status_code == 400, (params, r.content)
        assert errors(r, fmt)[0]["code"] == 400


def test_paging(client: HttpClient, setup: Setup) -> None:
    today = timezone.localdate()
    items = [_item(setup, on=today) for _ in range(3)]
    newest_first = [s.code for s in reversed(items)]
    url = f"{BASE}/requests.json"
    assert codes(client.get(url, q(setup, page_size="2"))) == newest_first[:2]
    assert codes(client.get(url, q(setup, page_size="2", page="2"))) == newest_first[2:]
    assert codes(client.get(url, q(setup, page_size="2", page="3"))) == []
    assert codes(client.get(url, q(setup, page_size="1000"))) == newest_first  # the largest page


def test_the_list_takes_the_same_queries_for_one_item_or_many(client: HttpClient, setup: Setup) -> None:
    w = setup.world
    today = timezone.localdate()

    def replied(s: Suggestion) -> None:
        suggestion_services.suggestion_assign(actor=w.users[Role.STAFF], suggestion_id=s.pk, lead_unit=w.unit,
                                              deadline=today + dt.timedelta(days=30))
        suggestion_services.suggestion_accept(actor=w.users[Role.UNIT], suggestion_id=s.pk)
        suggestion_services.suggestion_reply(actor=w.users[Role.UNIT], suggestion_id=s.pk, reply_class="B",
                                             text="正在办理")

    replied(_received(client, setup))
    url = f"{BASE}/requests.json"
    with CaptureQueriesContext(connection) as one:
        assert len(codes(client.get(url, q(setup)))) == 1
    for _ in range(2):
        replied(_received(client, setup))
        _item(setup, on=today, category=setup.category, village=w.village, grid=w.grid)
    with CaptureQueriesContext(connection) as many:
        assert len(codes(client.get(url, q(setup)))) == 5
    assert len(many) == len(one)


@pytest.mark.parametrize("fmt", FORMATS)
def test_request_not_found(client: HttpClient, setup: Setup, fmt: str) -> None:
    today = timezone.localdate()
    others = [_item(setup, on=today, other=True), _item(setup, on=today, kind="deputy")]
    for code in [s.code for s in others] + ["YJ1999-999", "a.b"]:
        r = client.get(f"{BASE}/requests/{code}.{fmt}", q(setup))
        assert r.status_code == 404 and errors(r, fmt)[0]["code"] == 404
    r = client.get(f"{BASE}/nothing-here.{fmt}")
    assert r.status_code == 404 and errors(r, fmt)[0]["code"] == 404


def test_no_personal_data_in_any_get_answer(client: HttpClient, setup: Setup) -> None:
    s = _received(client, setup)
    _item(setup, on=timezone.localdate(), category=setup.category)
    secrets = [NAME_FIRST, NAME_LAST, "欧阳小明", "张小三", PHONE, "13812345678", EMAIL, MEDIA, ADDRESS, "东湖村3组",
               "路灯坏了", "修建公交车站台", "村口无站台", s.tracking_code, setup.key]
    for fmt in FORMATS:
        for path in ("discovery", "services", f"services/{setup.category.pk}", "requests", f"requests/{s.code}"):
            r = client.get(f"{BASE}/{path}.{fmt}", q(setup))
            assert r.status_code == 200
            text = r.content.decode()
            leaked = [x for x in secrets if x in text]
            assert not leaked, (path, fmt, leaked)


def test_the_suggestion_page_shows_the_open311_source(client: HttpClient, setup: Setup) -> None:
    s = _received(client, setup)
    staff = HttpClient()
    staff.force_login(setup.world.users[Role.STAFF])
    html = staff.get(f"/suggestions/{s.pk}/").content.decode()
    assert "来自 Open311 客户端 区12345热线" in html and ADDRESS in html and MEDIA in html
    assert "o***@example.com" in html and EMAIL not in html
    other = HttpClient()
    other.force_login(setup.world.other_staff)
    assert other.get(f"/suggestions/{s.pk}/").status_code == 404
