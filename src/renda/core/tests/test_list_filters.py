"""List filters, search and sorting narrow what is shown and exported."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.support import World

from renda.core.roles import Role
from renda.people.services import deputy_deactivate


def names_in(client: Client, url: str) -> list[str]:
    response = client.get(url + ("&" if "?" in url else "?") + "export=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb.active
    return [str(r[0]) for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.django_db
def test_status_filter_search_and_sort(world: World, client: Client) -> None:
    staff = world.users[Role.STAFF]
    client.force_login(staff)
    deputy_deactivate(actor=staff, deputy_id=world.plain_deputy.pk, reason="调离")
    everyone = names_in(client, "/deputies/")
    assert world.plain_deputy.name in everyone and world.other_deputy.name not in everyone
    assert world.plain_deputy.name not in names_in(client, "/deputies/?status=active")
    assert names_in(client, "/deputies/?status=inactive") == [world.plain_deputy.name]
    assert names_in(client, f"/deputies/?q={world.deputy.name}") == [world.deputy.name]
    assert names_in(client, "/deputies/?presidium=1") == [world.presidium_deputy.name]
    ascending = names_in(client, "/deputies/?sort=name")
    assert names_in(client, "/deputies/?sort=-name") == list(reversed(ascending))
    # Users: the status filter applies there too.
    assert world.users[Role.UNIT].username in names_in(client, "/users/?status=active")
    assert names_in(client, "/users/?status=inactive") == []


@pytest.mark.django_db
def test_pagination_and_empty_state(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    body = client.get("/deputies/?q=不存在的名字").content.decode()
    assert "没有符合条件的记录" in body
    body = client.get("/deputies/?page=999").content.decode()
    assert "共 3 条" in body and "第 1–3 条" in body  # an out-of-range page shows the last page
