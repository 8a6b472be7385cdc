"""In Chromium: a 12345 hotline hands an item over through Open311 (a real form-encoded POST);
the office opens it on a phone and sees where it came from (来自 Open311 客户端 …); the public
GET answer tells its status in public wording."""

from __future__ import annotations

from typing import Any

import pytest

from renda.core.roles import Role
from renda.open311.services import client_create
from renda.suggestions.models import Suggestion
from renda.suggestions.services import suggestion_category_create
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_item_handed_over_through_open311(live_server: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url
    category = suggestion_category_create(actor=None, town=world.town, name="城乡建设")
    _client, key = client_create(actor=None, name="区12345热线")
    answer = phone_page.request.post(f"{base}/open311/v2/requests.json", form={
        "api_key": key, "jurisdiction_id": world.town.code, "service_code": str(category.pk),
        "attribute[village]": world.village.code, "address_string": "东湖村村口公交站旁",
        "lat": "31.861234", "long": "117.281234", "description": "村口三盏路灯不亮，晚上出行不便。",
        "last_name": "欧阳", "first_name": "小明", "phone": "13912345678",
        "media_url": "https://img.example.com/p/123.jpg"})
    assert answer.status == 200, answer.text()
    code = answer.json()[0]["service_request_id"]
    s = Suggestion.objects.get(code=code)

    log_in(phone_page, base, world.users[Role.STAFF].username)
    phone_page.goto(f"{base}/suggestions/{s.pk}/")
    see(phone_page, "来自 Open311 客户端 区12345热线")
    see(phone_page, "东湖村村口公交站旁")
    see(phone_page, "139****5678")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # the long media link wraps, the page does not scroll sideways
    shot(phone_page, "open311-suggestion-phone")

    public = phone_page.request.get(f"{base}/open311/v2/requests/{code}.json",
                                    params={"jurisdiction_id": world.town.code})
    row = public.json()[0]
    assert row["status"] == "open" and row["status_notes"] == "已受理，正在分办"
    assert "欧阳" not in public.text() and "13912345678" not in public.text()
