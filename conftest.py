"""Fixtures shared by every test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from tests.support import World

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Argon2 at production cost takes ~0.4 s a password; tests that are about hashing
    switch back with ``settings.PASSWORD_HASHERS = ARGON2``."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings: object) -> None:
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test its own audit checkpoint file: a checkpoint written by one test's database
    (``renda backup``, ``renda audit checkpoint``) must not be checked against another's."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "audit_checkpoints"  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def shared_world(django_db_setup: None, django_db_blocker: object) -> Iterator[World]:
    """One World per test module for read-only matrices: built once inside a transaction
    that is rolled back when the module ends; each test still runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        w = World()
        yield w
        transaction.set_rollback(True)
