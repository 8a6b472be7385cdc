"""The steps the pages take in one go are one service each, in one transaction: registering with
attachments (and merging into a similar open item), replying with attachments. A refused file or
merge leaves nothing behind. And the stale-form check at its edges."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.support import World

from renda.accounts.models import Role
from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, InvalidInput
from renda.suggestions import services
from renda.suggestions.models import Attachment, Reply, Suggestion, Transition
from renda.suggestions.tests.helpers import assigned, public_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><script>alert(1)</script></html>"
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _register(world: World, **kw: Any) -> Suggestion:
    return services.suggestion_register(
        actor=world.users[Role.STAFF],
        town=world.town,
        kind="public",
        title="修建公交车站台",
        content="村口无站台",
        submitter_name="张小三",
        grid=world.grid,
        **kw,
    )


def _verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


@pytest.mark.django_db
def test_register_with_files_attaches_them_in_the_same_step(world: World) -> None:
    s = _register(world, files=[_file("材料.pdf", PDF)])
    assert [a.original_name for a in Attachment.objects.filter(suggestion=s)] == ["材料.pdf"]
    assert _verbs()[-2:] == ["suggestion.register", "suggestion.attach"]


@pytest.mark.django_db
def test_register_is_atomic_a_refused_file_leaves_no_suggestion(world: World) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="只能上传 PNG、JPEG 图片或 PDF 文件"):
        _register(world, files=[_file("材料.pdf", PDF), _file("a.pdf", HTML)])
    assert not Suggestion.objects.filter(title="修建公交车站台").exists()
    assert not Transition.objects.exists() and not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_register_and_merge_into_a_similar_open_item(world: World) -> None:
    existing = public_item(world, on=TODAY)
    s = _register(world, files=[_file("材料.pdf", PDF)], merge_into_id=existing.pk)
    assert s.state == "merged" and s.merged_into == existing
    s.refresh_from_db()
    assert (s.state, s.merged_into_id) == ("merged", existing.pk)
    assert _verbs()[-3:] == ["suggestion.register", "suggestion.attach", "suggestion.merge"]
    assert Transition.objects.filter(suggestion=existing, action="merge").count() == 1


@pytest.mark.django_db
def test_a_refused_merge_leaves_nothing_registered(world: World) -> None:
    other_towns = services.suggestion_register(
        actor=None, town=world.other_town, kind="public", title="另一镇的事项", submitter_name="李四"
    )
    events = AuditEvent.objects.count()
    for target in (other_towns.pk, 0):  # not visible to the actor, or no such item
        with pytest.raises(InvalidInput, match=r"^合并目标不存在或无权查看$"):
            _register(world, files=[_file("材料.pdf", PDF)], merge_into_id=target)
    assert not Suggestion.objects.filter(title="修建公交车站台").exists()
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events


def _accepted(world: World) -> Suggestion:
    s = public_item(world, on=TODAY)
    assigned(world, s, on=TODAY)
    services.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=s.pk, on=TODAY)
    s.refresh_from_db()
    return s


@pytest.mark.django_db
def test_reply_with_files_attaches_them_to_the_reply(world: World) -> None:
    s = _accepted(world)
    reply = services.suggestion_reply(
        actor=world.users[Role.UNIT],
        suggestion_id=s.pk,
        reply_class="A",
        text="已建成",
        expected_version=s.version,
        files=[_file("验收.pdf", PDF)],
    )
    (att,) = Attachment.objects.filter(suggestion=s)
    assert att.reply_id == reply.pk
    assert _verbs()[-2:] == ["suggestion.reply", "suggestion.attach"]


@pytest.mark.django_db
def test_reply_is_atomic_a_refused_file_leaves_no_reply(world: World) -> None:
    s = _accepted(world)
    with pytest.raises(InvalidInput):
        services.suggestion_reply(
            actor=world.users[Role.UNIT],
            suggestion_id=s.pk,
            reply_class="A",
            text="已建成",
            files=[_file("验收.pdf", HTML)],
        )
    s.refresh_from_db()
    assert s.state == "accepted" and not Reply.objects.filter(suggestion=s).exists()
    assert not Transition.objects.filter(suggestion=s, action="reply").exists()


@pytest.mark.django_db
def test_the_version_sent_must_be_the_current_one_exactly(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = public_item(world)
    for stale in (s.version - 1, s.version + 1):
        with pytest.raises(Conflict, match=r"^该事项已被他人处理，请刷新后重试$") as exc:
            services.suggestion_assign(
                actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=dt.date(2023, 3, 2), expected_version=stale
            )
        assert exc.value.code == "stale"
    s.refresh_from_db()
    assert s.state == "registered"
    done = services.suggestion_assign(
        actor=staff, suggestion_id=s.pk, lead_unit=world.unit, on=dt.date(2023, 3, 2), expected_version=s.version
    )
    assert (done.state, done.version) == ("assigned", s.version + 1)
