"""The export link of a Resource list follows the filters on screen, also after an HTMX redraw
(the list sends the link again, out of band), so the export is the rows on screen."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.support import World, make_unit

from renda.core.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}


def export_href(body: str) -> str:
    found = re.search(r'<span id="export-link"([^>]*)><a [^>]*href="([^"]*)"', body)
    assert found, "no export link"
    return html.unescape(found[2])


def exported_names(client: Client, href: str) -> set[str]:
    response = client.get("/units/" + href)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[arg-type]
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = header.index("名称")
    return {row[column] for row in rows}


@pytest.mark.django_db
def test_the_export_link_follows_an_htmx_filter(world: World, client: Client) -> None:
    make_unit(world.town, name="甲乡水利站")
    make_unit(world.town, name="乙乡供电所")
    client.force_login(world.users[Role.STAFF])

    first = client.get("/units/").content.decode()
    assert export_href(first) == "?export=xlsx"

    redrawn = client.get("/units/", {"q": "水利"}, **HTMX).content.decode()
    assert re.search(r'<span id="export-link" hx-swap-oob="true">', redrawn)
    href = export_href(redrawn)
    assert "q=" in href and href.endswith("export=xlsx")
    assert exported_names(client, href) == {"甲乡水利站"}
    assert {"甲乡水利站", "乙乡供电所"} <= exported_names(client, "?export=xlsx")


@pytest.mark.django_db
def test_a_full_page_does_not_send_the_link_out_of_band(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    body = client.get("/units/", {"q": "水利"}).content.decode()
    assert body.count('id="export-link"') == 1 and "hx-swap-oob" not in body.split('id="export-link"')[1][:30]


LISTS = ["towns", "villages", "grids", "grid_workers", "units", "suggestion_categories", "risks", "users",
         "grid_work", "petitions", "deputies", "contacts", "suggestions"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_every_resource_list_sends_an_export_link_with_its_search(world: World, client: Client, name: str) -> None:
    from django.urls import reverse

    client.force_login(world.users[Role.STAFF])
    response = client.get(reverse(f"{name}:list"), {"q": "水利", "page": "1"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<span id="export-link" hx-swap-oob="true">' in body
    if "<a " in body.split('id="export-link"')[1].split("</span>")[0]:  # the role may export this list
        href = export_href(body)
        assert "q=%E6%B0%B4%E5%88%A9" in href and "page=" not in href and href.endswith("export=xlsx")
