"""What each GeoReport answer holds, field by field, as plain structures that ``render`` writes as
JSON or XML. A request is told in public wording only (``suggestions.public``): its status
open/closed from the workflow, its status_notes, a description made of its kind, category and
place — never anything a person typed (title, content, names, phones, e-mail, address, media
link) — the lead unit as agency_responsible and the deadline as expected_datetime."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.open311 import protocol, selectors
from renda.open311.selectors import Attribute
from renda.places.models import Region
from renda.suggestions import public
from renda.suggestions.models import Suggestion, SuggestionCategory

#: Coordinates are published to 3 decimals (about 100 m): where, not whose door.
PUBLISHED_PRECISION = Decimal("0.001")


def discovery(url: str, contact: str, key_service: str) -> dict[str, Any]:
    changeset = protocol.w3(protocol.CHANGESET)
    return {
        "changeset": changeset, "contact": contact, "key_service": key_service,
        "endpoints": [{"specification": protocol.SPECIFICATION, "url": url, "changeset": changeset,
                       "type": "production", "formats": list(protocol.DISCOVERY_FORMATS)}],
    }


def service(c: SuggestionCategory, town: Region, has_attributes: bool) -> dict[str, Any]:
    return {
        "service_code": selectors.service_code(c),
        "service_name": c.name,
        "description": _("{town}群众意见建议：{name}").format(town=town.name, name=c.name),
        "metadata": has_attributes,
        "type": "realtime",
        "keywords": c.name,
        "group": _("群众意见建议"),
    }


def attribute(a: Attribute) -> dict[str, Any]:
    return {
        "variable": a.variable, "code": a.code, "datatype": a.datatype, "required": a.required,
        "datatype_description": a.datatype_description or None, "order": a.order, "description": a.description,
        "values": [{"key": k, "name": n} for k, n in a.values],
    }


def service_definition(c: SuggestionCategory, attributes: list[Attribute]) -> dict[str, Any]:
    return {"service_code": selectors.service_code(c), "attributes": [attribute(a) for a in attributes]}


def received(s: Suggestion) -> dict[str, Any]:
    """The POST answer: the new item's id (realtime: no token) and what happens next."""
    return {
        "service_request_id": s.code,
        "service_notice": _("{label}。可凭编号 {code} 查询办理进展。").format(label=public.public_label(s),
                                                                   code=s.code),
        "account_id": None,
    }


def _requested(s: Suggestion) -> dt.datetime:
    """When the item was made: when it was received or entered, if that was its registration day,
    else (a back-dated registration, an imported ledger) the start of that day."""
    req = selectors.received(s)
    if req is not None:
        return req.received_at
    if timezone.localdate(s.created_at) == s.registered_at:
        return s.created_at
    return protocol.day_start(s.registered_at)


def _address(s: Suggestion) -> str:
    """From the most specific place to the most general, as the specification asks."""
    parts = [r.name for r in (s.grid, s.village, s.town) if r is not None]
    return "，".join(parts)


def _coordinate(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(PUBLISHED_PRECISION, rounding=ROUND_HALF_UP))


def request(s: Suggestion) -> dict[str, Any]:
    req = selectors.received(s)
    closed = public.is_closed(s)
    return {
        "service_request_id": s.code,
        "status": "closed" if closed else "open",
        "status_notes": public.public_notes(s),
        "service_name": s.category.name if s.category is not None else None,
        "service_code": str(s.category_id) if s.category_id else None,
        "description": public.public_description(s),
        "agency_responsible": s.lead_unit.name if s.lead_unit is not None else None,
        "service_notice": None,
        "requested_datetime": protocol.w3(_requested(s)),
        "updated_datetime": protocol.w3(s.updated_at),  # the close, for a closed item
        "expected_datetime": protocol.w3(protocol.day_end(s.deadline)) if s.deadline else None,
        "address": _address(s),
        "address_id": s.grid.code if s.grid is not None else None,
        "zipcode": None,
        "lat": _coordinate(req.lat) if req is not None else None,
        "long": _coordinate(req.long) if req is not None else None,
        "media_url": None,
    }
