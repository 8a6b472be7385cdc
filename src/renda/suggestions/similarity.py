"""Simple Chinese text similarity for "similar open items" while registering: character
bigrams and their Jaccard index. Pure Python; the caller passes the candidate items (from a
selector, so scoping stays in one place)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Anything that is not a letter or digit (punctuation, spaces, full-width marks) separates words.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
#: The lowest score shown as "similar".
THRESHOLD = 0.25
#: Only the beginning of long texts is compared.
MAX_CHARS = 600


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
    return len(a & b) / len(a | b)


def score(title: str, content: str, other_title: str, other_content: str) -> float:
    """How alike two items are, 0–1: the better of the titles' and of the whole texts' Jaccard
    index (while the user is still typing, only the title is there to compare)."""
    by_title = jaccard(bigrams(title), bigrams(other_title))
    if not content.strip():
        return by_title
    whole = jaccard(bigrams(f"{title} {content}"), bigrams(f"{other_title} {other_content}"))
    return max(by_title, whole)


@dataclass(frozen=True)
class Match:
    item: Any
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def most_similar(
    items: Iterable[Any], *, title: str, content: str = "", limit: int = 5, threshold: float = THRESHOLD
) -> list[Match]:
    """The ``limit`` items most like ``title``/``content`` scoring at least ``threshold``."""
    if not (title or "").strip() and not (content or "").strip():
        return []
    matches = [Match(i, s) for i in items
               if (s := score(title or "", content or "", i.title, i.content or "")) >= threshold]
    matches.sort(key=lambda m: (-m.score, -m.item.pk))
    return matches[:limit]


def similar_open_items(user: Any, *, title: str, content: str = "", exclude_id: int | None = None,
                       limit: int = 5) -> list[Match]:
    """Open items of the user's scope (for office staff: their town) most like the text."""
    from renda.suggestions.selectors import suggestions_visible_to
    from renda.suggestions.workflow import OPEN

    qs = suggestions_visible_to(user).filter(state__in=[s.value for s in OPEN]).select_related(
        None).only("pk", "code", "title", "content", "state", "registered_at")
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return most_similar(qs.iterator(chunk_size=500), title=title, content=content, limit=limit)
