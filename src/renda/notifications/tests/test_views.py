from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.support import PASSWORD, World

from renda.accounts.models import User
from renda.core.roles import Role
from renda.notifications import selectors, services
from renda.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def _send_to_all(world: World) -> dict[str, Notification]:
    out = {}
    for role, user in world.users.items():
        out[role] = services.notify(users=[user], verb="test", text=f"给{role}的通知", url="/")[0]
    return out


def test_anonymous_is_sent_to_login(db: None) -> None:
    response = Client().get(reverse("notifications:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_state(world: World) -> None:
    html = _client(world.users[Role.STAFF]).get(reverse("notifications:index")).content.decode()
    assert "暂无通知" in html


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_their_own(world: World, role: str) -> None:
    sent = _send_to_all(world)
    user = world.users[role]
    html = _client(user).get(reverse("notifications:index")).content.decode()
    assert f"给{role}的通知" in html
    for other in world.users:
        if other != role:
            assert f"给{other}的通知" not in html
    # Someone else's notification cannot be marked read, by URL: 404.
    other_role = Role.STAFF if role != Role.STAFF else Role.UNIT
    response = _client(user).post(reverse("notifications:read", args=[sent[other_role].pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=sent[other_role].pk).read_at is None


def test_mark_read_and_mark_all_read(world: World) -> None:
    user = world.users[Role.UNIT]
    a, b, c = (services.notify(users=[user], verb="t", text=f"通知{i}", url="")[0] for i in range(3))
    services.notify(users=[world.users[Role.STAFF]], verb="t", text="别人的", url="")
    client = _client(user)
    assert selectors.unread_count(user) == 3
    assert client.post(reverse("notifications:read", args=[a.pk])).status_code == 302
    assert selectors.unread_count(user) == 2
    assert client.get(reverse("notifications:read", args=[b.pk])).status_code == 405
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert selectors.unread_count(user) == 0 and selectors.unread_count(world.users[Role.STAFF]) == 1
    assert c.pk in {n.pk for n in selectors.notifications_for(user)}


def test_newest_first_and_paginated(world: World) -> None:
    user = world.users[Role.DEPUTY]
    for i in range(25):
        services.notify(users=[user], verb="t", text=f"第{i:02d}条", url="")
    client = _client(user)
    html = client.get(reverse("notifications:index")).content.decode()
    assert html.index("第24条") < html.index("第23条") and "第04条" not in html
    html2 = client.get(reverse("notifications:index") + "?page=2").content.decode()
    assert "第04条" in html2 and "第24条" not in html2


def test_notify_skips_duplicates_and_inactive(world: World) -> None:
    staff, unit = world.users[Role.STAFF], world.users[Role.UNIT]
    unit.is_active = False
    unit.save(update_fields=["is_active"])
    assert len(services.notify(users=[staff, staff, unit, None], verb="t", text="x", url="")) == 1


def test_badge_count_with_constant_queries(world: World) -> None:
    user = world.users[Role.STAFF]
    client = _client(user)
    url = reverse("accounts:home")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, follow=True).status_code == 200
        return len(ctx.captured_queries)

    services.notify(users=[user], verb="t", text="一", url="")
    first = queries()
    for _ in range(5):
        services.notify(users=[user], verb="t", text="多", url="")
    assert queries() == first
    html = client.get(url, follow=True).content.decode()
    assert 'id="nav-notifications"' in html and ">6</span>" in html
