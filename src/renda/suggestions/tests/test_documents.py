"""交办单 and 答复函 (Word): what they say, who may download them (page and API, every role),
the selection downloaded at once from the list, and the reveal a 答复函 by name is."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from docx import Document
from tests.support import World, make_unit

from renda.audit.models import AuditEvent
from renda.core.privacy import REVEAL_VERB
from renda.core.roles import Role
from renda.suggestions import documents, services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import deputy_item, public_item

P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER,
                       Role.DISTRICT_VIEWER, Role.ADMIN)
TODAY = dt.date.today()
NAME, PHONE = "张小三", "13812345678"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def pages(content: bytes) -> int:
    doc = Document(io.BytesIO(content))
    return 1 + sum(1 for p in doc.paragraphs if p.paragraph_format.page_break_before)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _assigned(w: World, s: Suggestion | None = None, *, unit: Any = None, co: Any = (), **kw: Any) -> Suggestion:
    s = s or public_item(w, on=TODAY, **kw)
    return services.suggestion_assign(actor=w.users[S], suggestion_id=s.pk, lead_unit=unit or w.unit, co_units=co,
                                      on=TODAY, comment="请实地查看后答复")


def _replied(w: World, s: Suggestion | None = None, reply_class: str = "A") -> Suggestion:
    s = _assigned(w, s)
    services.suggestion_accept(actor=w.users[U], suggestion_id=s.pk, on=TODAY)
    services.suggestion_reply(actor=w.users[U], suggestion_id=s.pk, reply_class=reply_class,
                              text="已在村口建成公交车站台\n并设置候车亭。", on=TODAY)
    return Suggestion.objects.get(pk=s.pk)


def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- what the documents say --------------------------------------------------------------------------


@pytest.mark.django_db
def test_assignment_sheet_says_what_the_unit_must_do_with_the_submitter_masked(world: World) -> None:
    co_unit = make_unit(world.town)
    s = _assigned(world, co=[co_unit])
    name, content = services.suggestion_documents(actor=world.users[S], suggestion_ids=[s.pk],
                                                  kind="assignment_sheet")
    assert name == f"意见建议交办单-{s.code}.docx" and content[:2] == b"PK"
    body = text(content)
    for expected in ("意见建议交办单", s.code, "修建公交车站台", "村口无站台", world.unit.name, co_unit.name,
                     cn(TODAY), cn(s.deadline), "请实地查看后答复", f"{world.town.name}人大办公室", "张*三",
                     "138****5678", "查看联系方式", "答复类别", world.grid.name):
        assert expected in body, expected
    assert NAME not in body and PHONE not in body
    # Generating a masked sheet reveals nothing: no audit event.
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()


@pytest.mark.django_db
def test_assignment_sheet_tells_the_unit_to_go_through_the_office(world: World) -> None:
    s = _assigned(world, no_unit_contact=True)
    body = text(services.suggestion_documents(actor=world.users[U], suggestion_ids=[s.pk],
                                              kind="assignment_sheet")[1])
    assert "提出人不愿承办单位直接联系" in body and "查看联系方式" not in body
    d = _assigned(world, deputy_item(world, on=TODAY))
    body = text(services.suggestion_documents(actor=world.users[U], suggestion_ids=[d.pk],
                                              kind="assignment_sheet")[1])
    assert world.deputy.name in body and world.plain_deputy.name in body and "代表建议" in body


@pytest.mark.django_db
def test_reply_letter_names_the_deputy_and_tells_the_class(world: World) -> None:
    s = _replied(world, deputy_item(world, on=TODAY), reply_class="C")
    name, content = services.suggestion_documents(actor=world.users[U], suggestion_ids=[s.pk], kind="reply_letter")
    body = text(content)
    assert name == f"意见建议答复函-{s.code}.docx"
    for expected in ("意见建议答复函", f"{world.deputy.name}代表：", s.code, "农田水利施工质量监督",
                     "已在村口建成公交车站台", "并设置候车亭。", "C类", "列入计划", world.unit.name, cn(TODAY)):
        assert expected in body, expected


@pytest.mark.django_db
def test_reply_letter_names_a_public_submitter_in_clear_only_for_the_office_and_audits_it(world: World) -> None:
    s = _replied(world)
    unit_body = text(services.suggestion_documents(actor=world.users[U], suggestion_ids=[s.pk],
                                                   kind="reply_letter")[1])
    assert "张*三同志：" in unit_body and NAME not in unit_body
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()
    staff_body = text(services.suggestion_documents(actor=world.users[S], suggestion_ids=[s.pk],
                                                    kind="reply_letter")[1])
    assert f"{NAME}同志：" in staff_body and "A类" in staff_body
    event = AuditEvent.objects.get(verb=REVEAL_VERB)
    assert (event.actor, event.comment, event.target_id) == (world.users[S], "生成答复函", str(s.pk))


@pytest.mark.django_db
def test_text_that_xml_cannot_hold_is_dropped(world: World) -> None:
    s = _assigned(world, title="路灯不亮", content="=HYPERLINK(\"http://x\")")
    # the services refuse such a title now (core.validators.clean_text); a record from before may hold one
    Suggestion.objects.filter(pk=s.pk).update(title="路灯\x01不亮\x0b")
    body = text(services.suggestion_documents(actor=world.users[S], suggestion_ids=[s.pk],
                                              kind="assignment_sheet")[1])
    assert "路灯不亮" in body and '=HYPERLINK("http://x")' in body  # written as text, not a field


# -- who may download them ---------------------------------------------------------------------------


def expect(**by_role: int) -> dict[str, int]:
    return {P: by_role["P"], S: by_role["S"], D: by_role["D"], U: by_role["U"], G: by_role["G"],
            V: by_role["V"], A: by_role["A"]}


Case = tuple[Callable[[World], Suggestion], str, dict[str, int]]
CASES: dict[str, Case] = {
    "sheet, registered (none yet)": (lambda w: public_item(w, on=TODAY), "assignment_sheet",
                                     expect(P=404, S=404, D=404, U=404, G=403, V=403, A=404)),
    "sheet, assigned to my unit": (_assigned, "assignment_sheet",
                                   expect(P=200, S=200, D=404, U=200, G=403, V=403, A=200)),
    "sheet, my unit co-handles": (lambda w: _assigned(w, unit=make_unit(w.town), co=[w.unit]), "assignment_sheet",
                                  expect(P=200, S=200, D=404, U=200, G=403, V=403, A=200)),
    "sheet, another unit's": (lambda w: _assigned(w, unit=make_unit(w.town), grid=None), "assignment_sheet",
                              expect(P=200, S=200, D=404, U=404, G=404, V=403, A=200)),
    "sheet, another town's": (lambda w: services.suggestion_assign(
        actor=w.other_staff, suggestion_id=services.suggestion_register(
            actor=w.other_staff, town=w.other_town, kind="public", title="修路", submitter_name="李四", on=TODAY).pk,
        lead_unit=w.other_unit, on=TODAY), "assignment_sheet",
        expect(P=404, S=404, D=404, U=404, G=404, V=403, A=200)),
    "letter, assigned (none yet)": (_assigned, "reply_letter",
                                    expect(P=404, S=404, D=404, U=404, G=403, V=403, A=404)),
    "letter, public item replied": (_replied, "reply_letter",
                                    expect(P=200, S=200, D=404, U=200, G=403, V=403, A=200)),
    "letter, deputy's suggestion replied": (lambda w: _replied(w, deputy_item(w, on=TODAY)), "reply_letter",
                                            expect(P=200, S=200, D=200, U=200, G=404, V=403, A=200)),
    "unknown kind": (_assigned, "minutes", expect(P=404, S=404, D=404, U=404, G=404, V=404, A=404)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
def test_download_matrix_page_and_api(world: World, case: str) -> None:
    setup, kind, expected = CASES[case]
    s = setup(world)
    for url in (f"/suggestions/{s.pk}/documents/{kind}/", f"/api/suggestions/{s.pk}/documents/{kind}"):
        got = {}
        for role in expected:
            r = _client(world.users[role]).get(url)
            got[role] = r.status_code
            if r.status_code == 200:
                assert r["Content-Type"] == DOCX and r["Cache-Control"] == "private, no-store"
                assert s.code in text(r.content)
        assert got == expected, url


@pytest.mark.django_db
def test_the_detail_page_offers_the_documents_the_item_has(world: World) -> None:
    s = public_item(world, on=TODAY)
    c = _client(world.users[S])
    page = c.get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="documents"' not in page
    _assigned(world, s)
    page = c.get(f"/suggestions/{s.pk}/").content.decode()
    assert f"/suggestions/{s.pk}/documents/assignment_sheet/" in page and "reply_letter" not in page
    services.suggestion_accept(actor=world.users[U], suggestion_id=s.pk, on=TODAY)
    services.suggestion_reply(actor=world.users[U], suggestion_id=s.pk, reply_class="A", text="已建成", on=TODAY)
    page = c.get(f"/suggestions/{s.pk}/").content.decode()
    assert "下载意见建议交办单（Word）" in page and "下载意见建议答复函（Word）" in page
    # The grid worker sees the item but gets no documents.
    assert 'id="documents"' not in _client(world.users[G]).get(f"/suggestions/{s.pk}/").content.decode()


# -- a selection at once -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_download_of_the_ticked_items(world: World) -> None:
    items = [_assigned(world, title=f"事项{i}") for i in range(3)]
    c = _client(world.users[S])
    listing = c.get("/suggestions/").content.decode()
    assert 'id="bulk-form"' in listing and 'name="ids"' in listing and "下载意见建议交办单" in listing
    r = c.post("/suggestions/documents/assignment_sheet/", {"ids": [str(s.pk) for s in reversed(items)]})
    assert r.status_code == 200 and r["Content-Type"] == DOCX
    assert "%E4%BB%B6.docx" in r["Content-Disposition"]  # 意见建议交办单-3件.docx
    body = text(r.content)
    assert pages(r.content) == 3 and all(s.code in body for s in items)
    assert body.index("事项2") < body.index("事项0")  # in the order ticked


@pytest.mark.django_db
def test_bulk_refuses_with_a_message(world: World) -> None:
    ready = _assigned(world)
    waiting = public_item(world, on=TODAY, title="路灯不亮")
    c = _client(world.users[S])
    r = c.post("/suggestions/documents/assignment_sheet/", {"ids": [ready.pk, waiting.pk]}, follow=True)
    assert r.redirect_chain[-1][0].startswith("/suggestions/")
    assert f"以下事项还没有意见建议交办单：{waiting.code}" in r.content.decode()
    r = c.post("/suggestions/documents/assignment_sheet/", {}, follow=True)
    assert "请先勾选要生成文书的事项" in r.content.decode()
    r = c.post("/suggestions/documents/assignment_sheet/",
               {"ids": [str(i) for i in range(1, documents.BULK_LIMIT + 2)]}, follow=True)
    assert f"一次最多生成 {documents.BULK_LIMIT} 件" in r.content.decode()


@pytest.mark.django_db
def test_bulk_matrix(world: World) -> None:
    own = _assigned(world)
    other_unit = _assigned(world, unit=make_unit(world.town), grid=None)
    expected_own = expect(P=200, S=200, D=403, U=200, G=403, V=403, A=200)
    for role, code in expected_own.items():
        r = _client(world.users[role]).post("/suggestions/documents/assignment_sheet/", {"ids": [own.pk]})
        assert r.status_code == code, role
    # An item the user may not see in the selection: 404, nothing generated.
    r = _client(world.users[U]).post("/suggestions/documents/assignment_sheet/", {"ids": [own.pk, other_unit.pk]})
    assert r.status_code == 404
    # The list offers the bulk buttons only to those who may use them.
    assert 'id="bulk-form"' not in _client(world.users[G]).get("/suggestions/").content.decode()
    assert "下载意见建议答复函" in _client(world.users[D]).get("/suggestions/").content.decode()
