"""Every edit page saves its own initial data unchanged ("没有任何改动") and records a change
in the object's history — so disabled fields, choices and many-to-many fields round-trip."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.roles import Role


def form_data(html: str) -> dict[str, Any]:
    """The values a browser would submit from the page's main form."""
    form = html[html.index("<main"):]
    data: dict[str, Any] = {}
    for m in re.finditer(r"<input([^>]*)>", form):
        attrs = m.group(1)
        name = re.search(r'name="([^"]+)"', attrs)
        if not name or "disabled" in attrs:
            continue
        typ = re.search(r'type="([^"]+)"', attrs)
        value = re.search(r'value="([^"]*)"', attrs)
        if typ and typ.group(1) == "checkbox":
            if "checked" in attrs:
                data[name.group(1)] = "on"
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for m in re.finditer(r'<select name="([^"]+)"([^>]*)>(.*?)</select>', form, re.S):
        if "disabled" in m.group(2):
            continue
        selected = re.findall(r'<option value="([^"]*)"[^>]*selected', m.group(3))
        data[m.group(1)] = selected if "multiple" in m.group(2) else (selected[0] if selected else "")
    return data


EDITS = [
    ("villages", "village", "name", "改名村"),
    ("grids", "grid", "name", "改名网格"),
    ("grid-workers", "grid_worker", "name", "改名网格员"),
    ("units", "unit", "contact_person", "新联系人"),
    ("deputies", "plain_deputy", "constituency", "第五选区"),
    ("users", "extra_user", "display_name", "新姓名"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "attr", "field", "value"), EDITS)
def test_edit_round_trip(world: World, client: Client, resource: str, attr: str, field: str, value: str) -> None:
    client.force_login(world.users[Role.STAFF])
    obj = getattr(world, attr)
    url = f"/{resource}/{obj.pk}/edit/"
    data = form_data(client.get(url).content.decode())
    unchanged = client.post(url, data, follow=True)
    assert "没有任何改动" in unchanged.content.decode(), resource
    events = AuditEvent.objects.count()
    data[field] = value
    changed = client.post(url, data, follow=True)
    body = changed.content.decode()
    assert "已保存修改" in body and value in body, resource
    assert AuditEvent.objects.count() == events + 1


@pytest.mark.django_db
def test_town_edit_by_admin(world: World, client: Client) -> None:
    client.force_login(world.users[Role.ADMIN])
    url = f"/towns/{world.town.pk}/edit/"
    data = form_data(client.get(url).content.decode())
    assert "没有任何改动" in client.post(url, data, follow=True).content.decode()
