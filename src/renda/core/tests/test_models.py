"""The shared abstract models (``core.models``): every timeline and every attachment table has
the same columns, declared once."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from renda.core.models import AttachmentBase, AttachmentType, TimelineEntry, attachment_upload_to
from renda.petitions.models import Attachment as PetitionAttachment
from renda.petitions.models import Transition as PetitionTransition
from renda.petitions.workflow import Action as PetitionAction
from renda.risks.models import RiskTransition
from renda.risks.workflow import Action as RiskAction
from renda.suggestions.models import Attachment as SuggestionAttachment
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


def test_every_attachment_has_the_same_columns() -> None:
    names = [f.name for f in AttachmentBase._meta.fields]
    assert names == ["file", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    for model in (SuggestionAttachment, PetitionAttachment):
        assert [_column(model, n) for n in names] == [_column(SuggestionAttachment, n) for n in names]
    assert SuggestionAttachment._meta.get_field("content_type").choices == AttachmentType.choices
    assert (SuggestionAttachment.upload_prefix, PetitionAttachment.upload_prefix) == ("suggestions", "petitions")


def test_attachments_are_stored_under_a_random_name_of_their_type() -> None:
    month = f"{timezone.now():%Y/%m}"
    a = attachment_upload_to(SimpleNamespace(upload_prefix="petitions", content_type="image/jpeg"), "欧阳明远来信.png")
    b = attachment_upload_to(SimpleNamespace(upload_prefix="petitions", content_type="image/jpeg"), "欧阳明远来信.png")
    assert a.startswith(f"petitions/{month}/") and a.endswith(".jpg") and a != b and "欧阳" not in a
    assert attachment_upload_to(SimpleNamespace(upload_prefix="x", content_type="text/html"), "a.html").endswith(".bin")
