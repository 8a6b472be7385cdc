"""Per-request context (request id, client IP, actor) that services and audit read.

Set by middleware for web requests; commands and imports run with an empty context,
so the audit trail records them with the command's actor and no IP.
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    source: str  # "web", "api", "command", "import"
    reveal: bool = False  # personal data may be written in clear (an audited reveal is under way)


_current: ContextVar[RequestContext | None] = ContextVar("renda_request_context", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, ip=None, source="command")
    return ctx


def bound_request_id() -> str | None:
    """The id of the request being served, or None outside one (unlike ``current()``, which
    makes one up)."""
    ctx = _current.get()
    return ctx.request_id if ctx is not None else None


@contextlib.contextmanager
def bind(*, request_id: str | None = None, ip: str | None = None, source: str = "command") -> Iterator[RequestContext]:
    ctx = RequestContext(request_id=request_id or uuid.uuid4().hex, ip=ip, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextlib.contextmanager
def revealing() -> Iterator[RequestContext]:
    """Within this block, exports write personal data in clear. The caller has checked the
    permission and recorded the reveal (``core.privacy.record_reveal``)."""
    ctx = dataclasses.replace(current(), reveal=True)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def personal_data_in_clear() -> bool:
    """Whether an export may write names, ID numbers and phones in clear: for the system (a
    command on the server) or inside ``revealing()``; never by default for a web request."""
    ctx = current()
    return ctx.source == "command" or ctx.reveal
