"""A locked-out login answers 429 with Retry-After, and a flood of invalid API tokens writes
one security event per address per minute, with the count (#14 item 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from tests.support import PASSWORD, World

from renda.accounts.models import LoginFailure
from renda.audit.models import SecurityEvent
from renda.core.roles import Role


@pytest.mark.django_db
@override_settings(RENDA_LOGIN_MAX_FAILURES=3, RENDA_LOGIN_LOCK_SECONDS=900)
def test_a_locked_out_login_is_429_with_retry_after(world: World) -> None:
    user = world.users[Role.STAFF]
    c = Client()
    for _ in range(3):
        r = c.post("/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
        assert r.status_code == 200  # a wrong password is the form again
    r = c.post("/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    assert 890 <= int(r["Retry-After"]) <= 900
    # The oldest failure 10 minutes old: 5 minutes left.
    first = LoginFailure.objects.order_by("at").first()
    assert first is not None
    LoginFailure.objects.filter(pk=first.pk).update(at=timezone.now() - dt.timedelta(minutes=10))
    r = c.post("/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert r.status_code == 429 and 290 <= int(r["Retry-After"]) <= 300


@pytest.mark.django_db
def test_a_flood_of_invalid_tokens_writes_one_row_per_address_per_minute(world: World) -> None:
    c = Client()
    for _ in range(50):
        assert c.get("/api/me", HTTP_AUTHORIZATION="Bearer rd_forged", REMOTE_ADDR="198.51.100.7").status_code == 401
    for _ in range(3):
        c.get("/api/me", HTTP_AUTHORIZATION="Bearer rd_forged", REMOTE_ADDR="198.51.100.8")
    rows = SecurityEvent.objects.filter(kind="login_failed", detail__startswith="invalid API token")
    assert rows.count() == 2
    assert rows.get(ip="198.51.100.7").detail == "invalid API token ×50"
    assert rows.get(ip="198.51.100.8").detail == "invalid API token ×3"
    # A minute later the address gets a new row.
    rows.update(at=timezone.now() - dt.timedelta(seconds=61))
    c.get("/api/me", HTTP_AUTHORIZATION="Bearer rd_forged", REMOTE_ADDR="198.51.100.7")
    assert rows.filter(ip="198.51.100.7").count() == 2
