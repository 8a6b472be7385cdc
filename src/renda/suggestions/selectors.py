"""Reads of suggestions, already restricted to what the user may see, and the work queues."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db import connection, connections, router
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND
from django.utils import timezone

from renda.core import similarity
from renda.core.compiled import CompiledQuery
from renda.core.policy import sees_every_town, town_scoped
from renda.core.roles import Role
from renda.places.models import GridWorker, Region
from renda.suggestions import rules
from renda.suggestions.models import (
    HANDLING_STATES,
    Extension,
    ExtensionStatus,
    Suggestion,
    SuggestionCategory,
    SuggestionCoUnit,
    Transition,
    normalize_tracking_code,
)
from renda.suggestions.workflow import OPEN, Action, State


def _deputy_q(deputy_id: int) -> Q:
    """Items the deputy leads or co-signed. The co-signed ids are read first (a deputy co-signs a
    few dozen items): an ``OR`` with a subquery makes PostgreSQL scan the whole table, an ``OR``
    with a list of ids lets both databases combine two index lookups."""
    co_signed = list(Suggestion.co_deputies.through.objects.filter(deputy_id=deputy_id)
                     .values_list("suggestion_id", flat=True))
    # … and the public opinions given through the deputy's QR code (the portal).
    own = Q(lead_deputy_id=deputy_id) | Q(via_deputy_id=deputy_id)
    return own | Q(pk__in=co_signed) if co_signed else own


#: The roles that see every item of their own town, and only those.
_WHOLE_TOWN = frozenset({Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN})


def whole_town_of(user: Any) -> int | None:
    """The town whose items — all of them, and no others — ``user`` sees (office staff and the
    presidium, a district viewer or administrator tied to one town), else ``None``."""
    if sees_every_town(user) or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return int(user.town_id) if user.role in _WHOLE_TOWN and user.town_id else None


def suggestions_visible_to(user: Any) -> QuerySet[Suggestion]:
    """Office and presidium: their town; units: items they lead or co-handle; deputies: items
    they lead or co-signed; grid workers: items they reported or from their grids; district
    viewers and district administrators: every town."""
    qs = Suggestion.objects.select_related("town", "village", "grid", "category", "lead_unit", "lead_deputy",
                                           "supervisor")
    if sees_every_town(user):
        return qs
    town_id = whole_town_of(user)
    if town_id is not None:
        return qs.filter(town_id=town_id)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    role = user.role
    if role in _WHOLE_TOWN:  # without a town
        return qs.none()
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
    characters is answered by the FTS5 trigram table ``suggestions_search`` (migration 0017),
    which finds the same rows; shorter ones scan the rows in scope. On PostgreSQL one ``LIKE``
    on the three fields joined by chr(31) (which the query cannot contain, so a match never
    spans two fields) uses the pg_trgm index on that expression (migration 0007, ``_TextContains``)."""
    q = (q or "").strip()
    if not q:
        return qs
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        return qs.filter(pk__in=_Matches(q))
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


class _Matches(RawSQL):
    """SQLite: the ids of the items whose row in the search table matches ``q`` — the condition
    ``search`` adds, which ``ranked_matches`` recognises and reads by key instead."""

    def __init__(self, q: str) -> None:
        sql = f"SELECT {_ID_OF_KEY.format(k='rowid')} FROM suggestions_search WHERE suggestions_search MATCH %s"  # noqa: S608
        super().__init__(sql, (_phrase(q),))
        self.q = q


def _phrase(q: str) -> str:
    """``q`` as one FTS5 phrase: every character literal, a ``"`` doubled."""
    return '"' + q.replace('"', '""') + '"'


# -- SQLite: a search's page without matching every item ---------------------------------------------

#: The key of an item's row in SQLite's search table (migration 0017, decision 0023):
#: ``town_id << 47 | (2**17 - 1 - days since 1900-01-01) << 30 | id``. A town's rows are one range
#: of keys, and ascending keys are the list's order (newest first, then by id).
KEY_ID_BITS = 30
KEY_DAY_BITS = 17
KEY_TOWN_SHIFT = KEY_ID_BITS + KEY_DAY_BITS
KEY_EPOCH = dt.date(1900, 1, 1)
_ID_MASK = (1 << KEY_ID_BITS) - 1
_DAY_MAX = (1 << KEY_DAY_BITS) - 1
_ID_OF_KEY = f"({{k}} & {_ID_MASK})"
#: The list order the keys give (``-registered_at``, then ``pk``: ``Resource.filtered``).
RANKED_SORT = "-registered_at"
#: Towns searched one range each in one statement; past this (SQLite allows 500 parts of a
#: compound SELECT) a district's page is read the ordinary way.
RANKED_TOWNS_MAX = 400


def search_key(town_id: int, registered_at: dt.date, pk: int) -> int:
    """The key migration 0017's triggers give an item's row in the search table."""
    return (town_id << KEY_TOWN_SHIFT) | ((_DAY_MAX - (registered_at - KEY_EPOCH).days) << KEY_ID_BITS) | pk


#: The same key in SQLite's SQL, of the row of ``suggestions_suggestion`` named ``{t}``.
SEARCH_KEY_SQL = (f"(({{t}}.town_id << {KEY_TOWN_SHIFT}) | (({_DAY_MAX} - CAST(julianday({{t}}.registered_at)"
                  f" - julianday('{KEY_EPOCH.isoformat()}') AS INTEGER)) << {KEY_ID_BITS}) | {{t}}.id)")


def _filtered_towns(qs: QuerySet[Suggestion]) -> set[int] | None:
    """The towns ``qs`` is restricted to by a ``town = …`` or ``town IN (…)`` condition that every
    row must meet (one of the ANDed conditions of its WHERE), or None when it has none."""
    where = qs.query.where
    if where.connector != AND or where.negated:
        return None
    towns: set[int] | None = None
    for child in where.children:
        lhs = getattr(child, "lhs", None)
        if not (isinstance(child, Lookup) and isinstance(lhs, Col) and lhs.alias == qs.query.base_table
                and lhs.target.attname == "town_id" and child.lookup_name in ("exact", "in")):
            continue
        values = child.rhs if child.lookup_name == "in" else [child.rhs]
        try:
            found = {int(getattr(v, "pk", v)) for v in values}
        except (TypeError, ValueError):
            return None
        towns = found if towns is None else towns & found
    return towns


class RankedMatches:
    """The items of ``qs`` whose 编号, title or content contains a phrase, in the list's order
    (newest first), read from SQLite's search table by key (decision 0023). Each town's matches
    are one range of keys in that order, so a capped count and a page stop when they have their
    rows, instead of matching every item and sorting the matches. A match is kept only if ``qs``
    holds its item (``qs``'s conditions on that row, by primary key). ``towns`` must include every
    town ``qs`` has items in; None means every town.

    ``count`` reads the keys themselves: when they are fewer than its limit it has every match,
    and ``ids`` sorts those instead of reading the search table again."""

    def __init__(self, qs: QuerySet[Suggestion], q: str, towns: set[int] | None) -> None:
        self.qs = qs
        self.db = qs.db
        self.phrase = _phrase(q)
        of_key = RawSQL(_ID_OF_KEY.format(k="f.rowid"), ())  # noqa: S611 - constants only
        inner = qs.order_by().filter(pk=of_key).values("pk")
        sql, params = inner.query.get_compiler(using=self.db).as_sql()
        self.kept = f"EXISTS ({sql})"
        self.kept_params = list(params)
        self.towns = towns
        self.every: list[int] | None = None

    def _part(self, town: int | None) -> tuple[str, list[Any]]:
        sql = "SELECT f.rowid AS k FROM suggestions_search f WHERE f.suggestions_search MATCH %s"
        params: list[Any] = [self.phrase]
        if town is not None:
            sql += " AND f.rowid BETWEEN %s AND %s"
            params += [town << KEY_TOWN_SHIFT, ((town + 1) << KEY_TOWN_SHIFT) - 1]
        return f"{sql} AND {self.kept}", params + self.kept_params

    def _keys(self, sql: str, params: list[Any]) -> list[int]:
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return [k for (k,) in cursor.fetchall()]

    def count(self, limit: int) -> int:
        """How many, counting no further than ``limit``."""
        parts = [self._part(t) for t in ([None] if self.towns is None else sorted(self.towns))]
        if not parts:
            return 0
        union = " UNION ALL ".join(sql for sql, _p in parts)
        keys = self._keys(f"{union} LIMIT %s", [p for _s, ps in parts for p in ps] + [limit])
        if len(keys) < limit:
            self.every = sorted(keys, key=lambda k: k & ((1 << KEY_TOWN_SHIFT) - 1))
        return len(keys)

    def ids(self, bottom: int, top: int) -> list[int]:
        """The ids of matches ``bottom`` to ``top`` (0-based, ``top`` excluded) in the list's order."""
        if top <= bottom:
            return []
        keys = self.every[bottom:top] if self.every is not None else self._page(bottom, top)
        return [k & _ID_MASK for k in keys]

    def _page(self, bottom: int, top: int) -> list[int]:
        towns = sorted(self.towns) if self.towns is not None else list(
            Region.objects.using(self.db).filter(Exists(Suggestion.objects.filter(town_id=OuterRef("pk"))))
            .order_by("pk").values_list("pk", flat=True))
        if not towns:
            return []
        if len(towns) == 1:
            sql, params = self._part(towns[0])
            return self._keys(f"{sql} ORDER BY f.rowid LIMIT %s OFFSET %s", [*params, top - bottom, bottom])
        parts = [self._part(t) for t in towns]
        # The ORM's SQL and constants; every value is a parameter.
        union = " UNION ALL ".join(f"SELECT k FROM ({sql} ORDER BY f.rowid LIMIT %s)" for sql, _p in parts)  # noqa: S608
        params = [p for _s, ps in parts for p in [*ps, top]]
        within_town = (1 << KEY_TOWN_SHIFT) - 1
        sql = f"SELECT k FROM ({union}) ORDER BY k & {within_town} LIMIT %s OFFSET %s"  # noqa: S608
        return self._keys(sql, [*params, top - bottom, bottom])


def ranked_matches(user: Any, qs: QuerySet[Suggestion], sort: str) -> RankedMatches | None:
    """``qs`` — searched by ``search`` — read by key (``RankedMatches``) when that applies: SQLite,
    a phrase of three or more characters, the list's default order, and the items restricted to
    named towns or seen by a user who sees every town (a unit's or a deputy's few items are
    found faster the ordinary way). Otherwise None: the queryset is read as it is."""
    if connections[qs.db].vendor != "sqlite" or sort != RANKED_SORT:
        return None
    where = qs.query.where
    found = [rhs for c in where.children if isinstance(rhs := getattr(c, "rhs", None), _Matches)]
    if where.connector != AND or where.negated or len(found) != 1:
        return None
    rest = qs.all()
    rest.query.where.children = [c for c in rest.query.where.children
                                 if not isinstance(getattr(c, "rhs", None), _Matches)]
    towns = _filtered_towns(rest)
    if towns is None and not sees_every_town(user):
        return None
    if towns is not None and (len(towns) > RANKED_TOWNS_MAX or any(t >= 1 << 16 for t in towns)):
        return None
    return RankedMatches(rest, found[0].q, towns)


def due_and_overdue(qs: QuerySet[Suggestion], today: dt.date, days: int
                    ) -> tuple[QuerySet[Suggestion], QuerySet[Suggestion]]:
    """Of ``qs``, the items being handled that are due within ``days`` days, and those overdue:
    the one definition that queues, home pages and ``renda remind`` use."""
    handling = qs.filter(state__in=HANDLING_STATES)
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
        "co_handling": visible.filter(pk__in=pending, state__in=HANDLING_STATES).order_by("deadline", "id"),
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
    fields = _similar_fields()
    at_pk, at_title, at_content = (fields.index(name) for name in ("id", "title", "content"))
    # One query: the candidates as plain rows (no model instances); only the few best become
    # items, built from the same rows (as ``.only(*_SIMILAR_FIELDS)`` would).
    rows = {row[at_pk]: row for row in similar_candidates(user, exclude_id=exclude_id)}
    best = similarity.best(((pk, row[at_title], row[at_content]) for pk, row in rows.items()),
                           title=title, content=content, limit=limit)
    return [similarity.Match(Suggestion.from_db(router.db_for_read(Suggestion), fields, rows[pk]), score)
            for score, pk in best]


def similar_candidates(user: Any, *, exclude_id: int | None = None) -> list[tuple[Any, ...]]:
    """The ``similarity.CANDIDATES`` most recently registered open items the user sees, but
    ``exclude_id``, as rows of ``_similar_fields()``, newest first. A user who sees a whole town
    (the API's registrations: a town office) reads them with a query compiled once per
    connection, one more row taken in place of the ``exclude``; anyone else through
    ``suggestions_visible_to``."""
    limit = similarity.CANDIDATES
    town_id = whole_town_of(user)
    if town_id is not None:
        at_pk = _similar_fields().index("id")
        rows = _open_in_town(limit + 1).rows(town_id)
        return [row for row in rows if row[at_pk] != exclude_id][:limit]
    qs = suggestions_visible_to(user).filter(state__in=[s.value for s in OPEN]).select_related(None)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return list(qs.order_by("-registered_at", "-pk").values_list(*_similar_fields())[:limit])


@cache
def _open_in_town(limit: int) -> CompiledQuery[Any]:
    """A town's ``limit`` most recently registered open items (``similar_candidates``)."""
    return CompiledQuery(lambda town_id: Suggestion.objects.filter(town_id=town_id, state__in=[s.value for s in OPEN])
                         .order_by("-registered_at", "-pk").values_list(*_similar_fields())[:limit], kinds=(int,))


@cache
def _similar_fields() -> tuple[str, ...]:
    """What a similar item shows (编号, title, state) and is compared by (title, content), in the
    model's field order (what ``Model.from_db`` expects of a partial row)."""
    wanted = {"id", "code", "title", "content", "state"}
    return tuple(f.attname for f in Suggestion._meta.concrete_fields if f.attname in wanted)
