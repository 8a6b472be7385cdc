"""QR codes (segno) of a station and of a deputy: they open the public landing page of the
station or deputy, which explains and links to the opinion form with the station or deputy
named (the public portal's opinion form, `portal:submit`)."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import segno
from django.http import HttpResponse
from django.urls import reverse


def register_url(*, station: Any = None, deputy: Any = None) -> str:
    """The public portal's opinion form (no login), with the station or deputy preselected: an
    opinion given through a deputy's code is told to that deputy (``portal``)."""
    params: dict[str, Any] = {}
    if station is not None:
        params["station"] = station.pk
    if deputy is not None:
        params["deputy"] = deputy.pk
    return f"{reverse('portal:submit')}?{urlencode(params)}"


def svg(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2)
    return out.getvalue()


def svg_response(url: str) -> HttpResponse:
    response = HttpResponse(svg(url), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response
