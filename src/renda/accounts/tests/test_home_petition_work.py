from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.support import World

from renda.core.roles import Role
from renda.gridwork.tests.helpers import petition
from renda.petitions import services as petitions
from renda.risks.tests.helpers import make_risk
from renda.shifts import services as shifts


def _card(client: Client, url_name: str) -> str:
    page = client.get(reverse(url_name)).content.decode()
    start = page.find('id="petition-work"')
    return page[start:start + 4000] if start >= 0 else ""


@pytest.mark.django_db
def test_each_role_sees_its_petition_work(world: World, client: Client) -> None:
    today = timezone.localdate()
    staff = world.users[Role.STAFF]
    letter = petition(world, on=today)
    petitions.petition_route(actor=staff, petition_id=letter.pk, presidium_member=world.presidium_deputy, on=today)
    make_risk(world, on=today, level="high")
    day = today + dt.timedelta(days=3)
    shifts.shift_create(actor=staff, town=world.town, date=day, deputies=[world.deputy])

    client.force_login(staff)
    card = _card(client, "accounts:home_office")
    assert "待决定是否受理" in card and reverse("petitions:queue") in card and "未化解隐患" in card

    client.force_login(world.users[Role.PRESIDIUM])
    card = _card(client, "accounts:home_presidium")
    assert "待阅批来信" in card and reverse("petitions:instructions") in card

    client.force_login(world.users[Role.DEPUTY])
    card = _card(client, "accounts:home_deputy")
    assert "我的信访值班" in card and day.strftime("%m-%d") in card and "待决定是否受理" not in card

    # The grid worker's risks are listed in their work-list card (gridwork/tests/test_home.py).
    client.force_login(world.users[Role.GRID_WORKER])
    assert _card(client, "accounts:home_grid") == ""

    client.force_login(world.users[Role.UNIT])
    assert _card(client, "accounts:home_unit") == ""
