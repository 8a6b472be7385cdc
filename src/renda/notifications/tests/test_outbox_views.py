"""The office's outbox pages: who sees what (every role, own and other town), masked addresses,
export, retry of one and of the ticked ones after a confirmation, a constant query count."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.support import PASSWORD, World

from renda.core.roles import Role
from renda.notifications import services
from renda.notifications.models import Delivery

pytestmark = pytest.mark.django_db

KEEPERS = {Role.STAFF, Role.ADMIN}


def _client(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _failed(town_id: int | None, n: int = 1) -> list[Delivery]:
    with override_settings(RENDA_SMS_BACKEND="renda.notifications.tests.fakes.RefusingBackend"):
        out = [services.sms_to(phone="13812345678", verb="suggestion.reply", params={"code": "QX7"},
                               town_id=town_id) for _ in range(n)]
        services.send_due()
    return [d for d in out if d is not None]


@pytest.mark.parametrize("role", list(Role))
def test_policy_matrix(world: World, role: str) -> None:
    (own,) = _failed(world.town.pk)
    (other,) = _failed(world.other_town.pk)
    c = _client(world.users[role])
    keeper = role in KEEPERS
    assert c.get(reverse("deliveries:list")).status_code == (200 if keeper else 403)
    assert c.get(reverse("deliveries:detail", args=[own.pk])).status_code == (200 if keeper else 404)
    assert c.get(reverse("deliveries:retry", args=[own.pk])).status_code == (200 if keeper else 404)
    sees_other = role == Role.ADMIN
    assert c.get(reverse("deliveries:detail", args=[other.pk])).status_code == (200 if sees_other else 404)
    assert c.post(reverse("deliveries:retry", args=[other.pk])).status_code == (302 if sees_other else 404)
    assert Delivery.objects.get(pk=other.pk).status == ("pending" if sees_other else "failed")
    response = c.post(reverse("deliveries:retry_selected"), {"ids": [own.pk], "confirm": "1"})
    assert response.status_code == (302 if keeper else 403)
    assert Delivery.objects.get(pk=own.pk).status == ("pending" if keeper else "failed")


def test_list_shows_the_failed_masked_and_exports(world: World) -> None:
    failed, = _failed(world.town.pk)
    sent = services.sms_to(phone="13900001111", verb="suggestion.reply", params={"code": "Z"}, town_id=world.town.pk)
    services.send_due()
    c = _client(world.users[Role.STAFF])
    html = c.get(reverse("deliveries:list")).content.decode()
    assert "138****5678" in html and "13812345678" not in html and "HTTP 400: 号码不存在" in html
    assert "139****1111" not in html  # sent: not on the failed list …
    everything = c.get(reverse("deliveries:list") + "?status=").content.decode()
    assert "139****1111" in everything and "13900001111" not in everything  # … but on 全部
    detail = c.get(reverse("deliveries:detail", args=[failed.pk])).content.decode()
    assert "138****5678" in detail and "13812345678" not in detail and "QX7" in detail
    assert f'href="/notifications/outbox/{failed.pk}/retry/"' in detail
    assert sent is not None
    assert "/retry/" not in c.get(reverse("deliveries:detail", args=[sent.pk])).content.decode()
    response = c.get(reverse("deliveries:list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined, arg-type]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row]
    assert "138****5678" in cells and not any("13812345678" in v for v in cells)


def test_retry_one_after_confirmation(world: World) -> None:
    d, = _failed(world.town.pk)
    c = _client(world.users[Role.STAFF])
    page = c.get(reverse("deliveries:retry", args=[d.pk])).content.decode()
    assert "确认重发" in page and Delivery.objects.get(pk=d.pk).status == "failed"
    assert c.post(reverse("deliveries:retry", args=[d.pk])).status_code == 302
    assert Delivery.objects.get(pk=d.pk).status == "pending"
    again = c.post(reverse("deliveries:retry", args=[d.pk]))  # no longer failed: said so, nothing done
    assert again.status_code == 200 and "只能重发发送失败的通知" in again.content.decode()
    history = c.get(reverse("deliveries:detail", args=[d.pk])).content.decode()
    assert "重发通知" in history


def test_retry_ticked_asks_first(world: World) -> None:
    a, b = _failed(world.town.pk, 2)
    c = _client(world.users[Role.STAFF])
    page = c.post(reverse("deliveries:retry_selected"), {"ids": [a.pk, b.pk]})
    assert page.status_code == 200 and "确认重发" in page.content.decode()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
    assert c.post(reverse("deliveries:retry_selected"), {"ids": [a.pk, b.pk], "confirm": "1"}).status_code == 302
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    assert c.post(reverse("deliveries:retry_selected"), {"ids": ["x"]}).status_code == 302  # nothing ticked


def test_list_query_count_is_constant(world: World) -> None:
    c = _client(world.users[Role.STAFF])
    _failed(world.town.pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("deliveries:list")).status_code == 200
        return len(ctx.captured_queries)

    first = queries()
    _failed(world.town.pk, 4)
    assert queries() == first


def test_the_menu_entry(world: World) -> None:
    html = _client(world.users[Role.STAFF]).get(reverse("accounts:home"), follow=True).content.decode()
    assert reverse("deliveries:list") in html
    html = _client(world.users[Role.UNIT]).get(reverse("accounts:home"), follow=True).content.decode()
    assert reverse("deliveries:list") not in html
