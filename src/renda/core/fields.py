"""A text field stored Fernet-encrypted (see ``crypto``). Equality lookups on it cannot work
(each encryption is different); look values up through a separate hash column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from renda.core import crypto


class EncryptedTextField(models.TextField):
    """``audit_mask``: what the audit trail records of a value instead of the value itself
    (``audit.services.snapshot``); it must still tell two values apart (a masked value with a
    keyed fingerprint, :func:`masked_phone_fingerprint`). Not a database attribute."""

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, audit_mask: Callable[[str], str] | None = None, **kwargs: Any) -> None:
        self.audit_mask = audit_mask
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


def masked_phone_fingerprint(value: str) -> str:
    """138****5678 #3fa2c1: the masked phone and a keyed fingerprint (a change shows as one)."""
    return f"{crypto.mask_phone(value)} #{crypto.phone_lookup_hash(value)[:6]}" if value else ""
