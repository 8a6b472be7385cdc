"""Login, lockout that cannot lock the real user out, logout, password change, Argon2."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import ARGON2
from django.test import Client, override_settings
from django.utils import timezone
from tests.support import PASSWORD, World

from renda.accounts.models import LoginFailure, User
from renda.audit.models import AuditEvent, SecurityEvent
from renda.core.roles import Role


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> int:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response.status_code


@pytest.mark.django_db
def test_login_page_is_chinese(client: Client) -> None:
    body = client.get("/login/").content.decode()
    assert "乡镇人大履职平台" in body and "登录" in body and 'lang="zh-hans"' in body


@pytest.mark.django_db
def test_passwords_are_argon2(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ARGON2
    from tests.support import make_town, make_user

    user = make_user(Role.STAFF, make_town())
    assert user.password.startswith("argon2")
    assert Client().post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_login_then_home(world: World, client: Client) -> None:
    user = world.users[Role.STAFF]
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert SecurityEvent.objects.filter(kind="login", user=user).exists()


@pytest.mark.django_db
@override_settings(RENDA_LOGIN_MAX_FAILURES=3, RENDA_LOGIN_IP_MAX_FAILURES=10)
def test_lockout_is_per_username_and_ip(world: World) -> None:
    user = world.users[Role.STAFF]
    attacker = Client()
    for _ in range(3):
        assert login(attacker, user.username, "wrong-password", ip="203.0.113.9") == 200
    # Even the right password is refused from the attacker's address now ...
    page = attacker.post("/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert page.status_code == 429 and "登录失败次数过多" in page.content.decode()
    # ... but the real user on their own address gets in.
    assert login(Client(), user.username, PASSWORD, ip="10.0.0.7") == 302
    assert SecurityEvent.objects.filter(kind="login_failed", username=user.username).count() == 3
    assert SecurityEvent.objects.filter(kind="login_locked").exists()


@pytest.mark.django_db
@override_settings(RENDA_LOGIN_MAX_FAILURES=3, RENDA_LOGIN_LOCK_SECONDS=900)
def test_lockout_expires(world: World) -> None:
    user = world.users[Role.STAFF]
    c = Client()
    for _ in range(3):
        login(c, user.username, "wrong", ip="203.0.113.9")
    assert login(c, user.username, PASSWORD, ip="203.0.113.9") == 429  # locked out: too many requests
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(seconds=901))
    assert login(c, user.username, PASSWORD, ip="203.0.113.9") == 302


@pytest.mark.django_db
@override_settings(RENDA_LOGIN_MAX_FAILURES=100, RENDA_LOGIN_IP_MAX_FAILURES=5)
def test_one_address_spraying_many_usernames_is_stopped(world: World) -> None:
    c = Client()
    for i in range(5):
        login(c, f"nobody{i}", "wrong", ip="198.51.100.1")
    user = world.users[Role.STAFF]
    assert login(c, user.username, PASSWORD, ip="198.51.100.1") == 429
    assert login(Client(), user.username, PASSWORD, ip="10.1.1.1") == 302


@pytest.mark.django_db
def test_logout_needs_post(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/home/").status_code == 302


@pytest.mark.django_db
def test_password_change(world: World, client: Client) -> None:
    user = world.users[Role.DEPUTY]
    client.force_login(user)
    bad = client.post("/password/", {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert "原密码不正确" in bad.content.decode() or "不正确" in bad.content.decode()
    new = "Another-Secret-2026"
    ok = client.post("/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    event = AuditEvent.objects.get(verb="user.password_change", target_id=str(user.pk))
    assert "password" not in (event.after or {}) and new not in str(event.after)
    assert client.get("/home/").status_code == 302  # still logged in after the change


@pytest.mark.django_db
def test_inactive_user_cannot_log_in(world: World) -> None:
    user = world.users[Role.UNIT]
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert login(Client(), user.username, PASSWORD) == 200


@pytest.mark.django_db
def test_createsuperuser_makes_an_audited_district_admin(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ARGON2
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Very-Secret-2026")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN and user.town_id is None and user.is_superuser
    assert user.check_password("Very-Secret-2026") and user.password.startswith("argon2")
    assert AuditEvent.objects.filter(verb="user.create", target_id=str(user.pk)).exists()
