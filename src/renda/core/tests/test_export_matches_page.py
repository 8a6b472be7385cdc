"""导出 Excel exports exactly the rows on screen, for every Resource list (found in the URL
table, not listed by hand): under several filters, searches and sorts, the workbook behind the
page's export link — on a full page and after an HTMX redraw — holds the page's rows in the
page's order, and as many rows as the page says it has.

Built on one ``renda demo`` run (every list has rows), read by the demo's town staff, the
district viewer and the administrator. The background export of a
large suggestions list: ``test_export_background.py``."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.accounts.models import User
from renda.core.crud import PAGE_SIZES, Resource

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "list-table"}
PER_PAGE = str(PAGE_SIZES[-1])
#: A one-town user, and a district-wide one: the district viewer, or the administrator for the
#: lists the viewer may not export (users).
LOGINS = ("staff", "district")
#: Options tried per filter field (a district-wide user's grid filter has hundreds).
CHOICES_PER_FIELD = 2


def registered_resources() -> dict[str, Resource]:
    """Every Resource whose list page is in the URL table (each app mounts its own)."""
    found: dict[str, Resource] = {}

    def walk(patterns: list[Any]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
                continue
            view = p.callback
            while view is not None:
                owner = getattr(view, "__self__", None)
                if isinstance(owner, Resource):
                    if getattr(view, "__name__", "") == "list_view":
                        found[owner.name] = owner
                    break
                view = getattr(view, "__wrapped__", None)

    walk(get_resolver().url_patterns)
    return found


RESOURCES = registered_resources()


def test_the_lists_are_found_in_the_url_table() -> None:
    # The suggestions and petitions lists, with their own exports, are Resource lists too.
    assert {"suggestions", "petitions", "risks", "units", "deputies", "users", "grid_work"} <= set(RESOURCES)


class _Rows(HTMLParser):
    """The list table's body rows as ``{column label: cell text}``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._in_body = False
        self._label: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append({})
        elif self._in_body and tag == "td":
            self._label = dict(attrs).get("data-label") or ""
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._label is not None:
            self.rows[-1][self._label] = " ".join("".join(self._text).split())
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self._text.append(data)


def page_rows(body: str, client: Client | None = None) -> tuple[list[dict[str, str]], int]:
    """The rows a list page shows and its total (a search's, read after the page, through the URL
    the page asks it from: ``client`` given)."""
    parser = _Rows()
    parser.feed(body)
    later = count_url(body)
    if later and client is not None:
        body = client.get(later).content.decode()
    total = re.search(r"共 (\d+)\+? 条", body)
    return parser.rows, int(total[1]) if total else 0


def count_url(body: str) -> str | None:
    """The URL a list page asks its total from when it shows its rows first (``?count=1``)."""
    later = re.search(r'hx-get="([^"]*count=1)"', body)
    return html.unescape(later[1]) if later else None


def export_href(body: str) -> str | None:
    """The export link's query, or None when this user may not export the list."""
    span = re.search(r'<span id="export-link"[^>]*>(.*?)</span>', body, re.S)
    assert span, "the page has no export link slot"
    link = re.search(r'href="([^"]*)"', span[1])
    return html.unescape(link[1]) if link else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return " ".join(str(value).split())


def exported_rows(client: Client, url: str, href: str) -> list[dict[str, str]]:
    response = client.get(url + href)
    assert response.status_code == 200, (url + href, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), "not exported at once"
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [{str(h): _text(v) for h, v in zip(header, row, strict=True)} for row in rows]


def combos(resource: Resource, user: User, first_row: dict[str, str]) -> Iterator[dict[str, str]]:
    """Filters, searches and sorts to try: each filter field's first options, a search for the
    first row's title, every sortable column both ways, and all of it at once."""
    yield {}
    form = resource.filter_form(user=user)
    chosen: dict[str, str] = {}
    today = timezone.localdate()
    for name, f in form.fields.items():
        if f.disabled:
            continue
        if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
            values = [str(v) for v, _label in f.choices if str(v)][:CHOICES_PER_FIELD]
            for v in values:
                yield {name: v}
            if values:
                chosen[name] = values[-1]
        elif isinstance(f, forms.DateField):
            day = today - dt.timedelta(days=60 if name.endswith("from") else 10)
            yield {name: day.isoformat()}
    words = [v for v in first_row.values() if len(v) >= 2]
    q = ""
    if resource.search_fields or type(resource).filtered is not Resource.filtered:
        link = next((first_row.get(str(c.label), "") for c in resource.columns if c.link), "")
        q = (link or (words[0] if words else ""))[:4]
        if q:
            yield {"q": q}
    sorts = [c.sort for c in resource.columns if c.sort]
    for i, s in enumerate(sorts):
        if i == 0:
            yield {"sort": s}
        yield {"sort": "-" + s}
    everything = dict(list(chosen.items())[:1])
    if q:
        everything["q"] = q[:1]
    if sorts:
        everything["sort"] = "-" + sorts[-1]
    yield everything


@pytest.fixture(scope="module")
def demo_built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One demo build for the module, rolled back at its end."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _check(client: Client, url: str, params: dict[str, str], *, full_page: bool = False,
           ) -> tuple[list[dict[str, str]], int]:
    """The page's rows under ``params`` equal the export's, after an HTMX redraw (as the filter
    form asks for them) and, with ``full_page``, on the page loaded from its URL."""
    query = {**params, "per_page": PER_PAGE}
    redrawn = client.get(url, query, **HTMX)
    assert redrawn.status_code == 200, (url, params)
    rows, total = page_rows(redrawn.content.decode(), client)
    bodies = [redrawn.content.decode()]
    if full_page:
        full = client.get(url, query)
        assert full.status_code == 200, (url, params)
        assert page_rows(full.content.decode(), client) == (rows, total), (url, params)
        bodies.append(full.content.decode())
    for body in bodies:
        href = export_href(body)
        assert href is not None
        exported = exported_rows(client, url, href)
        assert len(exported) == total, (url, params, href, len(exported), total)
        shown = exported[: len(rows)]
        for on_page, in_export in zip(rows, shown, strict=True):
            common = set(on_page) & set(in_export)
            assert common, (url, "no column in common")
            assert {k: on_page[k] for k in common} == {k: in_export[k] for k in common}, (url, params, href)
    return rows, total


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_built")
@pytest.mark.parametrize("login", LOGINS)
@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_the_export_holds_the_rows_on_screen(client: Client, name: str, login: str) -> None:
    resource = RESOURCES[name]
    user = User.objects.get(username=login)
    if login == "district" and not resource.can(user, "export", None):
        user = User.objects.get(username="admin")
    assert resource.can(user, "list", None) and resource.can(user, "export", None), (name, user)
    client.force_login(user)
    url = reverse(f"{name}:list")
    base_rows, base_total = _check(client, url, {}, full_page=True)
    narrowed = False
    tried = list(combos(resource, user, base_rows[0] if base_rows else {}))
    for params in tried:
        rows, total = _check(client, url, params, full_page=params is tried[-1])
        narrowed = narrowed or total < base_total or rows != base_rows
    # The filters tried did change the rows: the test compares something.
    assert narrowed or base_total < 2, f"no filter, search or sort changed the rows of {name}"

