"""The edge rule as a user meets it: a title of zero-width spaces only is refused on the
register page with a Chinese message, nothing registered."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from renda.suggestions.models import Suggestion
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_title_of_zero_width_spaces_is_refused(live_server: Any, page: Any) -> None:
    world = World()
    base = live_server.url
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/suggestions/new/")
    page.select_option("#id_kind", "deputy")
    page.select_option("#id_lead_deputy", str(world.deputy.pk))
    page.fill("#id_title", "\u200b\u200b\u200b")
    page.click("#register-form > button[type=submit]")
    page.wait_for_load_state("networkidle")
    see(page, "请填写标题")
    shot(page, "edge-rule-zero-width-title")
    assert not Suggestion.objects.exists()
