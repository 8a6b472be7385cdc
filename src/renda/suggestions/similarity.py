"""Simple Chinese text similarity for "similar open items" while registering (the page, as the
title is typed, and every registration through the API): character bigrams and their Jaccard
index, against the ``CANDIDATES`` most recent open items the user may see (from the selector,
so scoping stays in one place)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Anything that is not a letter or digit (punctuation, spaces, full-width marks) separates words.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
#: The lowest score shown as "similar".
THRESHOLD = 0.25
#: Only the beginning of long texts is compared.
MAX_CHARS = 600
#: Only the most recently registered open items are compared: a repeat of a current problem
#: arrives while the first report is open, and the check costs the same at 1,000 items or 1,000,000.
CANDIDATES = 200


def bigrams(text: str) -> frozenset[str]:
    """The set of adjacent character pairs of ``text``, within each run of letters/digits;
    a one-character run counts as itself, so one-character queries still match."""
    out: set[str] = set()
    for run in _SEPARATORS.split((text or "")[:MAX_CHARS].lower()):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@lru_cache(maxsize=2048)
def _item_bigrams(title: str, content: str) -> tuple[frozenset[str], frozenset[str]]:
    """An existing item's bigrams (title, whole text). The candidates — a town's recent open
    items — are the same for every registration in that town, so each process keeps them
    (a text's bigrams never change; an edited item is a new key)."""
    own = bigrams(title)
    return own, own | bigrams(content)


class Text:
    """One side of the comparison, its bigrams computed once however many items it meets."""

    def __init__(self, title: str, content: str = "") -> None:
        self.title = bigrams(title)
        self.whole = self.title | bigrams(content) if content.strip() else None

    def score(self, other_title: str, other_content: str) -> float:
        """How alike the two are, 0–1: the better of the titles' and of the whole texts' Jaccard
        index (while the user is still typing, only the title is there to compare)."""
        title, whole = _item_bigrams(other_title, other_content)
        by_title = jaccard(self.title, title)
        if self.whole is None:
            return by_title
        return max(by_title, jaccard(self.whole, whole))


def score(title: str, content: str, other_title: str, other_content: str) -> float:
    """How alike two items are (see ``Text.score``)."""
    return Text(title, content).score(other_title, other_content)


@dataclass(frozen=True)
class Match:
    item: Any
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_open_items(user: Any, *, title: str, content: str = "", exclude_id: int | None = None,
                       limit: int = 5) -> list[Match]:
    """Of the ``CANDIDATES`` most recently registered open items of the user's scope (for office
    staff: their town), those most like the text."""
    from renda.suggestions.selectors import suggestions_visible_to
    from renda.suggestions.workflow import OPEN

    if not (title or "").strip() and not (content or "").strip():
        return []
    qs = suggestions_visible_to(user).filter(state__in=[s.value for s in OPEN]).select_related(None)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    # The candidates' texts only (no model instances); the few best are then read in full.
    rows = qs.order_by("-registered_at", "-pk").values_list("pk", "title", "content")[:CANDIDATES]
    text = Text(title or "", content or "")
    best = sorted(((score, pk) for pk, t, c in rows if (score := text.score(t, c or "")) >= THRESHOLD),
                  key=lambda sp: (-sp[0], -sp[1]))[:limit]
    if not best:
        return []
    items = qs.only("pk", "code", "title", "content", "state", "registered_at").in_bulk([pk for _s, pk in best])
    return [Match(items[pk], score) for score, pk in best if pk in items]
