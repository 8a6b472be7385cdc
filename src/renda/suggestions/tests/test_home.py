"""A unit's home page lists the items waiting for it (to accept, to reply, overdue), only its own,
with an empty state and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.support import World, make_unit, make_user

from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import public_item

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    """The HTML of one queue of the work-list card."""
    m = re.search(rf'<section[^>]*data-queue="{key}".*?</section>', html, re.S)
    assert m, f"no section {key}"
    return m.group(0)


def count(html: str, key: str) -> int:
    m = re.search(r'data-count="(\d+)"', section(html, key))
    assert m
    return int(m.group(1))


def _item(world: World, title: str, *, on: dt.date, unit: object = None, accept: bool = False) -> Suggestion:
    s = public_item(world, title=title, on=on)
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=unit or world.unit, on=on)
    if accept:
        lead = unit or world.unit
        user = world.users[Role.UNIT] if lead == world.unit else make_user(Role.UNIT, world.town, unit=lead)
        services.suggestion_accept(actor=user, suggestion_id=s.pk, on=on)
    s.refresh_from_db()
    return s


def _home(client: Client, world: World) -> str:
    client.force_login(world.users[Role.UNIT])
    response = client.get(reverse("accounts:home_unit"))
    assert response.status_code == 200
    return response.content.decode()


def test_unit_home_lists_its_waiting_items(world: World, client: Client) -> None:
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=400)
    to_accept = _item(world, "待签收的路灯维修", on=today)
    to_reply = _item(world, "待答复的垃圾清运", on=today, accept=True)
    overdue = _item(world, "超期的河道清淤", on=long_ago, accept=True)
    neighbour = make_unit(world.town, name="镇农业服务中心")
    theirs = _item(world, "别的单位的渠道整修", on=today, unit=neighbour)
    not_assigned = public_item(world, title="尚未交办的桥梁加固", on=today)

    html = _home(client, world)
    card = html[html.index('id="unit-work"'):]
    assert to_accept.title in section(card, "to_accept") and to_accept.code in section(card, "to_accept")
    assert reverse("suggestions:detail", args=[to_accept.pk]) in section(card, "to_accept")
    assert to_reply.title in section(card, "handling") and to_accept.title not in section(card, "handling")
    assert overdue.title in section(card, "overdue") and "已超期" in section(card, "overdue")
    assert to_reply.title not in section(card, "overdue")
    assert (count(card, "to_accept"), count(card, "handling"), count(card, "overdue")) == (1, 2, 1)
    # another unit's items and items not yet assigned are not the unit's work
    assert theirs.title not in html and not_assigned.title not in html
    # each queue links to the whole of it
    assert f'{reverse("suggestions:inbox")}?tab=overdue' in section(card, "overdue")


def test_unit_home_says_when_nothing_waits(world: World, client: Client) -> None:
    html = _home(client, world)
    assert "没有待签收的事项。" in section(html, "to_accept")
    assert "没有待答复的事项。" in section(html, "handling")
    assert "没有超期的事项。" in section(html, "overdue")
    assert 'data-queue="co_handling"' not in html  # shown only when some opinion is missing


def test_unit_home_lists_the_first_few_and_links_to_all(world: World, client: Client) -> None:
    today = timezone.localdate()
    items = [_item(world, f"待签收事项{i:02d}", on=today) for i in range(7)]
    to_accept = section(_home(client, world), "to_accept")
    assert to_accept.count('class="worklist-item') == 5
    assert "查看全部 7 项" in to_accept
    assert items[0].title in to_accept and items[6].title not in to_accept  # oldest assignments first


def test_unit_home_queries_do_not_grow_with_the_items(world: World, client: Client) -> None:
    today = timezone.localdate()
    _item(world, "待签收", on=today)
    _item(world, "超期", on=today - dt.timedelta(days=400), accept=True)  # to reply and overdue
    _home(client, world)  # warm the caches (menu, sessions)
    with CaptureQueriesContext(connection) as few:
        _home(client, world)
    for i in range(8):
        _item(world, f"更多事项{i}", on=today - dt.timedelta(days=200 * (i % 2)), accept=bool(i % 2))
    with CaptureQueriesContext(connection) as many:
        _home(client, world)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
