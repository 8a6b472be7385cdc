"""How a higher app (``projects``) learns the result of a round without an upward import.

    from renda.congress.hooks import on_round_closed

    @on_round_closed("project_candidate")
    def adopt(round: VoteRound, result: RoundResult) -> None: ...

``services.round_close`` (a close that voids the round too) calls every handler registered for a
``ref_kind`` that appears among the round's options, inside its transaction, after the result
is stored. A handler that raises rolls the close back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Handler = Callable[[Any, Any], None]

_handlers: dict[str, list[Handler]] = {}


def on_round_closed(ref_kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        handlers = _handlers.setdefault(ref_kind, [])
        if fn not in handlers:
            handlers.append(fn)
        return fn
    return register


def handlers_for(ref_kinds: set[str]) -> list[Handler]:
    """The handlers of these kinds, each once, in the order kinds and handlers were registered."""
    out: list[Handler] = []
    for kind, handlers in _handlers.items():
        if kind in ref_kinds:
            out.extend(h for h in handlers if h not in out)
    return out


def unregister(ref_kind: str, fn: Handler) -> None:
    """For tests."""
    if fn in _handlers.get(ref_kind, []):
        _handlers[ref_kind].remove(fn)
