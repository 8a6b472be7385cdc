from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.core.roles import Role
from renda.reports import views
from renda.suggestions import services

pytestmark = pytest.mark.django_db
URL = "/reports/"
D = dt.date.fromisoformat


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "today", lambda: D("2023-08-01"))


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_url_name() -> None:
    assert reverse("reports:dashboard") == URL


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(("role", "status"), [
    (Role.STAFF, 200), (Role.PRESIDIUM, 200), (Role.DISTRICT_VIEWER, 200), (Role.ADMIN, 200),
    (Role.DEPUTY, 403), (Role.UNIT, 403), (Role.GRID_WORKER, 403),
])
def test_policy(world: World, role: str, status: int) -> None:
    assert login(world, role).get(URL).status_code == status


def _item(world: World, town_staff: object, town: object, unit: object, title: str) -> None:
    s = services.suggestion_register(actor=town_staff, town=town, kind="public", title=title, submitter_name="张三",
                                     on=D("2023-03-01"))
    services.suggestion_assign(actor=town_staff, suggestion_id=s.pk, lead_unit=unit, on=D("2023-03-02"))


def test_numbers_come_from_metrics_and_are_town_scoped(world: World) -> None:
    _item(world, world.users[Role.STAFF], world.town, world.unit, "本镇")
    _item(world, world.other_staff, world.other_town, world.other_unit, "外镇")
    response = login(world, Role.STAFF).get(URL, {"period": "2023H1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-key="received">1<' in html and 'data-key="assigned">1<' in html
    assert world.unit.name in html and world.other_unit.name not in html
    assert 'data-key="closure_rate">0.00%<' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert response.context["s"]["received"] == 1
    # a town user cannot widen the scope to another town
    assert login(world, Role.STAFF).get(URL, {"period": "2023H1", "town": world.other_town.code}) \
        .context["s"]["received"] == 1


def test_district_viewer_sees_the_district_and_one_town(world: World) -> None:
    _item(world, world.users[Role.STAFF], world.town, world.unit, "本镇")
    _item(world, world.other_staff, world.other_town, world.other_unit, "外镇")
    client = login(world, Role.DISTRICT_VIEWER)
    response = client.get(URL, {"period": "2023H1"})
    assert response.context["s"]["received"] == 2 and response.context["scope"].town is None
    months = {m["month"]: m["registered"] for m in response.context["months"]}
    assert months["2023-03"] == 2
    response = client.get(URL, {"period": "2023H1", "town": world.other_town.code})
    assert response.context["s"]["received"] == 1 and world.other_unit.name in response.content.decode()


def test_bad_period_shows_a_message(world: World) -> None:
    response = login(world, Role.STAFF).get(URL, {"period": "2023H7"})
    assert response.status_code == 200 and "格式不正确" in response.content.decode()
    assert response.context["period"].from_ == D("2023-01-01")


def test_empty_rates_show_a_dash(world: World) -> None:
    html = login(world, Role.STAFF).get(URL, {"period": "2023H1"}).content.decode()
    assert 'data-key="closure_rate">—<' in html
