from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.ledger.tests.helpers import read, workbook
from renda.places.models import Region

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def upload_file(sheets: dict[str, list[list[object]]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("台账.xlsx", workbook(sheets).getvalue(), content_type=XLSX)


def grid_sheet(world: World) -> dict[str, list[list[object]]]:
    return {
        "网格": [
            ["网格编码", "名称", "所属村社区代码"],
            [f"{world.village.code}777", "上传网格", world.village.code],
        ]
    }


def test_upload_stores_the_file_and_leaves_the_reading_to_the_worker(world: World, data_dir: Path) -> None:
    """The request only stores the upload and enqueues its dry run (the whole flow, with the
    worker: test_upload_jobs)."""
    client = login(world, Role.STAFF)
    page = client.get(reverse("ledger:index"))
    assert page.status_code == 200
    assert "上传并预览" in page.content.decode()

    response = client.post(reverse("ledger:upload"), {"file": upload_file(grid_sheet(world))})
    assert response.status_code == 302
    pending = client.session["ledger_upload"]
    assert response["Location"] == reverse("ledger:job", args=[pending["job"]])
    stored = data_dir / "uploads" / f"ledger-{pending['token']}.xlsx"
    assert stored.is_file()
    assert not Region.objects.filter(name="上传网格").exists()
    html = client.get(response["Location"]).content.decode()
    assert "排队中" in html and "确认导入" not in html

    # A preview not finished cannot be confirmed.
    again = client.post(reverse("ledger:confirm"), {"job": pending["job"]})
    assert again.status_code == 302 and again["Location"] == reverse("ledger:index")
    assert not stored.exists() and "ledger_upload" not in client.session


def test_upload_rejects_other_files(world: World) -> None:
    client = login(world, Role.STAFF)
    bad = SimpleUploadedFile("ledger.csv", b"a,b", content_type="text/csv")
    response = client.post(reverse("ledger:upload"), {"file": bad})
    assert response.status_code == 400
    assert "请上传 .xlsx 格式的 Excel 工作簿" in response.content.decode()
    junk = SimpleUploadedFile("ledger.xlsx", b"not a workbook", content_type=XLSX)
    response = client.post(reverse("ledger:upload"), {"file": junk})
    assert response.status_code == 400 and "无法读取文件" in response.content.decode()


def test_template_download(world: World) -> None:
    response = login(world, Role.STAFF).get(reverse("ledger:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    data = read(response.content)
    assert data["代表"][0][:3] == ("姓名", "手机号", "层级")
    assert len(data["代表"]) == 2  # one of the town's deputies as the example (ledger/tests/test_template.py)


@pytest.mark.parametrize("role", [Role.STAFF, Role.PRESIDIUM])
def test_export_is_limited_to_the_users_town(world: World, role: str) -> None:
    response = login(world, role).get(reverse("ledger:export"))
    assert response.status_code == 200
    data = read(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert [r[0] for r in data["镇街"][1:]] == [world.town.code]


@pytest.mark.parametrize("role", [Role.DISTRICT_VIEWER, Role.ADMIN])
def test_district_wide_export_has_every_town(world: World, role: str) -> None:
    response = login(world, role).get(reverse("ledger:export"))
    data = read(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert {world.town.code, world.other_town.code} <= {r[0] for r in data["镇街"][1:]}


@pytest.mark.parametrize("role", list(Role))
def test_permissions(world: World, role: str) -> None:
    client = login(world, role)
    readers = {Role.STAFF, Role.ADMIN, Role.PRESIDIUM, Role.DISTRICT_VIEWER}
    importers = {Role.STAFF, Role.ADMIN}
    for name in ("index", "template", "export"):
        assert client.get(reverse(f"ledger:{name}")).status_code == (200 if role in readers else 403), name
    upload = client.post(reverse("ledger:upload"), {"file": upload_file(grid_sheet(world))})
    assert upload.status_code == (302 if role in importers else 403)
    confirm = client.post(reverse("ledger:confirm"), {"token": "0" * 32})
    assert confirm.status_code == (302 if role in importers else 403)
    index = client.get(reverse("ledger:index"))
    if role in readers:
        assert ("上传并预览" in index.content.decode()) == (role in importers)


def test_anonymous_is_sent_to_login(world: World) -> None:
    client = Client()
    for name in ("index", "template", "export"):
        response = client.get(reverse(f"ledger:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("ledger:upload")).status_code == 302


def _cells(response: Any) -> str:
    data = read(b"".join(response.streaming_content))
    return repr(data)


@pytest.mark.parametrize("role", list(Role))
def test_export_in_clear_needs_permission_and_reason_and_is_audited(world: World, role: str) -> None:
    from renda.core.privacy import REVEAL_VERB
    from renda.suggestions.tests.helpers import public_item

    public_item(world, submitter_name="张小三", submitter_phone="13812345678")
    client = login(world, role)
    readers = {Role.STAFF, Role.ADMIN, Role.PRESIDIUM, Role.DISTRICT_VIEWER}
    if role in readers:
        masked = _cells(client.get(reverse("ledger:export")))
        assert "张*三" in masked and "张小三" not in masked and "13812345678" not in masked
    response = client.post(reverse("ledger:export"), {"reason": "移交区信访局核查"})
    events = AuditEvent.objects.filter(verb=REVEAL_VERB)
    if role in {Role.STAFF, Role.PRESIDIUM}:
        assert response.status_code == 200
        clear = _cells(response)
        assert "张小三" in clear and "13812345678" in clear
        event = events.get()
        assert event.comment == "移交区信访局核查" and event.town_id == world.town.pk
        assert "意见建议" in event.after["fields"]
        assert "张小三" not in _cells(client.get(reverse("ledger:export")))  # the next plain export is masked
    else:
        assert response.status_code == 403 and not events.exists()


def test_export_in_clear_without_a_reason_is_refused(world: World) -> None:
    from renda.core.privacy import REVEAL_VERB

    client = login(world, Role.STAFF)
    response = client.post(reverse("ledger:export"), {"reason": " "}, follow=True)
    assert "请说明查看个人信息的理由" in response.content.decode()
    assert not AuditEvent.objects.filter(verb=REVEAL_VERB).exists()
