"""Registering a petition with its attachments is one service in one transaction (a refused file
leaves no petition); the stale-form check at its edges, on the workflow verbs and on 阅批; the
reads the pages and the API share (presidium members to route to, the routing waiting for one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.support import World

from renda.accounts.models import Role
from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, InvalidInput
from renda.petitions import selectors, services
from renda.petitions.models import Attachment, Petition, Petitioner, Transition
from renda.petitions.tests.helpers import D, petition, staff

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
HTML = b"<html><script>alert(1)</script></html>"
STALE = "该信访件已被他人处理，请刷新后重试"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_register_with_files_attaches_them_in_the_same_step(world: World) -> None:
    p = petition(world, files=[_file("来信.png", PNG)])
    assert [a.original_name for a in Attachment.objects.filter(petition=p)] == ["来信.png"]
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs[-2:] == ["petition.register", "petition.attach"]


@pytest.mark.django_db
def test_register_is_atomic_a_refused_file_leaves_no_petition(world: World) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="只能上传 PNG、JPEG 图片或 PDF 文件"):
        petition(world, files=[_file("来信.png", PNG), _file("a.png", HTML)])
    assert not Petition.objects.exists() and not Petitioner.objects.exists()
    assert not Transition.objects.exists() and not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_version_sent_must_be_the_current_one_exactly(world: World) -> None:
    p = petition(world)
    for stale in (p.version - 1, p.version + 1):
        with pytest.raises(Conflict, match=f"^{STALE}$") as exc:
            services.petition_accept(actor=staff(world), petition_id=p.pk, on=D("2023-03-02"), expected_version=stale)
        assert exc.value.code == "stale"
    done = services.petition_accept(
        actor=staff(world), petition_id=p.pk, on=D("2023-03-02"), expected_version=p.version
    )
    assert (done.state, done.version) == ("handling", p.version + 1)


@pytest.mark.django_db
def test_instruct_checks_the_version_too(world: World) -> None:
    p = petition(world)
    ri = services.petition_route(
        actor=staff(world), petition_id=p.pk, presidium_member=world.presidium_deputy, on=D("2023-03-02")
    )
    p.refresh_from_db()
    member = world.users[Role.PRESIDIUM]
    assert selectors.pending_instruction(p, member.deputy_id) == ri
    assert selectors.pending_instruction(p, world.deputy.pk) is None
    for stale in (p.version - 1, p.version + 1):
        with pytest.raises(Conflict, match=f"^{STALE}$"):
            services.petition_instruct(
                actor=member, instruction_id=ri.pk, text="请核实办理", on=D("2023-03-03"), expected_version=stale
            )
    services.petition_instruct(
        actor=member, instruction_id=ri.pk, text="请核实办理", on=D("2023-03-03"), expected_version=p.version
    )
    assert selectors.pending_instruction(p, member.deputy_id) is None


@pytest.mark.django_db
def test_presidium_members_to_route_to(world: World) -> None:
    members = list(selectors.presidium_members(world.town.pk))
    assert world.presidium_deputy in members
    assert world.deputy not in members and world.other_deputy not in members
