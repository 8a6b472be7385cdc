"""Open311 test data built through the services, for this app's tests and the reliability tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.test import Client as HttpClient
from tests.support import World

from renda.open311 import services
from renda.open311.models import Client
from renda.suggestions.models import SuggestionCategory
from renda.suggestions.services import suggestion_category_create

BASE = "/open311/v2"
#: What a submitter gives that must never come back in a GET answer.
NAME_FIRST, NAME_LAST, PHONE = "小明", "欧阳", "13912345678"
EMAIL, MEDIA = "ouyang.xm@example.com", "https://img.example.com/p/123.jpg"
DESCRIPTION = "东湖村口路灯坏了三盏，晚上很黑。联系我：13912345678"
ADDRESS = "东湖村3组12号门口"


@dataclass
class Setup:
    world: World
    category: SuggestionCategory
    other_category: SuggestionCategory
    client: Client
    key: str


def make_setup(world: World) -> Setup:
    category = suggestion_category_create(actor=None, town=world.town, name="城乡建设")
    other_category = suggestion_category_create(actor=None, town=world.other_town, name="交通出行")
    client, key = services.client_create(actor=None, name="区12345热线")
    return Setup(world=world, category=category, other_category=other_category, client=client, key=key)


def form(setup: Setup, changes: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A complete, valid POST form for the World's town (every optional field given); ``changes``
    and ``overrides`` replace fields (None: leave the field out)."""
    w = setup.world
    data: dict[str, Any] = {
        "api_key": setup.key, "jurisdiction_id": w.town.code, "service_code": str(setup.category.pk),
        "lat": "31.123456", "long": "117.654321", "address_string": ADDRESS, "address_id": w.grid.code,
        "attribute[village]": w.village.code, "attribute[no_unit_contact]": "yes",
        "first_name": NAME_FIRST, "last_name": NAME_LAST, "phone": PHONE, "email": EMAIL,
        "device_id": "dev-1", "account_id": "acc-1", "description": DESCRIPTION, "media_url": MEDIA,
    }
    for key, value in {**(changes or {}), **overrides}.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def post(http: HttpClient, data: dict[str, Any], fmt: str = "json") -> Any:
    """POST requests form-encoded, as the specification has it."""
    return http.post(f"{BASE}/requests.{fmt}", urlencode(data, doseq=True),
                     content_type="application/x-www-form-urlencoded; charset=utf-8")


def xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def xml_records(root: ET.Element) -> list[dict[str, str | None]]:
    """The children of a list element as dicts of their (leaf) elements' text."""
    return [{child.tag: child.text for child in item} for item in root]


def errors(response: Any, fmt: str) -> list[dict[str, Any]]:
    if fmt == "xml":
        root = xml(response)
        assert root.tag == "errors"
        return [{"code": int(e.findtext("code") or 0), "description": e.findtext("description")}
                for e in root.findall("error")]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return list(response.json())
