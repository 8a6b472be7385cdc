"""Junk in the query string is never a 500 (#14 item 6): every page a role may GET (from
``url_policy.POLICY``: a 200 for that role) is requested by the office staff and the district
viewer with junk values for every query parameter it reads — the common ones (page, per_page,
sort, q, state, date, town, month, year, tab, …) and every field name its own HTML carries
(the filter forms' fields).

The district viewer's run leaves out a page the office staff's run covers with the same fields
(the same view reading the same parameters; only the rows in scope differ): its own pages and
those whose HTML carries a field the staff's does not (the town filter) get the whole set."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.reliability.kwargs import sample_kwargs
from tests.reliability.samples import ROLES, Sample
from tests.reliability.url_policy import POLICY
from tests.reliability.urlwalk import routes

TESTERS = ("staff", "district_viewer")
COMMON = ("page", "per_page", "sort", "q", "state", "date", "town", "month", "year", "tab", "level",
          "kind", "format", "period", "start", "end", "category", "unit", "grid", "village", "title", "content")
#: Values a careless user or an attacker puts in a URL.
JUNK = ("abc", "-1", "0", "99999999999999999999", "1e400", "2026-13-45", "zzz", "a\x00b", "长" * 5000, "",
        "[]", "%", "../../etc/passwd", "-pk", "1.5")
#: The specific combinations of the issue.
SPECIFIC = ({"page": "abc"}, {"page": "-1"}, {"page": "99999999999999999999"}, {"per_page": "0"},
            {"per_page": "abc"}, {"sort": "nonsense"}, {"q": "a\x00b"}, {"q": "x" * 10000}, {"state": "zzz"},
            {"date": "2026-13-45"}, {"town": "abc"}, {"page": "2", "per_page": "100000"}, {"sort": "-password"},
            {"sort": "town__name"}, {"export": "csv"})
NAME = re.compile(r'\bname="([A-Za-z_][\w-]*)"')
SKIP_NAMES = {"csrfmiddlewaretoken", "next", "language", "export"}


def _pages(role: str) -> list[str]:
    i = ROLES.index(role)
    return sorted(r.name for r in routes()
                  if not r.api and r.name in POLICY and POLICY[r.name].own[i:i + 1] == "2")


def _names(html: str) -> set[str]:
    return {n for n in NAME.findall(html) if n not in SKIP_NAMES}


@pytest.mark.django_db
@pytest.mark.parametrize("role", TESTERS)
def test_junk_query_parameters_never_answer_5xx(sample: Sample, role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(sample.user(role))
    by_name = {r.name: r for r in routes()}
    failures: list[str] = []
    pages = _pages(role)
    assert "suggestions:list" in pages and "petitions:list" in pages, pages
    staff = None
    if role != TESTERS[0]:
        staff = Client(raise_request_exception=False)
        staff.force_login(sample.user(TESTERS[0]))
    staff_pages = set(_pages(TESTERS[0]))
    covered: list[str] = []
    for name in pages:
        route = by_name[name]
        kwargs = sample_kwargs(name, route.kwargs, sample, other=False)
        assert kwargs is not None, name
        url = reverse(name, kwargs=kwargs)
        first = client.get(url)
        assert first.status_code == 200, (name, first.status_code)
        html = first.content.decode() if first.get("Content-Type", "").startswith("text/html") else ""
        own = _names(html)
        if staff is not None and name in staff_pages:
            theirs = staff.get(url)
            if theirs.status_code == 200 and theirs.get("Content-Type", "") == first.get("Content-Type", "") and (
                    own <= _names(theirs.content.decode() if html else "")):
                covered.append(name)
                continue  # the staff's run sends these fields to this view already
        keys = sorted(set(COMMON) | own)
        queries = [dict.fromkeys(keys, v) for v in JUNK]
        queries += [dict(q) for q in SPECIFIC]
        # One junk field at a time: every field the page's own HTML carries (the common names it
        # does not carry are sent all at once above, and the usual ones one by one in SPECIFIC).
        # "2026-13-45" is neither a number, a date, a choice nor an id, so it stands for them all.
        queries += [{k: "2026-13-45"} for k in sorted(own)]
        for q in queries:
            response = client.get(f"{url}?{urlencode(q)}")
            if response.status_code >= 500:
                shown = {k: (v if len(v) < 30 else v[:10] + f"…({len(v)})") for k, v in q.items()}
                failures.append(f"{name} as {role}: GET {url} with {shown} → {response.status_code}")
                break
    assert not failures, "\n".join(failures)
    # The district viewer's run still covers pages of its own and the lists with its town filter.
    assert "suggestions:list" not in covered and "petitions:list" not in covered, covered


@pytest.mark.django_db
def test_a_bad_page_number_is_the_first_page_and_one_past_the_end_the_last(sample: Sample) -> None:
    client = Client()
    client.force_login(sample.user("staff"))
    url = reverse("suggestions:list")
    for junk in ("abc", "-1", "0", "1.5", "", "1e3"):
        response = client.get(url, {"page": junk})
        assert response.status_code == 200, junk
        assert response.context["page"].number == 1, junk
    response = client.get(url, {"page": "99999999999999999999"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == page.paginator.num_pages
