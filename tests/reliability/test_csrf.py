"""Every form needs its CSRF token: a POST to each form page of the URL policy table without
the token is a 403; with it, it is not. The API: a session-authenticated write without the
X-CSRFToken header is a 403; a bearer-token write needs no CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renda.accounts.services import api_token_create
from tests.reliability.kwargs import sample_kwargs
from tests.reliability.samples import ROLES, Sample
from tests.reliability.url_policy import POLICY
from tests.reliability.urlwalk import routes

FORMS = sorted(name for name, e in POLICY.items() if e.form)
PREFERRED = ("staff", "admin", "presidium", "district_viewer", "deputy", "unit", "grid_worker", "anonymous")


def _role_that_may(own: str) -> str | None:
    codes = dict(zip(ROLES, own + ("2" if len(own) == len(ROLES) else "L"), strict=False))
    return next((r for r in PREFERRED if codes.get(r) == "2"), None)


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_form_page_refuses_a_post_without_its_token(sample: Sample, name: str) -> None:
    route = next((r for r in routes() if r.name == name), None)
    assert route is not None, f"{name}: not in the URL configuration"
    role = _role_that_may(POLICY[name].own)
    assert role is not None, f"{name}: marked as a form page, but no role may open it"
    kwargs = sample_kwargs(name, route.kwargs, sample)
    assert kwargs is not None
    url = reverse(name, kwargs=kwargs)
    c = Client(enforce_csrf_checks=True, raise_request_exception=False)
    user = sample.user(role)
    if user is not None:
        c.force_login(user)
    without = c.post(url, {"name": "x"})
    assert without.status_code == 403, f"{name} as {role}: POST {url} without a CSRF token → {without.status_code}"
    page = c.get(url)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else c.cookies["csrftoken"].value
    with_token = c.post(url, {"csrfmiddlewaretoken": token, "name": "x"})
    assert with_token.status_code not in {403, 500}, (
        f"{name} as {role}: POST {url} with its CSRF token → {with_token.status_code}")


@pytest.mark.django_db
def test_api_session_writes_need_the_token_and_bearer_writes_do_not(sample: Sample) -> None:
    staff = sample.world.users["staff"]
    c = Client(enforce_csrf_checks=True)
    c.force_login(staff)
    refused = c.post("/api/tokens", {"name": "会话"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    c.get("/api/docs")  # sets the CSRF cookie, as the pages do
    token = c.cookies["csrftoken"].value
    ok = c.post("/api/tokens", {"name": "会话"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code in {200, 201}, ok.content

    # Minting tokens is for sessions only; a bearer write: revoking one of one's own tokens.
    spare, _raw = api_token_create(actor=None, user=staff, name="备用")
    bearer = Client(enforce_csrf_checks=True)
    ok = bearer.post(f"/api/tokens/{spare.pk}/revoke", content_type="application/json",
                     HTTP_AUTHORIZATION=f"Bearer {sample.tokens['staff']}")
    assert ok.status_code == 200, ok.content
