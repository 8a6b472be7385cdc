"""Guards shared by the workflows (``core.workflow``)."""

from __future__ import annotations

import datetime as dt

import pytest

from renda.core.errors import InvalidInput
from renda.core.workflow import check_not_before
from renda.petitions import workflow as petitions_workflow
from renda.suggestions import workflow as suggestions_workflow

D = dt.date.fromisoformat


def test_check_not_before() -> None:
    check_not_before(on=D("2023-03-01"), earlier=D("2023-03-01"), what="登记")  # the same day is fine
    check_not_before(on=D("2023-03-01"), earlier=None, what="答复")  # no earlier step
    with pytest.raises(InvalidInput) as exc:
        check_not_before(on=D("2023-02-28"), earlier=D("2023-03-01"), what="登记")
    assert exc.value.message == "日期 2023-02-28 早于登记日期 2023-03-01"
    assert exc.value.fields == {"on": ["早于登记日期"]}


def test_the_workflows_use_the_one_guard() -> None:
    assert suggestions_workflow.check_not_before is check_not_before
    assert petitions_workflow.check_not_before is check_not_before
