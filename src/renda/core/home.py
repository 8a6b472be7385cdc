"""Home-page cards and work queues that apps contribute (in their ``home.py``).

Each role lands on its own home page (``accounts``), which shows the cards registered here for
that role: a card is a template fragment and a function that reads what the user has to do
(counts with links into the app's queues). An app adds a card without editing the home page::

    from renda.core.home import card

    @card("suggestion_queue", template="suggestions/partials/home_queue.html",
          roles={Role.STAFF, Role.UNIT}, order=10)
    def suggestion_queue(user):
        return {...}          # or None: nothing to show for this user

The template reads the returned value under the card's name (``{{ suggestion_queue }}``).
Cards stand in one of two columns (``main``, full width at the top; ``side``, beside the
page's own content), in ascending ``order``; ``orders``/``columns`` set them per role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from renda.core.plugins import app_modules

Build = Callable[[Any], Any]


@dataclass(frozen=True)
class Card:
    name: str
    template: str
    roles: frozenset[str]
    build: Build
    order: int = 100
    column: str = "main"
    orders: Mapping[str, int] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)

    def order_for(self, role: str) -> int:
        return self.orders.get(role, self.order)

    def column_for(self, role: str) -> str:
        return self.columns.get(role, self.column)


_CARDS: dict[str, Card] = {}


def card(
    name: str,
    *,
    template: str,
    roles: Iterable[str],
    order: int = 100,
    column: str = "main",
    orders: Mapping[str, int] | None = None,
    columns: Mapping[str, str] | None = None,
) -> Callable[[Build], Build]:
    """Register ``build(user)`` as the home-page card ``name`` for ``roles``."""

    def register(build: Build) -> Build:
        _CARDS[name] = Card(
            name=name,
            template=template,
            roles=frozenset(roles),
            build=build,
            order=order,
            column=column,
            orders=dict(orders or {}),
            columns=dict(columns or {}),
        )
        return build

    return register


def cards_for(role: str) -> list[Card]:
    """The cards of ``role``'s home page, in order (every app's ``home`` module imported first)."""
    app_modules("home")
    return sorted((c for c in _CARDS.values() if role in c.roles), key=lambda c: (c.order_for(role), c.name))


def render_cards(request: HttpRequest, user: Any, context: Mapping[str, Any]) -> dict[str, list[SafeString]]:
    """The user's cards rendered, by column. A card whose ``build`` returns None is left out."""
    columns: dict[str, list[SafeString]] = {"main": [], "side": []}
    for c in cards_for(user.role):
        data = c.build(user)
        if data is None:
            continue
        html = render_to_string(c.template, {**context, c.name: data}, request=request)
        columns.setdefault(c.column_for(user.role), []).append(SafeString(html))
    return columns


# --- work lists ------------------------------------------------------------------------------
#
# A work-queue card lists the first few items of each queue (a link each), the queue's size and
# a "查看全部" link to the filtered list, or says that nothing is waiting. The apps build the
# sections from their own selectors (``worklist_section``) and render them with
# ``core/partials/home_worklist.html``; every section costs two queries (its count and its first
# rows), whatever the number of items.

#: How many items of each queue a home page lists.
WORKLIST_LIMIT = 5


@dataclass(frozen=True)
class WorkItem:
    """One row of a work list: a link to the item, its code and title, a line of small facts."""

    url: str
    code: str
    title: str
    meta: str = ""
    badge: str = ""
    danger: bool = False


def worklist_section(
    *,
    key: str,
    label: Any,
    qs: Any,
    row: Callable[[Any], WorkItem],
    more_url: str,
    empty: Any,
    limit: int = WORKLIST_LIMIT,
    danger: bool = False,
) -> dict[str, Any]:
    """One queue of a work-list card: its size, its first ``limit`` items (in ``qs``'s order) as
    ``row`` makes them, the link to all of them and the text shown when there is none."""
    count = qs.count()
    items = [row(obj) for obj in qs[:limit]] if count else []
    return {"key": key, "label": label, "count": count, "items": items, "more_url": more_url,
            "more": count > len(items), "empty": empty, "danger": danger and bool(count)}
