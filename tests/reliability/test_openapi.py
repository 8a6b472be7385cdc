"""The OpenAPI document (/api/openapi.json) says what the server does: every component name
stands for one definition (Ninja merges every operation's definitions by bare name, so two apps'
``RegisterIn`` or ``State`` silently overwrote each other and a generated client sent the wrong
body), every request body is its own app's schema (or a shared one of core), and a sample body
valid by the document is accepted by the server for every operation."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args
from urllib.parse import urlencode

import jsonschema_rs
import pytest
from django.test import Client
from django.utils import timezone
from ninja.openapi.schema import OpenAPISchema
from pydantic import BaseModel

from renda.api import api
from tests.reliability.samples import Sample

#: Schemas every app may use as they are (core's shared request bodies).
SHARED = {"RevealIn", "ReasonIn"}


def _operations() -> Iterator[tuple[str, Any]]:
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                if op.include_in_schema:
                    yield api.get_openapi_operation_id(op), op


def _body_class(op: Any) -> type[BaseModel] | None:
    for model in op.models:
        if getattr(model, "__ninja_param_source__", None) == "body":
            (field,) = model.model_fields.values()
            classes = [a for a in (get_args(field.annotation) or (field.annotation,)) if a is not type(None)]
            return classes[0]  # type: ignore[no-any-return]
    return None


def test_every_component_name_stands_for_one_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    add = OpenAPISchema.add_schema_definitions

    def recording(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            seen[name].add(json.dumps(definition, sort_keys=True, ensure_ascii=False))
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    schema = api.get_openapi_schema(path_prefix="/api/")
    clashes = {name: len(defs) for name, defs in seen.items() if len(defs) > 1}
    assert not clashes, f"one component name, several definitions (rename per app): {clashes}"
    assert set(seen) <= set(schema["components"]["schemas"])
    for must in ("PetitionRegisterIn", "RiskRegisterIn", "SuggestionRegisterIn", "PetitionsState", "SuggestionsState",
                 "PlacesLevel", "RisksLevel"):
        assert must in seen


def test_every_request_body_is_its_own_apps_schema() -> None:
    doc = api.get_openapi_schema(path_prefix="/api/")
    bodies = {op["operationId"]: op["requestBody"] for ops in doc["paths"].values() for op in ops.values()
              if "requestBody" in op}
    checked = 0
    for operation_id, op in _operations():
        cls = _body_class(op)
        if cls is None or operation_id not in bodies or "application/json" not in bodies[operation_id]["content"]:
            continue
        ref = json.dumps(bodies[operation_id]["content"]["application/json"]["schema"])
        assert f'"#/components/schemas/{cls.__name__}"' in ref, (operation_id, ref)
        app = op.view_func.__module__.split(".")[1]
        owner = cls.__module__.split(".")[1]
        assert owner == app or (owner == "core" and cls.__name__ in SHARED), (operation_id, cls)
        component = doc["components"]["schemas"][cls.__name__]
        assert component["title"] == cls.__name__ or component.get("title") == cls.model_json_schema()["title"]
        assert set(component.get("properties", {})) == {f.alias or n for n, f in cls.model_fields.items()}, operation_id
        checked += 1
    assert checked > 40


# -- a sample request per operation --------------------------------------------------------

TEXT = "测试样例说明文字"
#: A value for each pattern the document uses (an unknown pattern fails: add it here).
PATTERNS: dict[str, Any] = {r"^\d{4}-\d{2}$": lambda: timezone.localdate().strftime("%Y-%m"),
                            r"^\d{4}H[12]$": lambda: f"{timezone.localdate().year}H1"}


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value valid by ``schema``, built from it: required properties only, the first of each
    enum, today for a date, small numbers within the bounds."""
    schema = _resolve(schema, components)
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(s, components).get("type") != "null"]
            return example(options[0], components)
    kind = schema.get("type")
    if kind == "object":
        return {name: example(prop, components) for name, prop in schema.get("properties", {}).items()
                if name in schema.get("required", ())}
    if kind == "array":
        return [example(schema.get("items", {}), components) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(schema.get("minimum", 1), min(1, schema.get("maximum", 1)))
    if kind == "number":
        return max(schema.get("minimum", 1), min(1, schema.get("maximum", 1)))
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date":
            return timezone.localdate().isoformat()
        if schema.get("format") == "date-time":
            return timezone.now().isoformat()
        if "pattern" in schema:
            return PATTERNS[schema["pattern"]]()
        text = TEXT * (1 + schema.get("minLength", 0) // len(TEXT))
        return text[:schema.get("maxLength", len(text))]
    raise AssertionError(f"no example for {schema}")


def _validate(value: Any, schema: dict[str, Any], components: dict[str, Any], what: str) -> None:
    errors = [e.message for e in jsonschema_rs.validator_for({**schema, "components": {"schemas": components}})
              .iter_errors(value)]
    assert not errors, (what, value, errors)


@pytest.mark.django_db
def test_a_sample_request_valid_by_the_schema_is_not_refused_as_invalid(sample: Sample) -> None:
    """For every operation: a sample body and query built from the document, valid by it
    (checked with a JSON Schema validator), sent as the town office, is never a 422 — the
    server parses what the document describes (a 404, 403, 409 or 400 is about the records,
    the role or a business rule, not the request's shape)."""
    doc = Client().get("/api/openapi.json").json()
    components = doc["components"]["schemas"]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {sample.tokens['staff']}")
    tried = 0
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            params = {p["name"]: p for p in op.get("parameters", ())}
            url = path
            query: dict[str, Any] = {}
            for name, p in params.items():
                value = example(p["schema"], components)
                _validate(value, p["schema"], components, f"{op['operationId']} {name}")
                if p["in"] == "path":
                    url = url.replace("{" + name + "}", str(value))
                elif p["in"] == "query":
                    query[name] = value
            if query:
                url += "?" + urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in query.items()})
            content = op.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content:
                continue  # the upload: schemathesis sends it files (test_api_fuzz)
            kwargs: dict[str, Any] = {}
            if "application/json" in content:
                body_schema = content["application/json"]["schema"]
                body = example(body_schema, components)
                _validate(body, body_schema, components, op["operationId"])
                kwargs = {"data": json.dumps(body), "content_type": "application/json"}
            response = getattr(client, method)(url, **kwargs)
            assert response.status_code != 422, (op["operationId"], url, kwargs, response.content.decode())
            assert response.status_code < 500, (op["operationId"], url)
            tried += 1
    assert tried > 80
