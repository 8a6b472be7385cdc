"""A text field stored Fernet-encrypted (see ``crypto``). Equality lookups on it cannot work
(each encryption is different); look values up through a separate hash column."""

from __future__ import annotations

from typing import Any

from django.db import models

from renda.core import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))
