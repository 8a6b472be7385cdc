"""The policy test generated from the URL configuration: every named URL (pages and API) has
an entry in ``url_policy.POLICY``, and a GET by each role answers as the entry says — another
town's object is a 404, anonymous users go to the login page (pages) or get a 401 (API)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.reliability.kwargs import sample_kwargs
from tests.reliability.samples import ROLES, Sample
from tests.reliability.url_policy import CODES, POLICY, TODO
from tests.reliability.urlwalk import Route, routes


def test_every_url_has_a_policy_entry() -> None:
    names = {r.name: r for r in routes()}
    missing = sorted(n for n in names if n not in POLICY and n not in TODO)
    stale = sorted(n for n in POLICY if n not in names)
    problems = [f"URL without an entry in tests/reliability/url_policy.py: {n} ({names[n].route})"
                for n in missing]
    problems += [f"entry for a URL that no longer exists: {n}" for n in stale]
    assert not problems, "\n".join(problems)


def test_no_url_is_left_to_do() -> None:
    assert not TODO, "URLs still without a policy entry (TODO in url_policy.py):\n" + "\n".join(
        f"{n}: {why}" for n, why in sorted(TODO.items()))


def client_for(sample: Sample, role: str, route: Route) -> tuple[Client, dict[str, Any]]:
    c = Client(raise_request_exception=False)
    headers: dict[str, Any] = {}
    user = sample.user(role)
    if user is not None:
        if route.api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {sample.tokens[role]}"
        else:
            c.force_login(user)
    return c, headers


def check(sample: Sample, route: Route, expected: str, *, other: bool) -> list[str]:
    kwargs = sample_kwargs(route.name, route.kwargs, sample, other=other)
    if kwargs is None:
        return [f"{route.name}: no sample value for its arguments {route.kwargs} in tests/reliability/kwargs.py"]
    url = reverse(route.name, kwargs=kwargs)
    if len(expected) == len(ROLES) - 1:
        expected += "U" if route.api else "L"
    assert len(expected) == len(ROLES), (route.name, expected)
    errors = []
    for role, code in zip(ROLES, expected, strict=True):
        c, headers = client_for(sample, role, route)
        response = c.get(url, **headers)
        got = response.status_code
        ok = got == CODES[code]
        if ok and got == 302:
            to_login = response["Location"].startswith("/login/")
            ok = to_login if code == "L" else not to_login
        if not ok:
            where = response.get("Location", "") if got == 302 else ""
            errors.append(f"{route.name} {'other town' if other else 'own'} as {role}: GET {url} → {got} {where}"
                          f"(expected {CODES[code]}{' to login' if code == 'L' else ''})")
    return errors


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICY))
def test_url_policy(sample: Sample, name: str) -> None:
    route = next((r for r in routes() if r.name == name), None)
    assert route is not None, f"{name}: in url_policy.py but not in the URL configuration"
    entry = POLICY[name]
    errors = check(sample, route, entry.own, other=False)
    if route.kwargs:
        assert entry.other is not None, f"{name} takes {route.kwargs}: its entry needs an 'other town' row"
        errors += check(sample, route, entry.other, other=True)
    assert not errors, "\n".join(errors)
