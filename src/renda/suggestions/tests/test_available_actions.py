"""``policy.available_actions`` is the one answer to "what may I do now", for pages and API alike,
including what the item's data rules out (a second reply only after B/C; extension decisions
only while a request is pending)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.suggestions import policy, services
from renda.suggestions.tests.helpers import D, assigned, public_item, replied
from renda.suggestions.workflow import Action

pytestmark = pytest.mark.django_db


def test_reply_again_only_after_b_or_c(world: World) -> None:
    unit = world.users[Role.UNIT]
    solved = replied(world, public_item(world, title="已解决"), reply_class="A")
    pending = replied(world, public_item(world, title="正在解决"), reply_class="B")
    assert Action.REPLY not in policy.available_actions(unit, solved)
    assert Action.REPLY in policy.available_actions(unit, pending)


def test_api_and_page_show_the_same_actions(world: World, client: Client) -> None:
    unit = world.users[Role.UNIT]
    item = replied(world, public_item(world), reply_class="A")
    client.force_login(unit)
    api_actions = client.get(f"/api/suggestions/{item.pk}").json()["allowed_actions"]
    assert api_actions == [a.value for a in policy.available_actions(unit, item)]
    assert "reply" not in api_actions
    page = client.get(f"/suggestions/{item.pk}/").content.decode()
    assert "/do/reply/" not in page


def test_extension_decisions_only_while_a_request_is_pending(world: World) -> None:
    staff, unit = world.users[Role.STAFF], world.users[Role.UNIT]
    item = assigned(world, public_item(world))
    services.suggestion_accept(actor=unit, suggestion_id=item.pk, on=D("2023-03-03"))
    item.refresh_from_db()
    assert Action.APPROVE_EXTENSION not in policy.available_actions(staff, item)
    assert Action.REQUEST_EXTENSION in policy.available_actions(unit, item)
    services.suggestion_request_extension(actor=unit, suggestion_id=item.pk, reason="需协调区直单位", days=15,
                                          on=D("2023-03-20"))
    item.refresh_from_db()
    assert Action.APPROVE_EXTENSION in policy.available_actions(staff, item)
    assert Action.REQUEST_EXTENSION not in policy.available_actions(unit, item)
