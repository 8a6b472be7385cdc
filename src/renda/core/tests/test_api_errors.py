"""The API as a whole: one error shape, the OpenAPI schema, the offline docs page."""

import itertools
import json
import re
from typing import Any

import pytest
from django.test import Client
from tests import support as testing
from tests.support import World

from renda.core.roles import Role

ERROR_KEYS = {"code", "message", "fields"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(testing, "_seq", itertools.count(1))


@pytest.fixture
def staff_client(world: World) -> Client:
    c = Client()
    c.force_login(world.users[Role.STAFF])
    return c


def post(c: Client, url: str, body: Any) -> Any:
    return c.post(url, data=json.dumps(body), content_type="application/json")


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code and body["message"] and isinstance(body["fields"], dict)
    return body


def test_error_shapes(world: World, staff_client: Client) -> None:
    c = staff_client
    assert_error(Client().get("/api/regions"), 401, "unauthorized")
    assert_error(c.get(f"/api/regions/{world.other_village.pk}"), 404, "not_found")
    assert_error(c.get("/api/regions/999999"), 404, "not_found")
    assert_error(c.get("/api/no-such-thing"), 404, "not_found")
    assert_error(c.get("/api/regions/not-a-number"), 404, "not_found")
    assert_error(c.get("/api/regions/1%0A"), 404, "not_found")  # a newline in the path: JSON too, not the 404 page
    assert_error(c.post("/api/units/%0A/deactivate"), 404, "not_found")
    deputy = Client()
    deputy.force_login(world.users[Role.DEPUTY])
    assert_error(deputy.get("/api/regions"), 403, "forbidden")
    presidium = Client()
    presidium.force_login(world.users[Role.PRESIDIUM])
    assert_error(presidium.patch(f"/api/units/{world.unit.pk}", data="{}", content_type="application/json"),
                 403, "forbidden")
    body = assert_error(post(c, "/api/units", {"kind": "nonsense", "contact_phone": 5}), 422, "invalid")
    assert {"name", "kind", "contact_phone"} <= set(body["fields"])
    assert all(isinstance(m, list) and m for m in body["fields"].values())
    body = assert_error(c.get("/api/deputies?is_presidium=maybe&limit=1000"), 422, "invalid")
    assert {"is_presidium", "limit"} <= set(body["fields"])
    body = assert_error(post(c, "/api/units", {"name": world.unit.name, "kind": "other"}), 400, "invalid")
    assert body["fields"] == {"name": ["已存在"]}
    assert_error(c.post("/api/units", data="{not json", content_type="application/json"), 400, "bad_request")
    foreign_grid = {"name": "甲", "phone": "13900000001", "kind": "full_time",
                    "grid_ids": [world.other_grid.pk]}
    body = assert_error(post(c, "/api/grid-workers", foreign_grid), 404, "not_found")
    assert "grid_ids" in body["fields"]


def test_openapi_lists_every_path_with_chinese_descriptions(client: Client) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    paths = set(schema["paths"])
    for base in ("regions", "grid-workers", "units", "deputies", "contact-assignments"):
        ident = {"regions": "region_id", "grid-workers": "worker_id", "units": "unit_id",
                 "deputies": "deputy_id", "contact-assignments": "assignment_id"}[base]
        assert {f"/api/{base}", f"/api/{base}/{{{ident}}}", f"/api/{base}/{{{ident}}}/deactivate",
                f"/api/{base}/{{{ident}}}/activate"} <= paths
        assert {"get", "post"} <= set(schema["paths"][f"/api/{base}"])
    for base, ident in (("regions", "region_id"), ("grid-workers", "worker_id"), ("units", "unit_id"),
                        ("deputies", "deputy_id")):
        assert "patch" in schema["paths"][f"/api/{base}/{{{ident}}}"]
    assert {"/api/me", "/api/tokens", "/api/tokens/{token_id}/revoke"} <= paths
    assert not any("docs" in p or "rest" in p for p in paths)
    components = schema["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == ERROR_KEYS
    assert components["RegionIn"]["properties"]["code"]["description"].startswith("区划代码")
    security = schema["components"]["securitySchemes"]
    assert security["TokenAuth"]["scheme"] == "bearer"
    paged = schema["paths"]["/api/deputies"]["get"]
    assert {"limit", "offset", "level", "is_presidium", "village_id", "grid_id", "is_active", "q"} <= {
        p["name"] for p in paged["parameters"]}


def test_docs_are_served_without_a_cdn(client: Client) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/api/docs/") for a in assets), assets
    assert "cdn" not in html.lower() and "http" not in html.lower()
    for url in assets:
        r = client.get(url)
        assert r.status_code == 200 and len(r.content) > 100
    assert client.get("/api/docs/other.js").status_code == 404
