"""Attachments: checked by content (not by name), size- and count-limited, stored under a random
name, downloaded only by users who may see the item, audited without their content."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core import uploads
from renda.core.errors import Forbidden, InvalidInput, NotFound
from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Attachment, Suggestion
from renda.suggestions.tests.helpers import assigned, public_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HTML = b"<html><script>alert(1)</script></html>"
EXE = b"MZ\x90\x00" + b"\x00" * 60
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def item(world: World) -> Suggestion:
    return public_item(world, on=TODAY)


# --- service ----------------------------------------------------------------------------------


def test_pdf_and_png_accepted_and_stored_under_a_random_name(world: World) -> None:
    s = item(world)
    atts = services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                      files=[upload("现场照片.png", PNG, "image/png"), upload("说明.pdf", PDF)])
    png, pdf = atts
    assert (png.content_type, png.original_name, png.size) == ("image/png", "现场照片.png", len(PNG))
    assert (pdf.content_type, pdf.original_name) == ("application/pdf", "说明.pdf")
    assert pdf.sha256 == hashlib.sha256(PDF).hexdigest()
    assert png.uploaded_by == world.users[Role.STAFF]
    assert png.reply is None
    for att, data, ext in ((png, PNG, ".png"), (pdf, PDF, ".pdf")):
        assert att.file.name.startswith(f"suggestions/{TODAY:%Y/%m}/")
        assert att.file.name.endswith(ext)
        assert "现场" not in att.file.name and "说明" not in att.file.name
        with att.file.open("rb") as fh:
            assert fh.read() == data


def test_the_type_comes_from_the_content_not_the_name(world: World) -> None:
    s = item(world)
    staff = world.users[Role.STAFF]
    # A JPEG named .pdf is stored as a JPEG, with a .jpg name on disk.
    (att,) = services.suggestion_attach(actor=staff, suggestion_id=s.pk, files=[upload("scan.pdf", JPEG)])
    assert att.content_type == "image/jpeg" and att.file.name.endswith(".jpg")
    for name, data in (("report.pdf", HTML), ("photo.png", EXE), ("x.pdf", b"PDF-1.4 not quite")):
        with pytest.raises(InvalidInput, match="只能上传 PNG、JPEG 图片或 PDF 文件") as exc:
            services.suggestion_attach(actor=staff, suggestion_id=s.pk,
                                       files=[upload(name, data, "application/pdf")])
        assert "attachments" in exc.value.fields
    assert Attachment.objects.filter(suggestion=s).count() == 1


def test_oversize_refused_and_nothing_left_on_disk(world: World, settings: Any) -> None:
    s = item(world)
    big = upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 4))
    assert big.size == uploads.MAX_SIZE + 1
    with pytest.raises(InvalidInput, match="文件不能超过 10 MB"):
        services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                   files=[upload("ok.pdf", PDF), big])
    assert not Attachment.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    exactly = upload("limit.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 - 5))
    assert len(services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk, files=[exactly])) == 1


def test_at_most_nine_per_item(world: World) -> None:
    s = item(world)
    staff = world.users[Role.STAFF]
    services.suggestion_attach(actor=staff, suggestion_id=s.pk, files=[upload(f"{i}.pdf", PDF) for i in range(8)])
    services.suggestion_attach(actor=staff, suggestion_id=s.pk, files=[upload("9.pdf", PDF)])
    with pytest.raises(InvalidInput, match="最多上传 9 个附件"):
        services.suggestion_attach(actor=staff, suggestion_id=s.pk, files=[upload("10.pdf", PDF)])


def test_audit_event_names_the_files_without_their_content(world: World) -> None:
    s = item(world)
    (att,) = services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                        files=[upload("说明.pdf", PDF)])
    event = AuditEvent.objects.get(verb="suggestion.attach")
    assert event.target_id == str(s.pk) and event.actor == world.users[Role.STAFF]
    assert event.after == {"reply": None, "attachments": [
        {"id": att.pk, "name": "说明.pdf", "content_type": "application/pdf", "size": len(PDF),
         "sha256": hashlib.sha256(PDF).hexdigest()}]}
    assert "%PDF" not in str(event.after) and "obj" not in str(event.after)


def test_who_may_attach(world: World) -> None:
    s = item(world)
    files = [upload("a.pdf", PDF)]
    with pytest.raises(NotFound):
        services.suggestion_attach(actor=world.other_staff, suggestion_id=s.pk, files=files)
    with pytest.raises(NotFound):  # not yet assigned to the unit: it does not see the item
        services.suggestion_attach(actor=world.users[Role.UNIT], suggestion_id=s.pk, files=files)
    assigned(world, s, on=TODAY)
    with pytest.raises(Forbidden):  # the lead unit sees the item, but attaches only to its reply
        services.suggestion_attach(actor=world.users[Role.UNIT], suggestion_id=s.pk, files=files)
    unit = world.users[Role.UNIT]
    services.suggestion_accept(actor=unit, suggestion_id=s.pk, on=TODAY)
    reply = services.suggestion_reply(actor=unit, suggestion_id=s.pk, reply_class="A", text="已建成", on=TODAY)
    (att,) = services.suggestion_attach(actor=unit, suggestion_id=s.pk, files=files, reply_id=reply.pk)
    assert att.reply == reply
    other = public_item(world, on=TODAY, title="路灯")
    with pytest.raises(NotFound):  # a reply of another item
        services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=other.pk, files=files,
                                   reply_id=reply.pk)


def test_registering_grid_worker_may_attach_to_own_report(world: World) -> None:
    gw = world.users[Role.GRID_WORKER]
    s = services.suggestion_register(actor=gw, town=world.town, kind="public", title="路灯不亮",
                                     submitter_name="王五", grid=world.grid, source="grid_reported", on=TODAY)
    assert len(services.suggestion_attach(actor=gw, suggestion_id=s.pk, files=[upload("a.png", PNG)])) == 1


# --- download ---------------------------------------------------------------------------------


def test_download_headers_and_scope(world: World) -> None:
    s = item(world)
    (att,) = services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                        files=[upload("现场 照片.png", PNG)])
    url = reverse("suggestions:attachment", args=[s.pk, att.pk])
    r = client_for(world.users[Role.STAFF]).get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in r["Content-Disposition"].lower()
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PNG  # type: ignore[attr-defined]
    # Another town's staff, a unit not on the item: 404, as if it did not exist.
    assert client_for(world.other_staff).get(url).status_code == 404
    assert client_for(world.users[Role.UNIT]).get(url).status_code == 404
    # The attachment of another item through this item's URL: 404.
    other = public_item(world, on=TODAY, title="路灯")
    assert client_for(world.users[Role.STAFF]).get(
        reverse("suggestions:attachment", args=[other.pk, att.pk])).status_code == 404
    # Not logged in: to the login page.
    assert Client().get(url).status_code == 302


def test_detail_page_lists_attachments(world: World) -> None:
    s = item(world)
    (att,) = services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                                        files=[upload("说明.pdf", PDF)])
    r = client_for(world.users[Role.STAFF]).get(reverse("suggestions:detail", args=[s.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "说明.pdf" in body and reverse("suggestions:attachment", args=[s.pk, att.pk]) in body


# --- pages ------------------------------------------------------------------------------------


def test_upload_through_the_register_page(world: World) -> None:
    c = client_for(world.users[Role.STAFF])
    data = {"kind": "public", "title": "修建公交车站台", "submitter_name": "张三", "content": "村口无站台",
            "attachments": [upload("照片.png", PNG), upload("材料.pdf", PDF)]}
    r = c.post(reverse("suggestions:create"), data)
    assert r.status_code == 302, r.content.decode()[:2000]
    s = Suggestion.objects.get(title="修建公交车站台")
    assert sorted(s.attachments.values_list("original_name", flat=True)) == ["材料.pdf", "照片.png"]


def test_register_page_refuses_a_disguised_file(world: World) -> None:
    c = client_for(world.users[Role.STAFF])
    data = {"kind": "public", "title": "修路", "submitter_name": "张三", "attachments": [upload("a.pdf", HTML)]}
    r = c.post(reverse("suggestions:create"), data)
    assert r.status_code == 200
    assert "只能上传 PNG、JPEG 图片或 PDF 文件" in r.content.decode()
    assert not Suggestion.objects.filter(title="修路").exists()


def test_upload_with_the_reply_form(world: World) -> None:
    s = item(world)
    assigned(world, s, on=TODAY)
    unit = world.users[Role.UNIT]
    services.suggestion_accept(actor=unit, suggestion_id=s.pk, on=TODAY)
    s.refresh_from_db()
    c = client_for(unit)
    r = c.post(reverse("suggestions:act", args=[s.pk, "reply"]),
               {"reply-version": s.version, "reply-reply_class": "A", "reply-text": "已建成",
                "reply-attachments": [upload("验收.pdf", PDF)]})
    assert r.status_code == 302, r.content.decode()[:2000]
    (att,) = Attachment.objects.filter(suggestion=s)
    assert att.reply is not None and att.original_name == "验收.pdf"


# --- API --------------------------------------------------------------------------------------


def test_api_upload_without_a_file_is_the_rule_not_a_schema_error(world: World) -> None:
    """No file, or a part with no file name (schemathesis sends one), is 400 with the page's
    message: the request fits the schema, the business rule refuses it."""
    s = item(world)
    c = client_for(world.users[Role.STAFF])
    for body in ({}, {"files": ""}):
        r = c.post(f"/api/suggestions/{s.pk}/attachments", body)
        assert r.status_code == 400, (body, r.content)
        assert r.json()["message"] == "请选择要上传的文件"
    assert not s.attachments.exists()


def test_api_upload_list_and_download(world: World) -> None:
    s = item(world)
    c = client_for(world.users[Role.STAFF])
    r = c.post(f"/api/suggestions/{s.pk}/attachments", {"files": [upload("a.pdf", PDF), upload("b.png", PNG)]})
    assert r.status_code == 201, r.content
    atts = r.json()["attachments"]
    assert [(a["name"], a["content_type"]) for a in atts] == [("a.pdf", "application/pdf"), ("b.png", "image/png")]
    assert c.get(f"/api/suggestions/{s.pk}").json()["attachments"] == atts
    d = c.get(f"/api/suggestions/{s.pk}/attachments/{atts[0]['id']}")
    assert d.status_code == 200 and d["Content-Type"] == "application/pdf"
    assert d["X-Content-Type-Options"] == "nosniff"
    assert c.get(atts[1]["url"]).status_code == 200
    # Refused content, another town's user.
    r = c.post(f"/api/suggestions/{s.pk}/attachments", {"files": [upload("evil.pdf", EXE)]})
    assert r.status_code == 400 and r.json()["message"].startswith("只能上传 PNG、JPEG 图片或 PDF 文件")
    other = client_for(world.other_staff)
    assert other.post(f"/api/suggestions/{s.pk}/attachments", {"files": [upload("a.pdf", PDF)]}).status_code == 404
    assert other.get(f"/api/suggestions/{s.pk}/attachments/{atts[0]['id']}").status_code == 404
    assert Attachment.objects.filter(suggestion=s).count() == 2


def test_api_schema_has_the_upload(world: World) -> None:
    schema = client_for(world.users[Role.STAFF]).get("/api/openapi.json")
    if schema.status_code != 200:
        pytest.skip("no schema at /api/openapi.json")
    paths = schema.json()["paths"]
    assert any(p.endswith("/attachments") and "post" in v for p, v in paths.items())


def test_no_user_file_name_reaches_the_disk(world: World, settings: Any) -> None:
    s = item(world)
    services.suggestion_attach(actor=world.users[Role.STAFF], suggestion_id=s.pk,
                               files=[upload("../../evil.pdf", PDF)])
    names = [p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(names) == 1 and "evil" not in names[0] and os.path.splitext(names[0])[1] == ".pdf"
