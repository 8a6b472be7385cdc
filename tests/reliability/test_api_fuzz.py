"""Schemathesis over /api/openapi.json: every operation, with generated valid and invalid
input, authenticated as the town office (bearer token) in the seeded two-town world, never
answers with a 5xx. Bounded so it runs in CI: a few examples per operation and mode."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reliability.samples import Sample

schemathesis = pytest.importorskip("schemathesis")

MAX_EXAMPLES = int(os.environ.get("RENDA_FUZZ_EXAMPLES", "6"))


def _run_operation(operation: Any, mode: Any, headers: dict[str, str]) -> list[str]:
    from schemathesis.checks import not_a_server_error

    failures: list[str] = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=[not_a_server_error], headers=headers)
        except (AssertionError, BaseExceptionGroup):  # schemathesis' FailureGroup: report, go on
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {response.status_code}"
                            f" for {case.as_curl_command(headers={'Authorization': '[token]'})}")

    run()
    return failures


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
def test_api_never_answers_5xx(sample: Sample) -> None:
    with wsgi_in_test_transaction() as app:
        fuzz(sample, app)


def fuzz(sample: Sample, app: Any) -> None:
    from schemathesis import GenerationMode

    headers = {"Authorization": f"Bearer {sample.tokens['staff']}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _run_operation(operation, mode, headers)
    assert operations > 20
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:20])
