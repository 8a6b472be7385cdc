"""Details of the role home pages: the office's shortcuts, the top bar's user menu."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.core.roles import Role

pytestmark = pytest.mark.django_db


def test_office_shortcuts_include_registering_a_petition(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    html = client.get(reverse("accounts:home_office")).content.decode()
    shortcuts = html[html.index("常用操作"):]
    assert f'href="{reverse("petitions:create")}" id="shortcut-petition">登记信访件<' in shortcuts


def test_top_bar_names_the_role_once(world: World, client: Client) -> None:
    admin = world.users[Role.ADMIN]
    admin.display_name = "系统管理员"  # the demo's administrator is called by the role's name
    admin.save(update_fields=["display_name"])
    client.force_login(admin)
    html = client.get(reverse("accounts:home_admin")).content.decode()
    assert '系统管理员</span><span class="d-none d-xxl-inline"></span></a>' in html

    staff = world.users[Role.STAFF]
    staff.display_name = "王小明"
    staff.save(update_fields=["display_name"])
    client.force_login(staff)
    html = client.get(reverse("accounts:home_office")).content.decode()
    # the role and the town: beside the name on wide screens, and in the menu's header always
    assert f'王小明</span><span class="d-none d-xxl-inline"> · 人大办工作人员 · {world.town.name}</span>' in html
    # a long name is cut short on the bar (CSS), whole in its title
    assert '<span class="nav-user-name" title="王小明">王小明</span>' in html
    assert f'id="nav-user-role">人大办工作人员 · {world.town.name}</h6>' in html
