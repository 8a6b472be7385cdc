"""A petition's attachments (a scanned letter, photos) carry the petitioner in clear: opening one
is a reveal — for the town's office and presidium (and the uploader), audited; their file names
are not even listed to the others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.privacy import REVEAL_VERB
from renda.core.roles import Role
from renda.petitions import services
from renda.petitions.tests.helpers import petition

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
#: role → status of opening an attachment of a petition of the role's own town (world.grid)
EXPECTED = {Role.PRESIDIUM: 200, Role.STAFF: 200, Role.DEPUTY: 403, Role.UNIT: 404, Role.GRID_WORKER: 403,
            Role.DISTRICT_VIEWER: 403, Role.ADMIN: 403}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _attached(world: World, actor: Any = None) -> tuple[Any, Any]:
    p = petition(world)
    att = services.petition_attach(actor=actor or world.users[Role.STAFF], petition_id=p.pk,
                                   files=[SimpleUploadedFile("欧阳明远来信.png", PNG, content_type="image/png")])[0]
    return p, att


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_opening_an_attachment_is_an_audited_reveal(world: World, client: Client, role: Role) -> None:
    p, att = _attached(world)
    client.force_login(world.users[role])
    response = client.get(reverse("petitions:attachment", args=[p.pk, att.pk]))
    assert response.status_code == EXPECTED[role]
    reveals = AuditEvent.objects.filter(verb=REVEAL_VERB, target_id=str(p.pk))
    if EXPECTED[role] == 200:
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
        event = reveals.get()
        assert event.comment == services.ATTACHMENT_REASON and event.actor == world.users[role]
    else:
        assert not reveals.exists()
    if EXPECTED[role] != 404:
        page = client.get(reverse("petitions:detail", args=[p.pk])).content.decode()
        assert ("欧阳明远来信.png" in page) == (EXPECTED[role] == 200)


@pytest.mark.django_db
def test_the_uploader_may_open_their_own_upload(world: World, client: Client) -> None:
    worker = world.users[Role.GRID_WORKER]
    p = petition(world, actor=worker)
    att = services.petition_attach(actor=worker, petition_id=p.pk,
                                   files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")])[0]
    client.force_login(worker)
    assert client.get(reverse("petitions:attachment", args=[p.pk, att.pk])).status_code == 200
    assert AuditEvent.objects.filter(verb=REVEAL_VERB, actor=worker).exists()


@pytest.mark.django_db
def test_another_towns_attachment_is_not_found(world: World, client: Client) -> None:
    p, att = _attached(world)
    client.force_login(world.other_staff)
    assert client.get(reverse("petitions:attachment", args=[p.pk, att.pk])).status_code == 404
    client.force_login(world.users[Role.STAFF])
    assert client.get(reverse("petitions:attachment", args=[p.pk, att.pk + 999])).status_code == 404
