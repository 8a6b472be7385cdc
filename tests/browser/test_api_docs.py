"""The offline API docs as an integrator sees them: each app's request schema under its own
name (issue #14 item 7: the petitions' register body used to show the risks' one)."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from tests.browser.conftest import ARTIFACTS, see
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_show_each_apps_own_register_schema(live_server: Any, page: Any) -> None:
    world = World()
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/api/docs")
    see(page, "renda API")
    block = page.locator('.opblock-post:has([data-path="/api/petitions"])').first
    block.locator(".opblock-summary").click()
    block.get_by_text("Schema", exact=True).first.click()
    see(page, "PetitionRegisterIn")
    see(page, "petitioners")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    block.screenshot(path=str(ARTIFACTS / "api-docs-petition-register.png"))
