"""Every link in a role's menu opens for that role (no menu entry leads to a 403 or 404)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.core.navigation import menu_for
from renda.core.roles import Role


def _urls(entries: list[dict[str, object]]) -> list[str]:
    out: list[str] = []
    for e in entries:
        if "children" in e:
            out += _urls(e["children"])  # type: ignore[arg-type]
        else:
            out.append(str(e["url"]))
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_menu_link_opens(shared_world: World, client: Client, role: Role) -> None:
    user = shared_world.users[role]
    client.force_login(user)
    urls = _urls(menu_for(user))
    assert urls
    for url in urls:
        assert client.get(url, follow=True).status_code == 200, url


def test_petition_entries_per_role(shared_world: World) -> None:
    names = {r: {e.get("name") for e in menu_for(shared_world.users[r])} | {
        c["name"] for e in menu_for(shared_world.users[r]) for c in e.get("children", [])} for r in Role}
    assert "petitions:create" in names[Role.GRID_WORKER] and "petitions:create" not in names[Role.UNIT]
    assert "petitions:list" not in names[Role.UNIT]
    assert "petitions:instructions" in names[Role.PRESIDIUM] and "petitions:queue" in names[Role.STAFF]
    assert "grid_work:list" in names[Role.DEPUTY] and "risks:list" in names[Role.GRID_WORKER]
