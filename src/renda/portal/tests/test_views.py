"""The public portal: submit through a deputy's QR link, follow by code, evaluate once; the
honeypot, the rate limits, tracking codes that cannot be enumerated, the headers, and a scan of
every public response for a submitter's name and phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.support import World

from renda.audit.models import SecurityEvent
from renda.core.roles import Role
from renda.liaison.tests.helpers import make_station
from renda.notifications.models import Notification
from renda.people import services as people_services
from renda.portal import limits
from renda.suggestions import services
from renda.suggestions.models import (
    DeputyFollowUp,
    Suggestion,
    format_tracking_code,
    new_tracking_code,
    normalize_tracking_code,
    tracking_check,
)
from renda.suggestions.tests.helpers import D, public_item, replied

pytestmark = pytest.mark.django_db

NAME, PHONE = "欧阳明远", "13987654321"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _form(world: World, **kw: Any) -> dict[str, Any]:
    data = {"village": world.village.pk, "grid": world.grid.pk, "content": "村口路灯坏了两个月，晚上出行不便",
            "name": NAME, "phone": PHONE}
    data.update(kw)
    return data


def _submit(client: Client, world: World, query: str = "", **kw: Any) -> Any:
    return client.post(f"/portal/submit/?deputy={world.deputy.pk}{query}", _form(world, **kw))


def test_submit_through_a_deputys_link_tells_the_deputy_and_gives_a_code(world: World, client: Client,
                                                                         django_capture_on_commit_callbacks: Any
                                                                         ) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = _submit(client, world, photos=SimpleUploadedFile("a.png", PNG, "image/png"))
    assert r.status_code == 302
    s = Suggestion.objects.get()
    assert r["Location"] == f"/portal/track/{s.tracking_code}/?new=1"
    assert s.kind == "public" and s.via_deputy == world.deputy and s.source == "deputy_collected"
    assert s.submitter_name == NAME and not s.anonymous and s.attachments.count() == 1
    assert Notification.objects.filter(user=world.users[Role.DEPUTY], verb="suggestion.via_deputy").exists()
    page = client.get(r["Location"]).content.decode()
    assert format_tracking_code(s.tracking_code) in page and NAME not in page and PHONE not in page


def test_without_a_name_the_opinion_is_anonymous_and_a_phone_needs_a_name(world: World, client: Client) -> None:
    r = _submit(client, world, name="", phone=PHONE)
    assert r.status_code == 400 and "同时填写姓名" in r.content.decode() and PHONE not in r.content.decode()
    assert _submit(client, world, name="", phone="").status_code == 302
    assert Suggestion.objects.get().anonymous


def test_a_refused_form_does_not_echo_the_name_or_phone(world: World, client: Client) -> None:
    r = _submit(client, world, content="短")
    html = r.content.decode()
    assert r.status_code == 400 and NAME not in html and PHONE not in html


def test_photos_are_checked_by_their_content(world: World, client: Client) -> None:
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", "image/png")
    r = _submit(client, world, photos=fake)
    assert r.status_code == 400 and "JPG或PNG" in r.content.decode() and not Suggestion.objects.exists()
    pdf = SimpleUploadedFile("x.png", b"%PDF-1.4 ...", "image/png")
    assert _submit(client, world, photos=pdf).status_code == 400


def test_the_honeypot_refuses_and_logs(world: World, client: Client) -> None:
    r = _submit(client, world, website="http://spam.example")
    assert r.status_code == 400 and not Suggestion.objects.exists()
    assert SecurityEvent.objects.filter(kind="honeypot").exists()


def test_submissions_are_limited_per_ip(world: World, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SUBMIT_PER_IP", (2, 3600))
    assert [_submit(client, world).status_code for _ in range(2)] == [302, 302]
    r = _submit(client, world)
    assert r.status_code == 429 and int(r["Retry-After"]) > 0 and Suggestion.objects.count() == 2
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _submit(other, world).status_code == 302  # another address is not affected


def test_a_station_link_preselects_its_town_and_village(world: World, client: Client) -> None:
    station = make_station(world)
    r = client.get(f"/portal/submit/?station={station.pk}")
    assert r.status_code == 200 and station.name in r.content.decode()
    assert client.post(f"/portal/submit/?station={station.pk}", _form(world)).status_code == 302
    s = Suggestion.objects.get()
    assert s.source == "contact_station" and s.via_deputy is None


def test_the_town_is_chosen_first_when_there_are_several(world: World, client: Client) -> None:
    html = client.get("/portal/submit/").content.decode()
    assert world.town.name in html and world.other_town.name in html
    r = client.get(f"/portal/submit/?town={world.other_town.pk}")
    assert world.other_village.name in r.content.decode() and world.village.name not in r.content.decode()
    # a village of another town is not a choice
    r = client.post(f"/portal/submit/?town={world.other_town.pk}", _form(world))
    assert r.status_code == 400


# --- tracking codes ---------------------------------------------------------------------------


def test_codes_are_short_unambiguous_and_checked() -> None:
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    for c in codes:
        assert len(c) == 11 and not set(c) & set("ILOU") and normalize_tracking_code(c) == c
        assert normalize_tracking_code(format_tracking_code(c).lower()) == c
    c = next(iter(codes))
    wrong = c[:-1] + next(ch for ch in "0123456789" if ch != c[-1])
    assert normalize_tracking_code(wrong) is None  # a typo is told without a lookup
    assert normalize_tracking_code("O0" + c[2:]) in {None, "00" + c[2:]}
    assert tracking_check("0000000000") == "0"
    assert normalize_tracking_code("abcDEF_-12345678") == "abcDEF_-12345678"  # an old code stays valid
    assert normalize_tracking_code("<script>") is None and normalize_tracking_code("x" * 5000) is None


def test_a_status_page_by_code_and_an_old_code(world: World, client: Client) -> None:
    s = public_item(world)
    assert client.get(f"/portal/track/{format_tracking_code(s.tracking_code).lower()}/").status_code == 200
    Suggestion.objects.filter(pk=s.pk).update(tracking_code="abcDEF_-12345678")
    assert client.get("/portal/track/abcDEF_-12345678/").status_code == 200
    assert client.get("/portal/track/ABCDEF_-12345678/").status_code == 404


def test_codes_cannot_be_enumerated(world: World, client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    s = public_item(world)
    monkeypatch.setattr(limits, "MISS_PER_IP", (3, 3600))
    for _ in range(3):
        assert client.get(f"/portal/track/{new_tracking_code()}/").status_code == 404
    # the fourth guess is refused before any lookup, and so is the right code from that address
    assert client.get(f"/portal/track/{new_tracking_code()}/").status_code == 429
    assert client.get(f"/portal/track/{s.tracking_code}/").status_code == 429
    r = client.post("/portal/track/", {"code": s.tracking_code})
    assert r.status_code == 429
    assert Client(REMOTE_ADDR="10.1.1.1").get(f"/portal/track/{s.tracking_code}/").status_code == 200


def test_one_code_is_limited_whoever_asks(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    s = public_item(world)
    monkeypatch.setattr(limits, "VIEWS_PER_CODE", (2, 3600))
    statuses = [Client(REMOTE_ADDR=f"10.0.0.{i}").get(f"/portal/track/{s.tracking_code}/").status_code
                for i in range(3)]
    assert statuses == [200, 200, 429]


def test_lookup_form(world: World, client: Client) -> None:
    s = public_item(world)
    r = client.post("/portal/track/", {"code": format_tracking_code(s.tracking_code)})
    assert r.status_code == 302 and r["Location"] == f"/portal/track/{s.tracking_code}/"
    r = client.post("/portal/track/", {"code": "7KQ4-MX2P-9TZ"})
    assert r.status_code == 400 and "未找到" in r.content.decode()


def test_a_deputy_suggestion_has_no_public_page(world: World, client: Client) -> None:
    from renda.suggestions.tests.helpers import deputy_item

    s = deputy_item(world)
    assert client.get(f"/portal/track/{s.tracking_code}/").status_code == 404


# --- the status page and the evaluation -------------------------------------------------------


def test_the_status_page_shows_the_reply_and_takes_one_evaluation(world: World, client: Client) -> None:
    s = replied(world, public_item(world), on=D("2023-03-10"))
    url = f"/portal/track/{s.tracking_code}/"
    html = client.get(url).content.decode()
    assert "已建成" in html and world.unit.name in html and 'id="evaluate-form"' in html
    assert world.users[Role.UNIT].username not in html
    r = client.post(url, {"result": "satisfied", "comment": "很快", "version": s.version})
    assert r.status_code == 302 and r["Location"].endswith("?rated=1")
    s.refresh_from_db()
    assert s.state == "evaluated" and s.evaluations.count() == 1
    html = client.get(url).content.decode()
    assert 'id="evaluate-form"' not in html
    r = client.post(url, {"result": "dissatisfied", "version": s.version})
    assert r.status_code == 400 and s.evaluations.count() == 1


def test_a_stale_evaluation_form_is_refused(world: World, client: Client) -> None:
    s = replied(world, public_item(world))
    r = client.post(f"/portal/track/{s.tracking_code}/", {"result": "satisfied", "version": s.version + 1})
    assert r.status_code == 400 and s.evaluations.count() == 0


def test_headers_of_the_public_pages(world: World, client: Client) -> None:
    s = public_item(world)
    for url in ("/portal/", f"/portal/submit/?town={world.town.pk}", "/portal/track/",
                f"/portal/track/{s.tracking_code}/", f"/portal/track/{s.tracking_code}/qr.svg", "/portal/deputies/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r["Referrer-Policy"] == "same-origin" and r["Cache-Control"] == "no-store", url
        assert "script-src 'self'" in r["Content-Security-Policy"] and "unsafe" not in r["Content-Security-Policy"]


def test_the_qr_of_any_well_formed_code_says_nothing_of_its_existence(client: Client) -> None:
    assert client.get(f"/portal/track/{new_tracking_code()}/qr.svg").status_code == 200
    assert client.get("/portal/track/nope/qr.svg").status_code == 404


# --- find my deputies -------------------------------------------------------------------------


def test_find_deputies_by_grid_or_village_phone_only_with_consent(world: World, client: Client) -> None:
    station = make_station(world)
    html = client.get(f"/portal/deputies/?grid={world.grid.pk}").content.decode()
    assert world.deputy.name in html and station.name in html and world.deputy.phone not in html
    people_services.deputy_update(actor=None, deputy_id=world.deputy.pk, phone_public=True)
    html = client.get(f"/portal/deputies/?village={world.village.pk}").content.decode()
    assert world.deputy.name in html and world.deputy.phone in html and world.plain_deputy.name in html
    assert world.plain_deputy.phone not in html and world.other_deputy.name not in html


# --- no personal data in any public response --------------------------------------------------


def test_no_name_or_phone_in_any_public_response(world: World, client: Client) -> None:
    """Every public page and endpoint, after a named opinion went all the way to its evaluation."""
    _submit(client, world)
    s = Suggestion.objects.get()
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit)
    services.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=s.pk)
    services.suggestion_reply(actor=world.users[Role.UNIT], suggestion_id=s.pk, reply_class="A", text="已修复路灯")
    station = make_station(world)
    code = s.tracking_code
    urls = ["/portal/", "/portal/submit/", f"/portal/submit/?deputy={world.deputy.pk}",
            f"/portal/submit/?station={station.pk}", "/portal/track/", f"/portal/track/{code}/",
            f"/portal/track/{code}/qr.svg", f"/portal/deputies/?grid={world.grid.pk}",
            f"/portal/deputies/?village={world.village.pk}", "/projects/board/",
            f"/liaison/d/{world.deputy.pk}/", f"/liaison/s/{station.pk}/"]
    bodies = [client.get(u).content.decode() for u in urls]
    client.post(f"/portal/track/{code}/", {"result": "satisfied", "version": Suggestion.objects.get().version})
    bodies.append(client.get(f"/portal/track/{code}/?rated=1").content.decode())
    bodies.append(_submit(client, world, content="短").content.decode())
    masked = PHONE[:3]
    for url, body in zip([*urls, "rated", "refused"], bodies, strict=True):
        assert NAME not in body and PHONE not in body and NAME[1:] not in body, url
        assert f"{masked}****{PHONE[-4:]}" not in body, url


# --- the deputy's follow-up -------------------------------------------------------------------


def test_the_deputy_notes_passes_on_or_adopts(world: World, client: Client,
                                              django_capture_on_commit_callbacks: Any) -> None:
    _submit(client, world)
    s = Suggestion.objects.get()
    deputy = world.users[Role.DEPUTY]
    services.suggestion_deputy_note(actor=deputy, suggestion_id=s.pk, note="已电话了解，情况属实")
    s.refresh_from_db()
    assert s.deputy_follow_up == DeputyFollowUp.NOTED
    adopted = services.suggestion_adopt(actor=deputy, suggestion_id=s.pk)
    s.refresh_from_db()
    assert adopted.kind == "deputy" and adopted.lead_deputy == world.deputy and s.adopted_as == adopted
    office = Client()
    office.force_login(world.users[Role.STAFF])
    page = office.get(f"/suggestions/{s.pk}/").content.decode()  # the office sees the deputy's part
    assert world.deputy.name in page and "已电话了解，情况属实" in page and adopted.code in page
    assert "代表已将您的意见" in client.get(f"/portal/track/{s.tracking_code}/").content.decode()
    with pytest.raises(Exception, match="不能重复处理"):
        services.suggestion_pass_on(actor=deputy, suggestion_id=s.pk)


def test_pass_on_tells_the_office_and_only_that_deputy_may(world: World, client: Client,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    _submit(client, world)
    s = Suggestion.objects.get()
    from renda.core.errors import NotFound

    with pytest.raises(NotFound):
        services.suggestion_pass_on(actor=world.extra_user, suggestion_id=s.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_pass_on(actor=world.users[Role.DEPUTY], suggestion_id=s.pk, note="请人大办协调")
    assert Notification.objects.filter(user=world.users[Role.STAFF], verb="suggestion.pass_on").exists()


def test_the_deputys_follow_up_page_and_home_card(world: World, client: Client) -> None:
    _submit(client, world)
    s = Suggestion.objects.get()
    deputy = Client()
    deputy.force_login(world.users[Role.DEPUTY])
    home = deputy.get("/home/deputy/").content.decode()
    assert "群众通过二维码反映的意见" in home and f"/suggestions/{s.pk}/follow-up/" in home
    assert deputy.get(f"/suggestions/{s.pk}/follow-up/").status_code == 200
    r = deputy.post(f"/suggestions/{s.pk}/follow-up/", {"do": "note", "note": ""})
    assert r.status_code == 400
    r = deputy.post(f"/suggestions/{s.pk}/follow-up/", {"do": "pass_on", "note": "请人大办协调"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.deputy_follow_up == DeputyFollowUp.PASSED_ON and s.deputy_note == "请人大办协调"
    assert "群众通过二维码反映的意见" not in deputy.get("/home/deputy/").content.decode()
