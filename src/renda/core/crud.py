"""Staff pages for a resource: list (filters, search, sort, pagination, Excel export),
detail with history, create, edit, deactivate/activate — all thin, calling the app's
selector, policy and services. Each app declares a ``Resource`` in its ``views.py``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.core.validators import MaxLengthValidator
from django.db import DatabaseError, connections, transaction
from django.db.models import Model, Q, QuerySet
from django.db.models.sql.where import WhereNode
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template import Context
from django.template.base import render_value_in_context
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.security import log_event
from renda.audit.selectors import history_for
from renda.core import panels
from renda.core.errors import ApplicationError, Conflict, Forbidden, IllegalTransition, NotFound
from renda.core.export import xlsx_response
from renda.core.policy import sees_every_town
from renda.core.replica import replica_reads
from renda.core.services import check_version, lock
from renda.core.validators import TEXT_MAX_LENGTH

PAGE_SIZES = (20, 50, 100)
#: A search's matches are counted up to this many ("共 1000+ 条"): counting every one of a
#: common word's 200,000 matches in a million items costs seconds, and nobody pages that far.
SEARCH_COUNT_LIMIT = 1000

R = TypeVar("R")


class RankedIds(Protocol):
    """A list's rows known by their ids in the list's order without the queryset's own query
    (``suggestions.selectors.RankedMatches``: a search read from SQLite's search table by key)."""

    def count(self, limit: int) -> int:
        """How many rows, counting no further than ``limit``."""

    def ids(self, bottom: int, top: int) -> list[int]:
        """The ids of rows ``bottom`` to ``top`` (0-based, ``top`` excluded)."""


class DeferredJoinPaginator(Paginator):
    """Pages of a queryset read in two steps: the page's primary keys first (a narrow query the
    database answers from an index, however deep the page), then those rows with their joins.
    With a plain ``OFFSET`` the database builds — joins and all — every row it skips: page 1,000
    of a town's list read and discarded 20,000 joined rows.

    With ``count_limit``, rows are counted up to that many only; ``capped`` then says there are
    more than ``count``, and the pages end there.

    With ``ranked``, the count and the page's ids come from it, the rows from the queryset.

    With ``count_later``, a page is read without counting: one id more than the page tells
    whether a next page exists, and the page shows its rows before anything is counted (the list
    asks for the count afterwards, ``list_view``'s ``?count=1``). A search's count is most of its
    cost — the set of a common phrase's matches, built before the count can stop at its limit —
    while its first page is the newest few matches. A page past the last is counted and becomes
    the last, as ``page_number`` would make it."""

    def __init__(self, *args: Any, count_limit: int | None = None, ranked: RankedIds | None = None,
                 count_later: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count_limit = count_limit
        self.ranked = ranked
        self.count_later = count_later
        self.capped = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if self.ranked is not None:
            limit = self.count_limit if self.count_limit is not None else sys.maxsize - 1
            n = self.ranked.count(limit + 1)
        elif self.count_limit is None or not isinstance(qs, QuerySet):
            return int(super().count)
        else:
            n = qs.order_by()[: self.count_limit + 1].count()
        if self.count_limit is None:
            return n
        self.capped = n > self.count_limit
        return min(n, self.count_limit)

    def page(self, number: Any) -> Any:
        qs = self.object_list
        if self.count_later and isinstance(qs, QuerySet):
            return self._uncounted_page(qs, number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if not isinstance(qs, QuerySet):
            return super().page(number)
        if self.ranked is not None:
            ids = self.ranked.ids(bottom, top)
        elif connections[qs.db].vendor == "postgresql" and self.count <= FILTER_FIRST_MAX and not self.capped:
            ids = _ids_filtered_first(qs, bottom, top)
        else:
            ids = list(qs.values_list("pk", flat=True)[bottom:top])
        return Page(rows_by_id(qs, ids), number, self)

    def _uncounted_page(self, qs: QuerySet[Any], number: Any) -> Page[Any]:
        number = max(1, int(number))
        bottom = (number - 1) * self.per_page
        # As a counted list's: no page starts at or past the count's limit.
        last = self.count_limit if self.count_limit is not None else sys.maxsize
        ids: list[Any] = []
        top = min(bottom + self.per_page, last)
        if bottom < last:
            if self.ranked is not None:
                ids = self.ranked.ids(bottom, top + 1)
            else:
                ids = list(qs.values_list("pk", flat=True)[bottom:top + 1])
        if not ids and number > 1:  # past the end: counted, and the last page instead
            self.count_later = False
            return self.page(min(number, max(self.num_pages, 1)))
        more = len(ids) > top - bottom and top < last
        return UncountedPage(rows_by_id(qs, ids[:top - bottom]), number, self, more=more)


def rows_by_id(qs: QuerySet[Any], ids: list[Any]) -> list[Any]:
    """The rows of ``ids`` in that order, by primary key, with the queryset's joins and
    annotations but not its filters: they chose the ids already (a search filter would run its
    subquery a second time)."""
    by_id = qs.order_by()
    by_id.query.where = WhereNode()
    rows = joins_as_written(by_id, lambda: by_id.in_bulk(ids))
    return [rows[i] for i in ids if i in rows]


class UncountedPage(Page):
    """A page of a list not counted yet (``DeferredJoinPaginator(count_later=True)``): whether a
    next page exists is known from the row read past it; the total is not asked for."""

    def __init__(self, object_list: Any, number: int, paginator: Any, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if len(self.object_list) else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


#: PostgreSQL: a list of at most this many rows reads its page's ids filtering first, then sorting.
FILTER_FIRST_MAX = 2000


def _ids_filtered_first(qs: QuerySet[Any], bottom: int, top: int) -> list[Any]:
    """The ids of rows ``bottom`` to ``top`` of ``qs`` in its order, read with the whole (small)
    set found first and sorted, not in the order's index. Given ``ORDER BY … LIMIT 20``,
    PostgreSQL walks an index in that order hoping to meet 20 matches soon; when the matches lie
    far down it (a deputy's items after a ledger of old items they co-signed was imported: 71,000
    rows walked, 176 ms) that is the worst plan. A ``MATERIALIZED`` common table expression is
    planned for all its rows, the limit outside it; a set known to be small is then found by its
    own indexes and sorted (a few ms). (A subquery with ``OFFSET 0`` is not enough: the limit's
    fraction still reaches its plan.)"""
    try:
        sql, params = qs.values_list("pk", flat=True).query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # a condition that nothing meets (``none()``, ``pk__in=[]``)
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(f"WITH filtered_first AS MATERIALIZED ({sql}) "  # noqa: S608
                       "SELECT * FROM filtered_first LIMIT %s OFFSET %s", [*params, top - bottom, bottom])
        return [row[0] for row in cursor.fetchall()]


def tabbed_page(request: HttpRequest, tabs: Sequence[tuple[str, str, QuerySet[Any]]], *,
                per_page: int = 20) -> dict[str, Any]:
    """A queue page's tabs (key, label, queryset): the tab ``?tab=`` names (the first one when
    it names none), each tab with its count, and the current tab's ``?page=`` read as the list
    pages read theirs (``DeferredJoinPaginator``: the page's ids by the narrow index that fits
    the filter, then those rows with their joins — not the joined rows in the order's index,
    which read every past item of a town for the overdue tab)."""
    keys = [k for k, _label, _qs in tabs]
    current = request.GET.get("tab") or keys[0]
    if current not in keys:
        current = keys[0]
    qs = next(q for k, _label, q in tabs if k == current)
    paginator = DeferredJoinPaginator(qs, per_page)
    return {"tabs": [{"key": k, "label": label, "count": q.count()} for k, label, q in tabs],
            "current": current, "page": paginator.page(page_number(request.GET.get("page"), paginator))}


def joins_as_written(qs: QuerySet[Any], read: Callable[[], R]) -> R:
    """``read()`` — a query of ``qs``'s rows by primary key with their joins — with PostgreSQL
    told to join in the order written (``join_collapse_limit = 1``): from the rows picked by id,
    one index lookup per joined table, which is the best plan; left to itself the planner
    weighs every order of eight tables (5 ms planning a town's page, 17 ms the district's, at
    1,000,000 items, for 1 ms of execution). The setting holds for this statement only: set
    and put back inside the transaction (or one opened for it)."""
    db = qs.db
    conn = connections[db]
    if conn.vendor != "postgresql":
        return read()
    opened = contextlib.nullcontext() if conn.in_atomic_block else transaction.atomic(using=db)
    with opened, conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('join_collapse_limit'), set_config('join_collapse_limit', '1', true)")
        (before, _set), = cursor.fetchall()
        try:
            return read()
        finally:
            with contextlib.suppress(DatabaseError):  # a failed transaction is rolled back, setting and all
                cursor.execute("SELECT set_config('join_collapse_limit', %s, true)", [before])


def page_number(raw: str | None, paginator: Paginator | None) -> int:
    """The page a ``?page=`` asks for: anything not a whole number (``abc``, ``1.5``, ``-1``,
    ``0``) is the first page, a number past the end the last one (with no ``paginator``, a list
    not counted yet, its page finds that out: ``DeferredJoinPaginator(count_later=True)``)."""
    try:
        number = int(raw or 1)
    except (ValueError, TypeError):
        return 1
    if number < 1:
        return 1
    return number if paginator is None else min(number, max(paginator.num_pages, 1))


VERSION_FIELD = "_version"


def _version_of(obj: Any) -> str:
    """What the edit form was filled in from: the record's last change time (every service write
    touches ``updated_at``)."""
    stamp = getattr(obj, "updated_at", None)
    return stamp.isoformat() if stamp is not None else ""


#: The parts of a list's phone card, in their order: the title on a line of its own, then the
#: code, the state and the deadline on one line (``Column.card``).
CARD_PARTS = ("title", "code", "state", "deadline")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any]
    sort: str | None = None
    link: bool = False
    #: Kept on one line (dates, short words, numbers): never broken mid-word. The code, state and
    #: deadline of the phone card are kept whole without saying so.
    nowrap: bool = False
    #: Says something only to a user who sees every town (所属镇街): hidden from one town's users.
    district_only: bool = False
    #: Its part of the phone card (``CARD_PARTS``); a column without one is left out on a phone.
    card: str = ""


@dataclass(frozen=True)
class DetailField:
    label: Any
    value: Callable[[Any], Any]


#: A stand-in primary key in a detail URL reversed once for a whole page (a path converter's int).
_PK_MARK = 918273645


def table_rows_html(objs: Sequence[Any], columns: Sequence[Mapping[str, Any]], *, url_name: str,
                    bulk: bool) -> list[str]:
    """The list table's rows (``<tr>``), drawn in Python: character for character what the
    template loop of ``core/partials/list_table.html`` drew (``core/tests/test_list_rows.py``
    keeps that loop and compares), at a fraction of the cost — a 100-row page has a thousand cells,
    and each ``{% if %}`` and lookup of the template engine costs as much as the whole cell
    here. Values are escaped and localised as ``{{ }}`` does (``render_value_in_context``)."""
    context = Context(autoescape=True)

    def text(value: Any) -> str:
        return str(render_value_in_context(value, context))

    url_mark = reverse(url_name, args=[_PK_MARK])
    heads = []
    for col in columns:
        c = col["column"]
        head = f'\n    <td data-label="{text(c.label)}"'
        if col["part"]:
            head += f' data-card="{text(col["part"])}"'
        heads.append((c, head, bool(col["whole"])))
    out = []
    for obj in objs:
        url = conditional_escape(url_mark.replace(str(_PK_MARK), str(obj.pk)))
        parts = ['\n  <tr class="text-muted">\n    ' if getattr(obj, "is_active", None) is False
                 else "\n  <tr>\n    "]
        if bulk:
            label = _("选择 %(obj)s") % {"obj": text(obj)}
            parts.append(f'<td class="bulk-select"><input class="form-check-input" type="checkbox" name="ids" '
                         f'value="{text(obj.pk)}" form="bulk-form" aria-label="{label}"></td>')
        parts.append("\n    ")
        for c, head, whole in heads:
            value = c.value(obj)
            empty = value is None or value == ""
            parts.append(head)
            if whole or empty:
                parts.append(f' class="{"text-nowrap" if whole else ""}{" cell-empty" if empty else ""}"')
            shown = text(value)
            parts.append(f'><a href="{url}">{shown}</a></td>\n    ' if c.link else f">{shown}</td>\n    ")
        parts.append("\n  </tr>\n  ")
        out.append("".join(parts))
    return out


def set_queryset(form: forms.BaseForm, name: str, qs: QuerySet[Any]) -> None:
    """Limit a model choice field to what the user may see (from a selector).

    A form may render fewer options than it accepts: when it has a ``shown_choices(name, qs)``
    method returning a narrower queryset, the widget lists only those (a district-wide filter
    lists one town's grids, not all of them), while any option of ``qs`` stays valid."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = qs
    shown_choices = getattr(form, "shown_choices", None)
    shown = shown_choices(name, qs) if shown_choices is not None else None
    if shown is not None:
        display = copy.copy(field)  # shares the widget: setting its queryset sets the widget's choices
        display.queryset = shown


#: Django's label of a select's empty choice, replaced by words (``label_blanks``).
DASHES = "---------"


class _FetchedChoices(forms.models.ModelChoiceIterator):
    """A select's options read in one plain query. Django's iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL outside a transaction declares a ``WITH HOLD``
    server-side cursor — the result materialised on the server, then fetched: 6–8 ms for a few
    dozen villages or units, four times on a list page's filters. A select's options are few
    (they are all drawn), so they are fetched at once."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        fields = label_fields(self.field)
        if fields:
            label: Callable[..., str] = self.field.label_from_values  # type: ignore[attr-defined]
            for value, *parts in self.queryset.values_list(self.field.to_field_name or "pk", *fields):
                # No model is built: the option's value without its instance (no widget of renda reads it).
                yield forms.models.ModelChoiceIteratorValue(value, None), label(*parts)  # type: ignore[arg-type]
            return
        for obj in self.queryset:
            yield self.choice(obj)


def label_fields(field: forms.ModelChoiceField) -> tuple[str, ...]:
    """The model fields a select's option labels are made of, when its field says so: the class
    that defines its ``label_from_instance`` also defines ``label_fields`` and
    ``label_from_values(*values)`` giving the same label from those fields' values. Its options
    are then read as rows of values, not built as models with their selector's joins (a town's
    45 grids, each with its parent and town: 4 ms of a list page). Otherwise ()."""
    for cls in type(field).__mro__:
        if "label_from_instance" in cls.__dict__:
            return tuple(cls.__dict__.get("label_fields", ()))
    return ()


class NamedChoiceField(forms.ModelChoiceField):
    """A select of records shown by their ``name`` (a unit, a category), read as rows of values."""

    label_fields = ("name",)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)

    def label_from_values(self, name: str) -> str:
        return name


def fetch_choices_at_once(form: forms.BaseForm) -> None:
    """Every model select of ``form`` reads its options in one plain query (``_FetchedChoices``),
    now and after a later ``set_queryset``."""
    for f in form.fields.values():
        if not isinstance(f, forms.ModelChoiceField):
            continue
        f.iterator = _FetchedChoices
        shown = f.widget.choices  # the field's options, or fewer (``set_queryset``'s display copy)
        if isinstance(shown, forms.models.ModelChoiceIterator) and not isinstance(shown, _FetchedChoices):
            f.widget.choices = _FetchedChoices(shown.field)


def label_blanks(form: forms.BaseForm, label: Any) -> None:
    """Name the empty choice of every select: 全部 in a list filter, 请选择 in a form — not
    Django's ``---------``. Works before or after ``set_queryset`` (whose display copy of a field
    holds the widget's options)."""
    for f in form.fields.values():
        if isinstance(f, forms.ModelMultipleChoiceField):
            continue
        if isinstance(f, forms.ModelChoiceField):
            shown = getattr(f.widget.choices, "field", None)  # the ModelChoiceIterator's field
            for owner in {id(x): x for x in (f, shown) if x is not None}.values():
                if owner.empty_label == DASHES:
                    owner.empty_label = label
        elif isinstance(f, forms.ChoiceField):
            choices = list(f.choices)  # type: ignore[arg-type]
            if any(value == "" and text == DASHES for value, text in choices):
                f.choices = [(value, label if value == "" and text == DASHES else text) for value, text in choices]


class FilterForm(forms.Form):
    """Base for list filters: each subclass maps its cleaned fields onto the queryset."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        fetch_choices_at_once(self)
        for f in self.fields.values():
            f.required = False
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if isinstance(
                f.widget, forms.Select) else "form-control form-control-sm")
        label_blanks(self, gettext_lazy("全部"))

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs


class ActiveFilter(FilterForm):
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        choices=[("", gettext_lazy("全部")), ("active", gettext_lazy("启用")), ("inactive", gettext_lazy("已停用"))],
    )

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        status = self.cleaned_data.get("status")
        if status == "active":
            qs = qs.filter(is_active=True)
        elif status == "inactive":
            qs = qs.filter(is_active=False)
        return qs


class ResourceForm(forms.Form):
    """A plain form that knows the user (to scope its choices) and the object being edited."""

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any) -> None:
        self.user = user
        self.instance = instance
        super().__init__(*args, **kwargs)
        for f in self.fields.values():  # a multi-line text without a limit gets the edge rule's
            if isinstance(f, forms.CharField) and isinstance(f.widget, forms.Textarea) and f.max_length is None:
                f.max_length = TEXT_MAX_LENGTH
                f.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                f.widget.attrs["maxlength"] = str(TEXT_MAX_LENGTH)


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    fetch_choices_at_once(form)
    label_blanks(form, gettext_lazy("请选择"))
    for f in form.fields.values():
        w = f.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, (forms.Select, forms.SelectMultiple)):
            w.attrs.setdefault("class", "form-select")
        else:
            w.attrs.setdefault("class", "form-control")
    return form


def add_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a domain error on the form: on the fields it names, or as a non-field error."""
    placed = False
    for name, msgs in exc.fields.items():
        if name in form.fields:
            for m in msgs:
                form.add_error(name, m)
            placed = True
    if not placed or not any(exc.message in msgs for msgs in exc.fields.values()):
        form.add_error(None, exc.message)



A = TypeVar("A", bound=StrEnum)
F = TypeVar("F", bound=forms.BaseForm)
#: An action of a detail page: ``(user, item, cleaned_data) → the success message``.
ActionHandler = Callable[[Any, Any, dict[str, Any]], str]


def dispatch_action(
    request: HttpRequest, obj: Model, action: str, *, parse: Callable[[str], A],
    actions: Mapping[A, tuple[Callable[..., F], ActionHandler]], require: Callable[[Any, A, Any], None],
    form_kwargs: Mapping[str, Any], detail: str, done: Callable[[], HttpResponseBase] | None = None,
    offered: Callable[[], Collection[A]] | None = None, refusal: Callable[[A], str | None] | None = None,
    stale: str | None = None,
) -> tuple[A, F, HttpResponseBase | None, ApplicationError | None]:
    """One workflow action posted from a detail page (``ACTIONS``: action → form class, handler).

    An unknown action is a 404, one the user may not take a 403; the bound form is built with
    the posted data and files, ``form_kwargs`` and the user. An action the page does not offer
    now (``offered()``: the page's actions, from the workflow table, its guards and the policy) is
    refused before the form is read, with ``refusal(action)`` (why, in words) as the form's error
    and an ``IllegalTransition``. On success: the handler's message and ``done()``, by default a
    redirect to ``detail``; otherwise the service's error on the form (and returned, e.g. to answer
    a ``Conflict`` with 409) and no response, for the caller to show the page again.
    """
    try:
        a = parse(action)
    except ValueError:
        raise Http404 from None
    if a not in actions:
        raise Http404
    require(request.user, a, obj)
    form_class, handler = actions[a]
    form = form_class(request.POST, request.FILES, **form_kwargs, user=request.user)
    if offered is not None and a not in offered():
        posted = request.POST.get(form.add_prefix("version")) if "version" in form.fields else None
        refused: ApplicationError
        if posted is not None and str(getattr(obj, "version", posted)) != posted:
            refused = Conflict(stale or _("该记录已被他人修改，请刷新页面，核对后重新保存。"), code="stale")
        else:
            refused = IllegalTransition((refusal(a) if refusal is not None else None)
                                        or _("当前不能办理此操作，请刷新页面查看可办理的操作"))
        form.is_valid()  # the posted values are shown back, with the refusal as the form's error
        add_error(form, refused)
        return a, form, None, refused
    if form.is_valid():
        try:
            message = handler(request.user, obj, form.cleaned_data)
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
            return a, form, None, exc
        else:
            messages.success(request, message)
            return a, form, done() if done is not None else redirect(detail, obj.pk), None
    return a, form, None, None


def action_panel(available: Sequence[A], actions: Mapping[A, tuple[Callable[..., F], ActionHandler]], *,
                 bound: tuple[A, F] | None, label: Callable[[A], str], form_kwargs: Mapping[str, Any], user: Any,
                 danger: Collection[A] = ()) -> list[dict[str, Any]]:
    """The forms of the actions panel (``core/partials/actions.html``): a fresh form per available
    action, except the ``bound`` one that failed, shown open with its errors."""
    panel = []
    for a in available:
        form_class, _handler = actions[a]
        form = bound[1] if bound and bound[0] == a else form_class(**form_kwargs, user=user)
        panel.append({"action": a.value, "title": label(a), "form": form, "open": bool(bound and bound[0] == a),
                      "danger": a in danger})
    return panel

@dataclass
class Resource:
    """A set of staff pages for one model. Everything specific comes in as callables."""

    name: str  # URL name prefix and path segment, e.g. "deputies"
    model: type[Model]
    label: Any
    label_plural: Any
    can: Callable[[Any, str, Any], bool]
    require: Callable[..., None]
    selector: Callable[[Any], QuerySet[Any]]
    columns: Sequence[Column]
    search_fields: Sequence[str] = ()
    filter_form: type[FilterForm] = ActiveFilter
    default_sort: str = "pk"
    form_class: type[forms.Form] | None = None
    initial: Callable[[Any, Any], dict[str, Any]] | None = None  # (user, obj) -> initial data
    create: Callable[[Any, dict[str, Any]], Any] | None = None  # (actor, cleaned) -> obj
    update: Callable[[Any, Any, dict[str, Any]], Any] | None = None  # (actor, obj, cleaned) -> (obj, changed)
    deactivate: Callable[[Any, Any, str], Any] | None = None
    activate: Callable[[Any, Any], Any] | None = None
    detail_fields: Sequence[DetailField] = ()
    related: Callable[[Any, Any], list[dict[str, Any]]] | None = None  # (user, obj) -> related tables
    export_name: str = ""
    extra_context: dict[str, Any] = field(default_factory=dict)
    #: (user) -> the actions on ticked rows this user may take: [{"url", "label"}] posted with ``ids``
    bulk_actions: Callable[[Any], list[dict[str, Any]]] | None = None
    #: (user, the filtered queryset, sort) -> its rows' ids read another way, or None (``RankedIds``)
    ranked: Callable[[Any, QuerySet[Any], str], RankedIds | None] | None = None

    # -- queries --------------------------------------------------------------------------
    def shown_columns(self, user: Any) -> list[Column]:
        """The columns of the list page: a one-town user's list leaves out the district's ones."""
        every_town = sees_every_town(user)
        return [c for c in self.columns if every_town or not c.district_only]

    def card_parts(self, columns: Sequence[Column]) -> dict[str, str]:
        """Column key → its part of the phone card. A list whose columns name none shows its
        first link column that is not a code as the title, its other link columns as codes and
        its 状态 column."""
        parts = {c.key: c.card for c in columns if c.card}
        if parts:
            return parts
        links = sorted((c.key for c in columns if c.link), key=lambda key: key == "code")
        parts = {key: "title" if i == 0 else "code" for i, key in enumerate(links)}
        parts.update({c.key: "state" for c in columns if c.key in ("state", "status") and c.key not in parts})
        return parts

    def list_columns(self, user: Any) -> list[dict[str, Any]]:
        """The list page's columns with their part of the phone card and whether they are kept
        on one line (``nowrap``, and the card's code, state and deadline)."""
        columns = self.shown_columns(user)
        parts = self.card_parts(columns)
        return [{"column": c, "part": parts.get(c.key, ""),
                 "whole": c.nowrap or parts.get(c.key) in ("code", "state", "deadline")} for c in columns]

    def filtered(self, request: HttpRequest) -> tuple[QuerySet[Any], FilterForm, str, str]:
        qs = self.selector(request.user)
        form = self.filter_form(request.GET or None, user=request.user)
        if form.is_bound and form.is_valid():
            qs = form.apply(qs)
        # Control characters (a NUL ends an FTS5 phrase and PostgreSQL refuses it) match nothing.
        q = "".join(ch for ch in request.GET.get("q") or "" if ch >= " " and ch != "\x7f").strip()[:100]
        if q and self.search_fields:
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        sorts = {c.sort for c in self.columns if c.sort}
        sort = request.GET.get("sort") or ""
        if sort.lstrip("-") not in sorts:
            sort = self.default_sort
        qs = qs.order_by(sort, "pk")
        return qs, form, q, sort

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        obj = self.selector(request.user).filter(pk=pk).first()
        if obj is None:
            # Another town's or unit's record is indistinguishable from a missing one.
            self._log_missing(request, pk)
            raise Http404(_("记录不存在或无权查看。"))
        return obj

    def _log_missing(self, request: HttpRequest, pk: int) -> None:
        if self.model._default_manager.filter(pk=pk).exists():
            log_event(kind="not_found", user=request.user, path=request.path,
                      detail=f"{self.model._meta.label_lower}:{pk}")

    def _require(self, request: HttpRequest, action: str, obj: Any = None) -> None:
        try:
            self.require(request.user, action, obj)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    # -- views ----------------------------------------------------------------------------
    def list_view(self, request: HttpRequest) -> HttpResponseBase:
        self._require(request, "list")
        qs, form, q, sort = self.filtered(request)
        if request.GET.get("export") == "xlsx":
            self._require(request, "export")
            headers = [str(c.label) for c in self.columns]
            rows = ([c.value(o) for c in self.columns] for o in qs.iterator(chunk_size=2000))
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            with replica_reads():
                return xlsx_response(f"{self.export_name or self.label_plural}-{stamp}.xlsx",
                                     [(str(self.label_plural)[:31], headers, rows)])
        try:
            per_page = int(request.GET.get("per_page") or PAGE_SIZES[0])
        except ValueError:
            per_page = PAGE_SIZES[0]
        per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
        ranked = self.ranked(request.user, qs, sort) if self.ranked and q else None
        filters_set = sum(1 for name in form.fields if request.GET.get(form.add_prefix(name))) + bool(q)
        # The count is read after the page (``count_later``; the page asks for it with ``?count=1``)
        # where it costs more than the page: a search without a ranking that counts it cheaply
        # (SQLite's search table, by key), and a whole district's list without a filter (every
        # row of the table: 65 ms of a 118 ms page at 1,000,000 items on PostgreSQL).
        count_later = (bool(q) and ranked is None) or (not filters_set and sees_every_town(request.user))
        paginator = DeferredJoinPaginator(qs, per_page, count_limit=SEARCH_COUNT_LIMIT if q else None,
                                          ranked=ranked, count_later=count_later)
        if request.GET.get("count") == "1":
            return render(request, "core/partials/list_count.html", {"paginator": paginator})
        raw_page = request.GET.get("page")
        page = paginator.page(page_number(raw_page, None if paginator.count_later else paginator))
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        params.pop("count", None)
        sort_params = params.copy()
        sort_params.pop("sort", None)
        columns = self.list_columns(request.user)
        bulk_actions = self.bulk_actions(request.user) if self.bulk_actions else []
        table_rows = table_rows_html(page.object_list, columns, url_name=f"{self.name}:detail",
                                     bulk=bool(bulk_actions))
        ctx = {
            "resource": self, "page": page, "rows": table_rows, "filter_form": form, "q": q, "sort": sort,
            "columns": columns, "filters_set": filters_set,
            "query": params.urlencode(), "sort_query": sort_params.urlencode(), "per_page": per_page,
            "count_url": f"{request.path}?{params.urlencode()}&count=1",
            "page_sizes": PAGE_SIZES, "can_create": self.create is not None and self.can(request.user, "create", None),
            "can_export": self.can(request.user, "export", None),
            "bulk_actions": bulk_actions, **self.extra_context,
        }
        partial = bool(getattr(request, "htmx", False)) and request.headers.get("HX-Target") == "list-table"
        # A change of a field other fields' options depend on (the town) redraws the filters too.
        ctx["filters_oob"] = partial and request.headers.get("HX-Trigger-Name") in getattr(
            form, "redraw_on", ())
        ctx["partial"] = partial
        template = "core/partials/list_table.html" if partial else "core/list.html"
        return render(request, template, ctx)

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        self._require(request, "view", obj)
        ctx = {
            "resource": self, "obj": obj,
            "fields": [(f.label, f.value(obj)) for f in self.detail_fields],
            "history": history_for(obj),
            "can_change": self.update is not None and self.can(request.user, "change", obj),
            "can_deactivate": self.deactivate is not None and getattr(obj, "is_active", False)
            and self.can(request.user, "deactivate", obj),
            "can_activate": self.activate is not None and not getattr(obj, "is_active", True)
            and self.can(request.user, "deactivate", obj),
            "related": [*(self.related(request.user, obj) if self.related else []),
                        *panels.tables(self.name, request.user, obj)],
            **self.extra_context,
        }
        return render(request, "core/detail.html", ctx)

    def _form(self, request: HttpRequest, obj: Any = None) -> forms.Form:
        assert self.form_class is not None
        # Disabled fields take their value from ``initial``, so it is passed on POST too.
        initial = self.initial(request.user, obj) if self.initial else {}
        kwargs: dict[str, Any] = {"user": request.user, "instance": obj, "initial": initial}
        if request.method == "POST":
            return self.form_class(request.POST, **kwargs)
        return self.form_class(**kwargs)

    def create_view(self, request: HttpRequest) -> HttpResponseBase:
        if self.create is None:
            raise Http404
        self._require(request, "create")
        form = style_form(self._form(request))
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.create(request.user, form.cleaned_data)
            except (Forbidden, NotFound):
                raise
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("已新增{label}「{obj}」").format(label=self.label, obj=obj))
                return redirect(f"{self.name}:detail", obj.pk)
        return render(request, "core/form.html", {"resource": self, "form": form, "obj": None,
                                                  "title": _("新增{label}").format(label=self.label)})

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if self.update is None:
            raise Http404
        obj = self.get_object(request, pk)
        self._require(request, "change", obj)
        form = style_form(self._form(request, obj))
        version = request.POST.get(VERSION_FIELD) if request.method == "POST" else _version_of(obj)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    # Optimistic concurrency: the record, locked, must still be the one the form
                    # was filled in from; otherwise the second of two simultaneous edits would
                    # silently overwrite the first. (The edit page always posts the version; a
                    # client that posts none is not checked.)
                    current = lock(type(obj), obj.pk)
                    check_version(current, version, of=_version_of)
                    obj, changed = self.update(request.user, current, form.cleaned_data)
            except (Forbidden, NotFound):
                raise
            except ApplicationError as exc:
                add_error(form, exc)
                if isinstance(exc, Conflict):
                    return render(request, "core/form.html", {
                        "resource": self, "form": form, "obj": obj, "version": version, "stale": True,
                        "title": _("编辑{label}「{obj}」").format(label=self.label, obj=obj)}, status=409)
            else:
                if changed:
                    messages.success(request, _("已保存修改"))
                else:
                    messages.info(request, _("没有任何改动"))
                return redirect(f"{self.name}:detail", obj.pk)
        return render(request, "core/form.html", {"resource": self, "form": form, "obj": obj, "version": version,
                                                  "title": _("编辑{label}「{obj}」").format(label=self.label, obj=obj)})

    def deactivate_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return self._toggle(request, pk, deactivate=True)

    def activate_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return self._toggle(request, pk, deactivate=False)

    def _toggle(self, request: HttpRequest, pk: int, *, deactivate: bool) -> HttpResponseBase:
        fn = self.deactivate if deactivate else self.activate
        if fn is None:
            raise Http404
        obj = self.get_object(request, pk)
        self._require(request, "deactivate", obj)
        error = None
        if request.method == "POST":
            try:
                if deactivate:
                    assert self.deactivate is not None
                    self.deactivate(request.user, obj, (request.POST.get("reason") or "").strip()[:500])
                else:
                    assert self.activate is not None
                    self.activate(request.user, obj)
            except (Forbidden, NotFound):
                raise
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("已停用「{obj}」").format(obj=obj) if deactivate
                                 else _("已启用「{obj}」").format(obj=obj))
                return redirect(f"{self.name}:detail", obj.pk)
        return render(request, "core/confirm.html", {
            "resource": self, "obj": obj, "error": error, "deactivate": deactivate,
            "title": (_("停用{label}「{obj}」") if deactivate else _("启用{label}「{obj}」")).format(
                label=self.label, obj=obj),
        })

    def urls(self) -> tuple[list[URLPattern], str]:
        lr = login_required
        patterns = [
            path("", lr(self.list_view), name="list"),
            path("<int:pk>/", lr(self.detail_view), name="detail"),
        ]
        if self.create is not None:
            patterns.append(path("new/", lr(self.create_view), name="create"))
        if self.update is not None:
            patterns.append(path("<int:pk>/edit/", lr(self.edit_view), name="edit"))
        if self.deactivate is not None:
            patterns.append(path("<int:pk>/deactivate/", lr(self.deactivate_view), name="deactivate"))
        if self.activate is not None:
            patterns.append(path("<int:pk>/activate/", lr(self.activate_view), name="activate"))
        return patterns, self.name


def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def date_text(value: dt.date | None) -> str:
    return value.isoformat() if value else ""
