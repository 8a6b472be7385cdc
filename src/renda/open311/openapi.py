"""The OpenAPI 3.1 document of the Open311 endpoints, served at /open311/v2/openapi.json so that
schemathesis can check the server against it (tests/reliability/test_open311_fuzz.py). Open311
is not mounted through Ninja (its two formats per resource, its form-encoded POST and its error
list do not fit Ninja's conventions); this document is written by hand from the same limits the
server checks (``protocol``), and the fuzz test holds the two together.

Only the JSON answers carry a schema; the XML answers are declared as ``text/xml`` (their
elements mirror the JSON by the Spark convention, ``render``)."""

from __future__ import annotations

from typing import Any

from renda.open311 import protocol

BASE = "/open311/v2"


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


SCHEMAS: dict[str, Any] = {
    "Open311Error": {
        "type": "object", "required": ["code", "description"], "additionalProperties": False,
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
    "Open311Errors": {"type": "array", "items": {"$ref": "#/components/schemas/Open311Error"}},
    "Open311Discovery": {
        "type": "object", "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
            "endpoints": {"type": "array", "items": {
                "type": "object", "required": ["specification", "url", "changeset", "type", "formats"],
                "properties": {"specification": {"type": "string"}, "url": {"type": "string"},
                               "changeset": {"type": "string"}, "type": {"enum": ["production", "test"]},
                               "formats": {"type": "array", "items": {"type": "string"}}}}},
        },
    },
    "Open311Service": {
        "type": "object", "additionalProperties": False,
        "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
        "properties": {
            "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
            "metadata": {"type": "boolean"}, "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string"}, "group": {"type": "string"},
        },
    },
    "Open311ServiceDefinition": {
        "type": "object", "required": ["service_code", "attributes"], "additionalProperties": False,
        "properties": {"service_code": {"type": "string"}, "attributes": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["variable", "code", "datatype", "required", "datatype_description", "order", "description",
                         "values"],
            "properties": {
                "variable": {"type": "boolean"}, "code": {"type": "string"},
                "datatype": {"enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]},
                "required": {"type": "boolean"}, "datatype_description": _nullable("string"),
                "order": {"type": "integer", "minimum": 1}, "description": {"type": "string"},
                "values": {"type": "array", "items": {
                    "type": "object", "required": ["key", "name"], "additionalProperties": False,
                    "properties": {"key": {"type": "string"}, "name": {"type": "string"}}}},
            }}}},
    },
    "Open311ServiceRequest": {
        "type": "object", "additionalProperties": False,
        "required": ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                     "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                     "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"],
        "properties": {
            "service_request_id": {"type": "string"}, "status": {"enum": ["open", "closed"]},
            "status_notes": _nullable("string"), "service_name": _nullable("string"),
            "service_code": _nullable("string"), "description": {"type": "string", "maxLength": 4000},
            "agency_responsible": _nullable("string"), "service_notice": _nullable("string"),
            "requested_datetime": {"type": "string"}, "updated_datetime": {"type": "string"},
            "expected_datetime": _nullable("string"), "address": _nullable("string"),
            "address_id": _nullable("string"), "zipcode": _nullable("string"), "lat": _nullable("number"),
            "long": _nullable("number"), "media_url": _nullable("string"),
        },
    },
    "Open311Received": {
        "type": "object", "additionalProperties": False,
        "required": ["service_request_id", "service_notice", "account_id"],
        "properties": {"service_request_id": {"type": "string"}, "service_notice": {"type": "string"},
                       "account_id": {"type": "null"}},
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(fmt: str, schema: dict[str, Any]) -> dict[str, Any]:
    if fmt == "json":
        return {"application/json": {"schema": schema}}
    return {"text/xml": {}}


def _responses(fmt: str, ok: dict[str, Any], *errors: int) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "OK", "content": _content(fmt, ok)}}
    for status in errors:
        response: dict[str, Any] = {"description": "Error", "content": _content(fmt, _ref("Open311Errors"))}
        if status == 429:
            response["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        out[str(status)] = response
    return out


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


JURISDICTION = _query("jurisdiction_id", {"type": "string", "maxLength": 40},
                      "The town's 12-digit region code; required when the instance serves several towns.")
LIST_FILTERS = [
    _query("service_request_id", {"type": "string", "pattern": protocol.REQUEST_ID_LIST},
           "Comma-delimited ids (编号); overrides the other filters."),
    _query("service_code", {"type": "string", "pattern": protocol.SERVICE_CODE_LIST}),
    _query("start_date", {"type": "string", "maxLength": 40}, "W3C datetime, e.g. 2023-03-01T00:00:00+08:00"),
    _query("end_date", {"type": "string", "maxLength": 40}, "W3C datetime; at most 90 days after start_date"),
    _query("status", {"type": "string", "pattern": protocol.STATUS_LIST}),
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100_000}),
    _query("page_size", {"type": "integer", "minimum": 1, "maximum": protocol.MAX_RESULTS}),
]
POST_BODY = {
    "type": "object", "required": ["api_key", "service_code"],
    "properties": {
        "api_key": {"type": "string", "maxLength": 200},
        "jurisdiction_id": {"type": "string", "maxLength": 40},
        "service_code": {"type": "string", "maxLength": 40},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {"type": "string", "maxLength": protocol.ADDRESS_MAX},
        "address_id": {"type": "string", "maxLength": 40},
        "email": {"type": "string", "maxLength": protocol.EMAIL_MAX},
        "device_id": {"type": "string", "maxLength": 200},
        "account_id": {"type": "string", "maxLength": 200},
        "first_name": {"type": "string", "maxLength": protocol.NAME_MAX},
        "last_name": {"type": "string", "maxLength": protocol.NAME_MAX},
        "phone": {"type": "string", "maxLength": 40},
        "description": {"type": "string", "maxLength": protocol.DESCRIPTION_MAX},
        "media_url": {"type": "string", "maxLength": protocol.MEDIA_URL_MAX},
        "attribute[village]": {"type": "string", "maxLength": 100},
        "attribute[no_unit_contact]": {"enum": ["yes", "no"]},
    },
}


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for fmt in ("json", "xml"):
        paths[f"{BASE}/discovery.{fmt}"] = {"get": {
            "operationId": f"open311_discovery_{fmt}", "responses": _responses(fmt, _ref("Open311Discovery"))}}
        paths[f"{BASE}/services.{fmt}"] = {"get": {
            "operationId": f"open311_services_{fmt}", "parameters": [JURISDICTION],
            "responses": _responses(fmt, {"type": "array", "items": _ref("Open311Service")}, 400, 404)}}
        paths[f"{BASE}/services/{{service_code}}.{fmt}"] = {"get": {
            "operationId": f"open311_service_definition_{fmt}",
            "parameters": [JURISDICTION, {"name": "service_code", "in": "path", "required": True,
                                          "schema": {"type": "string", "pattern": "^[0-9]{1,18}$"}}],
            "responses": _responses(fmt, _ref("Open311ServiceDefinition"), 400, 404)}}
        paths[f"{BASE}/requests.{fmt}"] = {
            "get": {"operationId": f"open311_requests_{fmt}", "parameters": [JURISDICTION, *LIST_FILTERS],
                    "responses": _responses(fmt, {"type": "array", "items": _ref("Open311ServiceRequest"),
                                                  "maxItems": protocol.MAX_RESULTS}, 400, 404)},
            "post": {"operationId": f"open311_post_request_{fmt}",
                     "requestBody": {"required": True,
                                     "content": {"application/x-www-form-urlencoded": {"schema": POST_BODY}}},
                     "responses": _responses(fmt, {"type": "array", "items": _ref("Open311Received"),
                                                   "minItems": 1, "maxItems": 1}, 400, 403, 404, 429)},
        }
        paths[f"{BASE}/requests/{{service_request_id}}.{fmt}"] = {"get": {
            "operationId": f"open311_request_{fmt}",
            "parameters": [JURISDICTION, {"name": "service_request_id", "in": "path", "required": True,
                                          "schema": {"type": "string", "pattern": "^[0-9A-Za-z_-]{1,30}$"}}],
            "responses": _responses(fmt, {"type": "array", "items": _ref("Open311ServiceRequest"),
                                          "minItems": 1, "maxItems": 1}, 400, 404)}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "renda Open311 GeoReport v2", "version": "v2",
                 "description": "GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for the town's public "
                                "suggestions (群众意见建议). See docs/open311.md."},
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
