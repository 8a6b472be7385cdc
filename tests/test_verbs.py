"""Every audit verb the services of an app record has a label (``audit.verbs.describe`` gives
words, not the verb), and the apps declare their verbs on their ``AppConfig`` (``verbs``,
registered by ``RendaAppConfig.ready``) rather than registering them by hand."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps

from renda.audit.verbs import describe
from renda.core import plugins
from renda.core.privacy import REVEAL_VERB

VERB = re.compile(r"^[a-z_]+\.[a-z_]+$")
#: Actions of a workflow never recorded under the app's ``f"prefix.{action.value}"`` verb.
NOT_RECORDED = {
    "risk.reveal",  # risk_reveal records personal_data.reveal (core.privacy.record_reveal)
    "duty_assignment.exchange",  # 互换班次 records each person's row as duty_assignment.swap
}
#: The apps whose verbs are declared on their AppConfig (the organisation's are in audit.verbs).
DECLARING = ["calendar_days", "notifications", "shifts", "suggestions", "petitions", "risks", "duties", "liaison",
             "congress", "projects", "open311"]


def _verb_expressions(tree: ast.AST) -> Iterator[ast.expr]:
    """What a module passes as ``verb=…`` or assigns to a variable ``verb``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "verb":
            yield node.value
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "verb" for t in node.targets):
            yield node.value


def recorded_verbs() -> dict[str, str]:
    """verb → the label of the app whose ``services.py`` records it: string literals (both
    branches of a conditional) and ``f"prefix.{action.value}"`` for every action of the app's
    workflow (but ``NOT_RECORDED``)."""
    found: dict[str, str] = {}
    for app in plugins.renda_apps():
        path = Path(app.path) / "services.py"
        if not path.exists():
            continue
        for expr in _verb_expressions(ast.parse(path.read_text(encoding="utf-8"))):
            for node in ast.walk(expr):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and VERB.match(node.value):
                    found[node.value] = app.label
                elif isinstance(node, ast.JoinedStr):
                    prefix = node.values[0]
                    assert isinstance(prefix, ast.Constant) and len(node.values) == 2, ast.unparse(node)
                    actions = importlib.import_module(f"{app.name}.workflow").Action
                    for action in actions:
                        found[f"{prefix.value}{action.value}"] = app.label
    return found


def test_the_scan_finds_the_verbs_of_every_kind() -> None:
    found = recorded_verbs()
    for verb in ("unit.create", "calendar_day.delete", "duty_assignment.swap", "duty_assignment.reset",
                 "suggestion_category.activate", "suggestion.to_petition", "petition.attach", "risk.part",
                 "risk.start", "user.activate"):
        assert verb in found, verb
    assert set(found) >= NOT_RECORDED  # the exceptions still name real workflow actions


def test_every_recorded_verb_has_a_label() -> None:
    verbs = set(recorded_verbs()) - NOT_RECORDED | {REVEAL_VERB}
    unlabelled = sorted(v for v in verbs if describe(v) == v)
    assert unlabelled == []


def test_the_domain_apps_declare_their_verbs_on_their_app_config() -> None:
    found = recorded_verbs()
    for label in DECLARING:
        declared = apps.get_app_config(label).verbs
        recorded = {v for v, app in found.items() if app == label} - NOT_RECORDED
        assert recorded <= set(declared), (label, sorted(recorded - set(declared)))
        for verb, text in declared.items():
            assert describe(verb) == str(text)
