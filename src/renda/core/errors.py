"""One family of domain errors, each with a stable code and a Chinese message.

Forms show them as non-field errors (or on the named field); the API returns
``{"code": ..., "message": ..., "fields": {...}}`` with the error's HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    status = 400
    default_code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, list[str] | str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = {
            k: ([str(v)] if isinstance(v, str) else [str(x) for x in v]) for k, v in (fields or {}).items()
        }

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(ApplicationError):
    status = 400
    default_code = "invalid"


class NotFound(ApplicationError):
    status = 404
    default_code = "not_found"

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        super().__init__(message or _("记录不存在或无权查看。"), **kwargs)  # type: ignore[arg-type]


class Forbidden(ApplicationError):
    status = 403
    default_code = "forbidden"

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        super().__init__(message or _("您没有执行此操作的权限。"), **kwargs)  # type: ignore[arg-type]


class Conflict(ApplicationError):
    status = 409
    default_code = "conflict"


class IllegalTransition(ApplicationError):
    status = 409
    default_code = "illegal_transition"


def from_django_validation(exc: DjangoValidationError) -> InvalidInput:
    """Turn a model ``full_clean`` error into an ``InvalidInput`` naming its fields."""
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        non_field = fields.pop("__all__", [])
        first = non_field[0] if non_field else next(iter(fields.values()))[0]
        if non_field:
            fields["__all__"] = non_field
        return InvalidInput(first, fields=fields)
    return InvalidInput("；".join(str(m) for m in exc.messages))
