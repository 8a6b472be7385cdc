"""Schemathesis over /open311/v2/openapi.json (the Open311 GeoReport v2 endpoints, which are not
Ninja's): every operation, in JSON and XML, with generated valid and invalid input, never answers
with a 5xx, answers only the statuses, content types, headers and (JSON) bodies the document
declares, and rejects what it forbids — with every built-in check, as test_api_fuzz.py does for
/api/.

Valid cases are pointed at the seeded world's town (``jurisdiction_id``) and, for POST, carry a
real client's api_key, so they reach past the 400 (no jurisdiction) and 403 (no key) refusals;
invalid cases are sent as drawn. "Accepted" for a valid case: 2xx, or a refusal not about the
input's shape — 400 (a rule the document cannot say: a description with markup, no location …),
403, 404 (an unknown service or item) or 429."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from renda.open311 import services
from renda.suggestions.services import suggestion_category_create
from tests.reliability.samples import Sample
from tests.reliability.test_api_fuzz import _titles, wsgi_in_test_transaction

schemathesis = pytest.importorskip("schemathesis")

MAX_EXAMPLES = int(os.environ.get("RENDA_FUZZ_EXAMPLES", "3"))
ACCEPTED = ["2xx", "400", "403", "404", "429"]


def _aim(town_code: str, key: str) -> Any:
    def aim(case: Any) -> Any:
        case.query = {**(case.query or {}), "jurisdiction_id": town_code}
        if isinstance(case.body, dict):
            case.body = {**case.body, "api_key": key, "jurisdiction_id": town_code}
        return case

    return aim


def _run(operation: Any, mode: Any, aim: Any) -> list[str]:
    failures: list[str] = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        strategy = operation.as_strategy(generation_mode=mode)
        case = data.draw(strategy.map(aim) if mode.value == "positive" else strategy)
        response = case.call()
        try:
            case.validate_response(response)
        except (AssertionError, BaseExceptionGroup) as exc:
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {response.status_code}"
                            f" {_titles(exc)} {response.text[:300]!r} for {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        assert mode.value == "negative", operation.path  # nothing to make invalid (discovery has no input)
    return failures


@pytest.mark.django_db
def test_open311_conforms_to_its_document(sample: Sample) -> None:
    from schemathesis import GenerationMode
    from schemathesis.config._checks import PositiveDataAcceptanceConfig

    town = sample.world.town
    suggestion_category_create(actor=None, town=town, name="城乡建设（接口测试）")
    _client, key = services.client_create(actor=None, name="接口测试客户端")
    with wsgi_in_test_transaction() as app:
        schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", app)
        schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(expected_statuses=ACCEPTED)
        failures: list[str] = []
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                failures += _run(operation, mode, _aim(town.code, key))
    assert operations == 12
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
