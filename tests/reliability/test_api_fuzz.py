"""Schemathesis over /api/openapi.json with every built-in check (``--checks all``): every
operation, with generated valid and invalid input, authenticated as the town office (bearer
token) in the seeded two-town world, never answers with a 5xx, answers only the statuses,
content types, headers and bodies its schema declares, rejects input the schema forbids and
accepts input the schema allows.

"Accepts" means: 2xx, or a refusal that is not about the input's shape — 400 (a business rule
the schema cannot say: a phone number's digits, an ID number's check digit, a deputy suggestion
needs its lead deputy), 401/403/404, or 409 (the item's state or version). 422 means the input
does not fit the schema, so for a schema-valid request it is a disagreement between the
document and the server: a failure. The one rule relative to today (business dates ``on`` may
not be in the future) is kept by drawing valid dates up to today.

Bounded so it runs in the suite: a few examples per operation and mode
(``RENDA_FUZZ_EXAMPLES``, default 3); ``make fuzz`` runs it with 25."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reliability.samples import Sample

schemathesis = pytest.importorskip("schemathesis")

MAX_EXAMPLES = int(os.environ.get("RENDA_FUZZ_EXAMPLES", "3"))
#: What a schema-valid request may be answered with (see the module's docstring).
ACCEPTED = ["2xx", "400", "401", "403", "404", "409"]


def _up_to_today(case: Any) -> Any:
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("on"), str) and body["on"] > timezone.localdate().isoformat():
        case.body = {**body, "on": timezone.localdate().isoformat()}
    return case


def _run_operation(operation: Any, mode: Any, headers: dict[str, str]) -> list[str]:
    failures: list[str] = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        strategy = operation.as_strategy(generation_mode=mode)
        case = data.draw(strategy.map(_up_to_today) if mode.value == "positive" else strategy)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, headers=headers)  # every built-in check
        except (AssertionError, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup: report, go on
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {response.status_code}"
                            f" {_titles(exc)} {response.text[:300]!r}"
                            f" for {case.as_curl_command(headers={'Authorization': '[token]'})}")

    run()
    return failures


def _titles(exc: BaseException) -> str:
    inner = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    return "; ".join(str(getattr(e, "title", "") or e).splitlines()[0] for e in inner)


@contextmanager
def wsgi_in_test_transaction() -> Iterator[Any]:
    """The real WSGI app, minus the request signals that close the database connection (as
    Django's test client does), so its requests run inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_api_conforms_to_its_schema(sample: Sample) -> None:
    with wsgi_in_test_transaction() as app:
        fuzz(sample, app)


def fuzz(sample: Sample, app: Any) -> None:
    from schemathesis import GenerationMode
    from schemathesis.config._checks import PositiveDataAcceptanceConfig

    headers = {"Authorization": f"Bearer {sample.tokens['staff']}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(expected_statuses=ACCEPTED)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _run_operation(operation, mode, headers)
    assert operations > 20
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
