"""Simple Chinese text similarity: character bigrams and their Jaccard index. Used for "similar
open items" while registering a suggestion (the page, as the title is typed, and every
registration through the API: ``suggestions.selectors.similar_open_items`` compares the
``CANDIDATES`` most recent open items the user may see) and for a petition's repeats
(``petitions.services``). Pure Python: the callers read the candidates."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def best(rows: Iterable[tuple[int, str, str | None]], *, title: str, content: str = "",
         limit: int = 5) -> list[tuple[float, int]]:
    """Of the candidates ``(pk, title, content)``, the ``limit`` most like the text scoring at least
    ``THRESHOLD``, as ``(score, pk)``: the best first, the newer (higher pk) first among equals.

    Each score is ``Text.score``'s, written out in the loop (the Jaccard indexes of the titles and
    of the whole texts, a side without bigrams scoring 0): a registration compares ``CANDIDATES``
    items, and the calls per pair cost more than the set operations."""
    text = Text(title or "", content or "")
    mine, whole = text.title, text.whole or frozenset()
    n_mine, n_whole = len(mine), len(whole)
    found = []
    for pk, other_title, other_content in rows:
        theirs, their_whole = _item_bigrams(other_title, other_content or "")
        score = 0.0
        if n_mine and theirs:
            common = len(mine & theirs)
            score = common / (n_mine + len(theirs) - common)
        if n_whole and their_whole:
            common = len(whole & their_whole)
            score = max(score, common / (n_whole + len(their_whole) - common))
        if score >= THRESHOLD:
            found.append((score, pk))
    found.sort(key=lambda sp: (-sp[0], -sp[1]))
    return found[:limit]
