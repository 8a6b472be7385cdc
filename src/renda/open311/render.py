"""The answers in the two formats of the specification, from one Python structure: JSON as it is
(``JsonResponse``, UTF-8 unescaped) and XML by the Spark convention the specification maps JSON
from — a list becomes an element per item, named after the list (``services`` → ``service``),
``None`` an empty element, a boolean ``true``/``false``. XML is built with ``xml.etree`` (every
text escaped; characters XML cannot hold dropped), never by string formatting."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

from renda.core.validators import strip_not_xml
from renda.open311.protocol import FORMATS, Open311Error

#: A list's name → the element name of each of its items.
ITEM = {
    "services": "service", "attributes": "attribute", "values": "value", "endpoints": "endpoint",
    "formats": "format", "service_requests": "request", "errors": "error",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return strip_not_xml(str(value))


def _put(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _put(node, key, child)
    elif isinstance(value, list):
        item = ITEM[name]
        for child in value:
            _put(node, item, child)
    else:
        node.text = _text(value)


def xml_bytes(root: str, data: Any) -> bytes:
    node = ET.Element(root)
    _fill(node, root, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(node, encoding="utf-8", xml_declaration=False)


def respond(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under the element ``root``."""
    if fmt == "xml":
        return HttpResponse(xml_bytes(root, data), status=status, content_type=FORMATS["xml"])
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=FORMATS["json"])


def error(fmt: str, exc: Open311Error, *, headers: dict[str, str] | None = None) -> HttpResponse:
    """The specification's error answer: a list of ``{code, description}``."""
    response = respond(fmt, "errors", [{"code": exc.status, "description": exc.description}], status=exc.status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response
