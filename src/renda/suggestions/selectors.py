"""Reads of suggestions, already restricted to what the user may see, and the work queues."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from renda.core import similarity
from renda.core.policy import sees_every_town, town_scoped
from renda.core.roles import Role
from renda.places.models import GridWorker
from renda.suggestions import rules
from renda.suggestions.models import (
    Extension,
    ExtensionStatus,
    Suggestion,
    SuggestionCategory,
    SuggestionCoUnit,
    Transition,
    normalize_tracking_code,
)
from renda.suggestions.workflow import HANDLING, OPEN, Action, State


def _deputy_q(deputy_id: int) -> Q:
    """Items the deputy leads or co-signed. The co-signed ids are read first (a deputy co-signs a
    few dozen items): an ``OR`` with a subquery makes PostgreSQL scan the whole table, an ``OR``
    with a list of ids lets both databases combine two index lookups."""
    co_signed = list(Suggestion.co_deputies.through.objects.filter(deputy_id=deputy_id)
                     .values_list("suggestion_id", flat=True))
    # … and the public opinions given through the deputy's QR code (the portal).
    own = Q(lead_deputy_id=deputy_id) | Q(via_deputy_id=deputy_id)
    return own | Q(pk__in=co_signed) if co_signed else own


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    """Office and presidium: their town; units: items they lead or co-handle; deputies: items
    they lead or co-signed; grid workers: items they reported or from their grids; district
    viewers and district administrators: every town."""
    qs = Suggestion.objects.select_related("town", "village", "grid", "category", "lead_unit", "lead_deputy",
                                           "supervisor")
    if sees_every_town(user):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    role = user.role
    if role in {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN}:
        return qs.filter(town_id=user.town_id) if user.town_id else qs.none()
    if role == Role.UNIT and user.unit_id:
        co = SuggestionCoUnit.objects.filter(unit_id=user.unit_id).values("suggestion_id")
        return qs.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=co))
    if role == Role.DEPUTY and user.deputy_id:
        return qs.filter(_deputy_q(user.deputy_id))
    if role == Role.GRID_WORKER and user.grid_worker_id:
        grids = GridWorker.grids.through.objects.filter(gridworker_id=user.grid_worker_id).values("region_id")
        return qs.filter(Q(created_by_id=user.pk) | Q(grid_id__in=grids))
    return qs.none()


#: The fields the list search looks in (substring, case-insensitive), on pages and in the API.
SEARCH_FIELDS = ("code", "title", "content")
#: Queries this long or longer use the trigram index (SQLite FTS5 / PostgreSQL pg_trgm).
TRIGRAM = 3


class _TextContains(Func):
    """PostgreSQL: ``UPPER(code || chr(31) || title || chr(31) || content) LIKE UPPER(pattern)`` —
    the expression indexed by ``suggestion_text_trgm`` (migration 0007). A condition on the item
    itself (not an ``id IN (subquery)``), so the planner combines it with the town's index and a
    capped count stops early; the columns are Django's, so it stays right inside subqueries."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, function: str | None = None, template: str | None = None,
               arg_joiner: str | None = None, **extra_context: Any) -> tuple[str, Any]:
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, p = compiler.compile(expression)
            parts.append(sql)
            params.extend(p)
        *fields, pattern = parts
        return f"UPPER({' || chr(31) || '.join(fields)}) LIKE UPPER({pattern})", params


def search(qs: QuerySet[Suggestion], q: str | None) -> QuerySet[Suggestion]:
    """Items of ``qs`` whose 编号, title or content contains ``q`` (case-insensitive).

    The meaning is always ``icontains`` on each field. On SQLite a query of three or more
    characters is answered by the FTS5 trigram table ``suggestions_search`` (migration 0004),
    which finds the same rows; shorter ones scan the rows in scope. On PostgreSQL one ``LIKE``
    on the three fields joined by chr(31) (which the query cannot contain, so a match never
    spans two fields) uses the pg_trgm index on that expression (migration 0007, ``_TextContains``)."""
    q = (q or "").strip()
    if not q:
        return qs
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        phrase = '"' + q.replace('"', '""') + '"'
        ids = RawSQL("SELECT rowid FROM suggestions_search WHERE suggestions_search MATCH %s", (phrase,))
        return qs.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        q = q.replace(chr(31), "")
        if not q:
            return qs.none()
        pattern = "%" + connection.ops.prep_for_like_query(q) + "%"
        return qs.filter(_TextContains(F("code"), F("title"), F("content"), Value(pattern)))
    cond = Q()
    for f in SEARCH_FIELDS:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


def due_and_overdue(qs: QuerySet[Suggestion], today: dt.date, days: int
                    ) -> tuple[QuerySet[Suggestion], QuerySet[Suggestion]]:
    """Of ``qs``, the items being handled that are due within ``days`` days, and those overdue:
    the one definition that queues, home pages and ``renda remind`` use."""
    handling = qs.filter(state__in=list(HANDLING))
    due_soon = handling.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=days)).order_by(
        "deadline", "id")
    overdue = handling.filter(deadline__lt=today).order_by("deadline", "id")
    return due_soon, overdue


def office_queue(user: Any, *, today: dt.date | None = None) -> dict[str, QuerySet[Suggestion]]:
    """The office's work: new (registered, never returned), to assign (every registered item),
    returned, due soon (deadline within 7 days), overdue, to close (evaluated)."""
    today = today or timezone.localdate()
    qs = suggestions_visible_to(user)
    returned = Exists(Transition.objects.filter(suggestion_id=OuterRef("pk"), action=Action.RETURN))
    registered = qs.filter(state=State.REGISTERED).order_by("registered_at", "id")
    due_soon, overdue = due_and_overdue(qs, today, rules.DEFAULT.due_soon_days)
    return {
        "new": registered.filter(~returned),
        "to_assign": registered,
        "returned": registered.filter(returned),
        "due_soon": due_soon,
        "overdue": overdue,
        "to_close": qs.filter(state=State.EVALUATED).order_by("registered_at", "id"),
    }


def unit_inbox(user: Any, *, today: dt.date | None = None) -> dict[str, QuerySet[Suggestion]]:
    """A unit's work: to accept, handling, due soon, overdue (items it leads), and items where
    its co-handling opinion is still missing."""
    today = today or timezone.localdate()
    unit_id = getattr(user, "unit_id", None)
    if not unit_id:
        empty = Suggestion.objects.none()
        return dict.fromkeys(("to_accept", "handling", "due_soon", "overdue", "co_handling"), empty)
    visible = suggestions_visible_to(user)
    lead = visible.filter(lead_unit_id=unit_id)
    due_soon, overdue = due_and_overdue(lead, today, rules.DEFAULT.due_soon_days)
    pending = SuggestionCoUnit.objects.filter(unit_id=unit_id, opinion="").values("suggestion_id")
    return {
        "to_accept": lead.filter(state=State.ASSIGNED).order_by("assigned_at", "id"),
        "handling": lead.filter(state=State.ACCEPTED).order_by("deadline", "id"),
        "due_soon": due_soon,
        "overdue": overdue,
        "co_handling": visible.filter(pk__in=pending, state__in=list(HANDLING)).order_by("deadline", "id"),
    }


def deputy_items(user: Any) -> QuerySet[Suggestion]:
    """The deputy's "my suggestions": items they lead or co-signed, newest first."""
    deputy_id = getattr(user, "deputy_id", None)
    if not deputy_id:
        return Suggestion.objects.none()
    qs = suggestions_visible_to(user)
    if user.role != Role.DEPUTY:  # a deputy's visible items are already these
        qs = qs.filter(_deputy_q(deputy_id))
    return qs.order_by("-registered_at", "-id")


def deputy_opinions_to_follow_up(user: Any) -> QuerySet[Suggestion]:
    """Public opinions given through this deputy's QR code that they have not yet followed up
    (noted, passed on or adopted), oldest first."""
    deputy_id = getattr(user, "deputy_id", None)
    if not deputy_id:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(via_deputy_id=deputy_id, kind="public", deputy_follow_up="").exclude(
        state__in=[State.WITHDRAWN, State.MERGED, State.DECLINED]).order_by("registered_at", "id")


def deputy_to_evaluate(user: Any) -> QuerySet[Suggestion]:
    """Replied deputy suggestions that this deputy leads and has not evaluated yet."""
    deputy_id = getattr(user, "deputy_id", None)
    if not deputy_id:
        return Suggestion.objects.none()
    return deputy_items(user).filter(state=State.REPLIED, lead_deputy_id=deputy_id)


def pending_extension(suggestion: Suggestion) -> Extension | None:
    """The item's extension request waiting for the office's decision (at most one at a time)."""
    return suggestion.extensions.filter(status=ExtensionStatus.REQUESTED).first()


def suggestion_for_tracking_code(code: str) -> Suggestion | None:
    """The item a member of the public follows with their tracking code (the portal): the code as
    typed (any case, spaces and dashes; a wrong check character finds nothing without a query)."""
    stored = normalize_tracking_code(code)
    return Suggestion.objects.filter(tracking_code=stored).first() if stored else None


def suggestions_for_phone(phone: str) -> QuerySet[Suggestion]:
    """Items submitted from ``phone``, found through its keyed hash (for staff lookups)."""
    from renda.core.crypto import phone_lookup_hash

    h = phone_lookup_hash(phone)
    return Suggestion.objects.filter(submitter_phone_hash=h) if h else Suggestion.objects.none()


def categories_visible_to(user: Any) -> QuerySet[SuggestionCategory]:
    """A town's category list: the user's town, or every town for district roles."""
    return town_scoped(SuggestionCategory.objects.select_related("town"), user)


def similar_open_items(user: Any, *, title: str, content: str = "", exclude_id: int | None = None,
                       limit: int = 5) -> list[similarity.Match]:
    """Of the ``similarity.CANDIDATES`` most recently registered open items of the user's scope
    (for office staff: their town), those most like the text (``core.similarity``)."""
    if not (title or "").strip() and not (content or "").strip():
        return []
    qs = suggestions_visible_to(user).filter(state__in=[s.value for s in OPEN]).select_related(None)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    # One query: the candidates as plain rows (no model instances); only the few best become
    # items, built from the same rows (as ``.only(*_SIMILAR_FIELDS)`` would).
    fields = _similar_fields()
    at_pk, at_title, at_content = (fields.index(name) for name in ("id", "title", "content"))
    rows = {row[at_pk]: row for row in qs.order_by("-registered_at", "-pk")
            .values_list(*fields)[:similarity.CANDIDATES]}
    best = similarity.best(((pk, row[at_title], row[at_content]) for pk, row in rows.items()),
                           title=title, content=content, limit=limit)
    return [similarity.Match(Suggestion.from_db(qs.db, fields, rows[pk]), score) for score, pk in best]


@cache
def _similar_fields() -> tuple[str, ...]:
    """What a similar item shows (编号, title, state) and is compared by (title, content), in the
    model's field order (what ``Model.from_db`` expects of a partial row)."""
    wanted = {"id", "code", "title", "content", "state"}
    return tuple(f.attname for f in Suggestion._meta.concrete_fields if f.attname in wanted)
