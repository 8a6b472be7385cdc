"""One signature for "the actions this user may take now": every workflow app's policy answers
``available_actions(user, obj) -> list[Action]``, built on its machine's ``allowed_actions``."""

from __future__ import annotations

import importlib
import inspect

import pytest


@pytest.mark.parametrize("app", ["suggestions", "petitions", "risks"])
def test_policy_has_available_actions(app: str) -> None:
    policy = importlib.import_module(f"renda.{app}.policy")
    workflow = importlib.import_module(f"renda.{app}.workflow")
    params = list(inspect.signature(policy.available_actions).parameters.values())
    assert [p.name for p in params][:1] == ["user"] and len(params) == 2
    assert all(p.kind == p.POSITIONAL_OR_KEYWORD for p in params)
    assert inspect.signature(policy.available_actions).return_annotation == "list[Action]"
    assert policy.Action is workflow.Action
