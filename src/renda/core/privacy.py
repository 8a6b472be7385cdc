"""Revealing masked personal data: only with a permission (checked by the caller's policy), a
stated reason, and an audit event naming the fields — one implementation for every app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit import services as audit
from renda.core.crud import style_form
from renda.core.errors import InvalidInput
from renda.core.types import Actor

REVEAL_VERB = "personal_data.reveal"
MIN_REASON = 4


@dataclass(frozen=True)
class PersonalData:
    """A person's personal data as typed (plain text; the model stores it encrypted and masks it
    with ``core.models.MaskedPersonalData``)."""

    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise InvalidInput(
            _("请说明查看个人信息的理由（至少%(n)d个字）。") % {"n": MIN_REASON},
            fields={"reason": _("请说明查看理由（至少%(n)d个字）。") % {"n": MIN_REASON}},
        )
    return reason[:500]


@transaction.atomic
def record_reveal(*, actor: Actor, target: models.Model, fields: Sequence[str], reason: str) -> None:
    """Write the audit event of one reveal; the caller has already checked the permission."""
    reason = clean_reason(reason)
    audit.record(actor=actor, verb=REVEAL_VERB, target=target, after={"fields": list(fields)}, comment=reason)


class RevealForm(forms.Form):
    """The reason field of every reveal form on the pages (the service checks it again with
    ``clean_reason``); an app may give its own example of a reason as ``placeholder``."""

    reason = forms.CharField(label=gettext_lazy("查看理由"), max_length=500,
                             widget=forms.TextInput(attrs={"minlength": MIN_REASON}),
                             help_text=gettext_lazy("查看完整个人信息将记入审计日志"))

    def __init__(self, *args: Any, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if placeholder:
            self.fields["reason"].widget.attrs["placeholder"] = placeholder
        style_form(self)
