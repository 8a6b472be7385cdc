"""Every app has the same shape (issue 12): services name the acting user by one type, and a
record's workflow position has one name across apps."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parent.parent / "src" / "renda"
SERVICES = sorted(SRC.glob("*/services.py"))
#: The two services that may not take ``Actor``, and why.
NOT_ACTOR = {
    # audit is the floor below core: it names what it reads of an actor by its own protocol
    ("audit", "record"),
    # only the logged-in account itself changes its password: the concrete user, never the system
    ("accounts", "user_change_password"),
}


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.parent.name)
def test_every_service_takes_actor_as_actor(path: Path) -> None:
    untyped = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") \
                and (path.parent.name, node.name) not in NOT_ACTOR:
            for arg in node.args.kwonlyargs + node.args.args:
                if arg.arg == "actor" and (arg.annotation is None or ast.unparse(arg.annotation) != "Actor"):
                    untyped.append(f"{node.name}({arg.arg}: {ast.unparse(arg.annotation) if arg.annotation else ''})")
    assert not untyped, f"{path.parent.name}: {untyped}"


def test_services_were_found() -> None:
    assert {p.parent.name for p in SERVICES} >= {"suggestions", "petitions", "risks", "shifts", "places", "units"}


WORKFLOW_APPS = sorted(p.parent.name for p in SRC.glob("*/workflow.py") if p.parent.name != "core")


@pytest.mark.parametrize("app", WORKFLOW_APPS)
def test_a_workflow_position_is_called_state(app: str) -> None:
    """The model whose rows move through an app's state machine keeps the position in ``state``."""
    from importlib import import_module

    machine = getattr(import_module(f"renda.{app}.workflow"), "MACHINE", None)
    states = {str(s) for s in getattr(import_module(f"renda.{app}.workflow"), "State", [])}
    if machine is None and not states:
        pytest.skip(f"{app}: no state machine")
    holders = [
        m for m in apps.get_app_config(app).get_models()
        if any(getattr(f, "choices", None) and {str(c[0]) for c in f.choices} == states
               for f in m._meta.fields)
    ]
    assert holders, f"{app}: no model holds the workflow's states"
    for model in holders:
        names = [f.name for f in model._meta.fields
                 if getattr(f, "choices", None) and {str(c[0]) for c in f.choices} == states]
        assert names == ["state"] or set(names) <= {"state", "from_state", "to_state"}, (model, names)
