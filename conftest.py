"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest

from renda.core.testing import World


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
