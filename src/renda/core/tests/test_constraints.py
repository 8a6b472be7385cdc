"""The Python evaluation of check constraints agrees with the database's on every model of the
project, over real objects and many variations of their fields (choices, NULLs, early and late
dates), so skipping the per-constraint query changes no outcome; its compiled form (lookups
resolved once per model) agrees with it, also when fields are excluded."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from tests.support import World

from renda.core.constraints import Unsupported, _compiled, _Skip, evaluate, validate_constraints
from renda.core.roles import Role
from renda.petitions.tests.helpers import petition
from renda.risks.tests.helpers import make_risk
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import deputy_item, public_item


def _models_with_checks() -> list[type[models.Model]]:
    return [m for m in apps.get_models()
            if any(isinstance(c, models.CheckConstraint) for c in m._meta.constraints)]


def _variants(obj: models.Model) -> list[models.Model]:
    out = [obj]
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        values: list[Any] = []
        if field.null:
            values.append(None)
        if field.choices:
            values += [c[0] for c in field.choices]
        if isinstance(field, models.DateTimeField):
            values += [dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2099, 1, 1, tzinfo=dt.UTC)]
        elif isinstance(field, models.DateField):
            values += [dt.date(2000, 1, 1), dt.date(2099, 1, 1)]
        elif isinstance(field, models.BooleanField):
            values += [True, False]
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            values += [""]
        for v in values:
            o = copy.copy(obj)
            setattr(o, field.attname, v)
            out.append(o)
    return out


@pytest.mark.django_db
def test_python_and_database_agree_on_every_check_constraint(world: World) -> None:
    public_item(world)
    deputy_item(world)
    petition(world)
    make_risk(world)
    assert world.users[Role.STAFF]
    compared = 0
    for model in _models_with_checks():
        for obj in model._default_manager.all()[:3]:
            for variant in _variants(obj):
                against = variant._get_field_expression_map(meta=model._meta)
                for c in model._meta.constraints:
                    if not isinstance(c, models.CheckConstraint):
                        continue
                    try:
                        mine = evaluate(Q(c.condition), variant, set())
                    except Unsupported:
                        continue
                    db = Q(c.condition).check(against)
                    assert (mine is not False) == db, (model.__name__, c.name, mine, db)
                    run = _compiled(model, c)
                    assert run is not None and run(variant, set()) == mine, (model.__name__, c.name)
                    compared += 1
    assert compared > 500


@pytest.mark.django_db
def test_the_compiled_form_skips_what_evaluate_skips(world: World) -> None:
    s = public_item(world)
    for c in Suggestion._meta.constraints:
        if not isinstance(c, models.CheckConstraint):
            continue
        run = _compiled(Suggestion, c)
        assert run is not None
        for field in ("state", "assigned_at", "registered_at", "lead_deputy"):
            outcomes = []
            for check in (lambda: evaluate(Q(c.condition), s, {field}), lambda: run(s, {field})):
                try:
                    outcomes.append(check())
                except _Skip:
                    outcomes.append("skip")
            assert outcomes[0] == outcomes[1], (c.name, field)


@pytest.mark.django_db
def test_validate_constraints_reports_the_constraints_message(world: World) -> None:
    s = public_item(world)
    s.state = "merged"  # without a target: suggestion_merged_has_target
    with pytest.raises(Exception) as exc:
        validate_constraints(s)
    assert "suggestion_merged_has_target" in str(exc.value) or "merged" in str(exc.value)
    s.state = "registered"
    validate_constraints(s)  # fine again
