"""The suggestions list exports more than ``SYNC_LIMIT`` rows in a background job; that export
too holds the rows on screen under a filter, a search and a sort, in the page's order. (A module
of its own: a transactional test must not share a module with the demo built once for a module.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.core.roles import Role
from renda.core.tests.test_export_matches_page import HTMX, export_href, exported_rows, page_rows
from renda.suggestions import exports, services


@pytest.mark.django_db(transaction=True)
def test_a_large_export_in_the_background_holds_the_rows_on_screen(settings: Any, tmp_path: Any) -> None:
    """Here every list counts as large."""
    settings.DATA_DIR = tmp_path
    world = World()
    staff = world.users[Role.STAFF]
    for i in range(6):
        s = services.suggestion_register(actor=staff, town=world.town, kind="public", title=f"路灯维修{i}号",
                                         source="visit", submitter_name="张三")
        if i % 2:
            services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit)
    services.suggestion_register(actor=staff, town=world.town, kind="public", title="河道清淤", source="visit",
                                 submitter_name="李四")
    client = Client()
    client.force_login(staff)
    url = reverse("suggestions:list")
    params = {"state": "assigned", "q": "路灯", "sort": "-code"}
    body = client.get(url, params, **HTMX).content.decode()
    rows, total = page_rows(body, client)
    assert total == 3 and len(rows) == 3
    href = export_href(body)
    assert href is not None
    limit = exports.SYNC_LIMIT
    try:
        exports.SYNC_LIMIT = 1
        started = client.get(url + href)
    finally:
        exports.SYNC_LIMIT = limit
    assert started.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    state = client.get(started["Location"], {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL", state
    exported = exported_rows(client, "", state["download"])
    assert [r["编号"] for r in exported] == [r["编号"] for r in rows]
    assert [r["标题"] for r in exported] == [r["标题"] for r in rows] == ["路灯维修5号", "路灯维修3号", "路灯维修1号"]
