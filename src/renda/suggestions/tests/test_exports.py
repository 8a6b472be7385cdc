"""The background export of the suggestions list (django-tasks, database back end) and the list
search through the trigram index: same rows as a plain ``icontains``, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from tests.support import PASSWORD, World

from renda.core.roles import Role
from renda.suggestions import exports, selectors, services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import public_item

D = dt.date(2024, 3, 1)


def _login(user: object) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return c


def _items(world: World) -> list[Suggestion]:
    titles = ["村口路灯不亮", "中心小学门口缺少红绿灯", "Road lights OUT on 主干道", "河道漂浮物多", "路灯维修"]
    return [public_item(world, on=D, grid=None, title=t) for t in titles]


@pytest.mark.django_db(transaction=True)
def test_large_export_runs_in_the_background(world: World, settings: object, tmp_path: object) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    _items(world)
    public_item(world, on=D, grid=None, title="别镇事项")  # same town; the other town's item is below
    services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public", title="他镇路灯",
                                 submitter_name="李四", on=D)
    staff = world.users[Role.STAFF]
    c = _login(staff)
    exports_limit = exports.SYNC_LIMIT
    try:
        exports.SYNC_LIMIT = 1  # every list here is "large"
        r = c.get(reverse("suggestions:list"), {"export": "xlsx", "q": "路灯"})
    finally:
        exports.SYNC_LIMIT = exports_limit
    assert r.status_code == 302
    status_url = r["Location"]
    # The page answers at once: the job waits for the worker.
    state = c.get(status_url, {"format": "json"}).json()
    assert state["status"] == "READY" and state["download"] is None
    page = c.get(status_url)
    assert page.status_code == 200 and "hx-trigger" in page.content.decode()
    # Another user (even of the same town) does not see the job.
    other = _login(world.users[Role.PRESIDIUM])
    assert other.get(status_url, {"format": "json"}).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    state = c.get(status_url, {"format": "json"}).json()
    assert state["status"] == "SUCCESSFUL" and state["rows"] == 2
    assert other.get(state["download"]).status_code == 404
    r = c.get(state["download"])
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    titles = sorted(row[1] for row in rows[1:])
    assert titles == ["村口路灯不亮", "路灯维修"]  # own town only, filtered by the search
    assert rows[0][0] == "编号"


@pytest.mark.django_db
def test_small_export_stays_synchronous(world: World) -> None:
    _items(world)
    r = _login(world.users[Role.STAFF]).get(reverse("suggestions:list"), {"export": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_unknown_job_is_404(world: World) -> None:
    c = _login(world.users[Role.STAFF])
    url = reverse("suggestions:export_status", args=["00000000-0000-0000-0000-000000000000"])
    assert c.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["路灯", "路灯不亮", "灯", "road", "LIGHTS out", "YJ2024", "主干道", "不存在的词语",
                               '"引号'])
def test_search_finds_what_icontains_finds(world: World, q: str) -> None:
    _items(world)
    qs = selectors.suggestions_visible_to(None)
    expected = set(qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(content__icontains=q))
                   .values_list("pk", flat=True))
    assert set(selectors.search(qs, q).values_list("pk", flat=True)) == expected
    # The same inside a subquery (where Django renames the tables) and joined to other tables.
    inner = selectors.search(qs, q).values("pk")
    assert set(Suggestion.objects.filter(pk__in=inner).values_list("pk", flat=True)) == expected
    assert set(selectors.search(qs.filter(town__is_active=True), q).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
def test_search_index_follows_edits(world: World) -> None:
    s = _items(world)[0]
    qs = selectors.suggestions_visible_to(None)
    assert list(selectors.search(qs, "村口路灯").values_list("pk", flat=True)) == [s.pk]
    Suggestion.objects.filter(pk=s.pk).update(title="桥头积水")  # the trigger keeps the index in step
    assert not selectors.search(qs, "村口路灯").exists()
    assert list(selectors.search(qs, "桥头积水").values_list("pk", flat=True)) == [s.pk]
