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

import pytest
from ninja.openapi.schema import OpenAPISchema
from pydantic import BaseModel

from renda.api import api

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
