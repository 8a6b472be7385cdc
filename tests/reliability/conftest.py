"""Fixtures of the reliability tests (see docs/testing or issue 5: generated policy, API
fuzzing, concurrency, crash, backup and injection tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings

from tests.reliability.samples import Sample, build_sample


@pytest.fixture(scope="module")
def sample(django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Sample]:
    """The seeded two-town world, built once per module and rolled back when it ends."""
    media: Path = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        sample = build_sample()
        files = sample.export_files()
        yield sample
        transaction.set_rollback(True)
    for f in files:
        f.unlink(missing_ok=True)
