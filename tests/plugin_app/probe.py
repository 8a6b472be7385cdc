"""Run by tests/test_plugins.py under tests.plugin_app.settings (not collected otherwise): the
probe app, registered only in INSTALLED_APPS, shows up everywhere an app contributes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from renda.api import api
from renda.audit.verbs import describe
from tests.support import World

pytestmark = pytest.mark.django_db


def test_the_url_table() -> None:
    assert reverse("plugin_probe:index") == "/plugin-probe/"


def test_the_page_answers(world: World, client) -> None:
    client.force_login(world.users["staff"])
    assert "插件探针页面" in client.get("/plugin-probe/").content.decode()


def test_the_api_schema_and_the_router(world: World, client) -> None:
    assert "/api/plugin-probe/ping" in api.get_openapi_schema()["paths"]
    client.force_login(world.users["staff"])
    assert client.get("/api/plugin-probe/ping").json() == {"pong": "探针"}


def test_the_audit_verbs() -> None:
    assert describe("plugin_probe.poke") == "探针戳了一下"


def test_the_stats_json(world: World) -> None:
    out = io.StringIO()
    call_command("stats", period="2023H1", format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["plugin_probe"] == {"towns": 2, "from": "2023-01-01"}
    assert list(data)[-1] == "plugin_probe"  # after the platform's sections (order 900)


def test_the_home_page_and_the_menu(world: World, client) -> None:
    client.force_login(world.users["staff"])
    page = client.get(reverse("accounts:home_office")).content.decode()
    assert "探针卡片：" in page and 'id="probe-card"' in page
    assert "探针菜单" in page
    client.force_login(world.users["unit"])  # a role the card is not for
    page = client.get(reverse("accounts:home_unit")).content.decode()
    assert "探针卡片" not in page and "探针菜单" in page
