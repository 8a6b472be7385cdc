"""The shared abstract models (``core.models``): every timeline has the same columns, declared once."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Model

from renda.core.models import TimelineEntry
from renda.petitions.models import Transition as PetitionTransition
from renda.petitions.workflow import Action as PetitionAction
from renda.risks.models import RiskTransition
from renda.risks.workflow import Action as RiskAction
from renda.suggestions.models import Transition as SuggestionTransition
from renda.suggestions.workflow import Action as SuggestionAction

TIMELINES = {SuggestionTransition: SuggestionAction, PetitionTransition: PetitionAction, RiskTransition: RiskAction}
TIMELINE_COLUMNS = ["action", "from_state", "to_state", "actor", "actor_label", "on", "at", "comment"]


def _column(model: type[Model], name: str) -> tuple[object, ...]:
    f = model._meta.get_field(name)
    return (f.column, f.db_type(connection), f.null, f.blank, getattr(f, "max_length", None), str(f.verbose_name))


def test_every_timeline_has_the_same_columns() -> None:
    for model, actions in TIMELINES.items():
        assert issubclass(model, TimelineEntry) and not model._meta.abstract
        assert [_column(model, n) for n in TIMELINE_COLUMNS] == [
            _column(SuggestionTransition, n) for n in TIMELINE_COLUMNS
        ]
        # Each app's own choices: its workflow's actions.
        assert [v for v, _label in model._meta.get_field("action").choices] == [a.value for a in actions]
        (owner,) = [f for f in model._meta.fields if f.is_relation and f.name != "actor"]
        assert owner.remote_field.related_name == "transitions"


def test_a_timeline_row_reads_as_its_date_and_action() -> None:
    row = SuggestionTransition(action=SuggestionAction.ASSIGN, on=dt.date(2023, 3, 1))
    assert str(row) == "2023-03-01 交办"
