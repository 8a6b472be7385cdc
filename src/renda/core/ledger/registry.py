"""The pluggable core of ledger import/export: sheet specifications and their registry.

Each app that owns data in the ledger declares its sheets in ``<app>/ledger_sheets.py`` and
calls :func:`register`; :class:`renda.ledger.apps.LedgerConfig` imports every installed app's
``ledger_sheets`` module when Django starts, so a new app plugs a sheet in without touching
this package. A sheet is:

- its name, its place in the import order (``order``; see the ``ORDER_*`` constants),
  its key column(s) and its columns (header, required, parser — see :mod:`renda.core.ledger.cells`);
- ``resolve(ctx, row) -> Resolved``: turns a parsed row into its key, its town and the values
  to write, looking up references (codes of earlier sheets or of the database);
  raises :class:`RowError` naming the column at fault;
- ``apply(ctx, resolved) -> Outcome``: creates or updates the record through the owning app's
  services (never by writing models), comparing first so unchanged rows call nothing;
- ``export(town) -> rows``: the sheet's rows (header → value) for one town, or for all when
  ``town`` is None, in a stable order that does not depend on database ids;
- ``example``: one example row for the template download.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from renda.core.ledger.cells import ColumnSpec
from renda.core.types import Actor

# The import order of LEDGER.md. Later sheets pick a number between or after these.
ORDER_TOWNS = 10
ORDER_VILLAGES = 20
ORDER_GRIDS = 30
ORDER_GRID_WORKERS = 40
ORDER_UNITS = 50
ORDER_DEPUTIES = 60
ORDER_SUGGESTIONS = 100
#: 信访值班 comes before 信访件 (a visit names the duty shift of its day), 信访隐患 after.
ORDER_DUTY_SHIFTS = 110
ORDER_PETITIONS = 120
ORDER_RISKS = 130
#: The later apps' sheets: 民生实事, 履职活动, then 代表小组 and 联系记录.
ORDER_PROJECTS = 140
ORDER_DUTY_ACTIVITIES = 145
ORDER_DEPUTY_GROUPS = 152
ORDER_CONTACTS = 154
#: 议案 after the deputies, units and suggestions: it names them and the sessions, and may register a suggestion.
ORDER_MOTIONS = 158
#: The presidium's sheets: 工作要点 (after 代表 and 履职活动), 信息报送, 荣誉.
ORDER_PLAN_TASKS = 160
ORDER_INFO_ITEMS = 162
ORDER_HONOURS = 164


class RowError(Exception):
    """One or more problems with a row, each naming its column (a header of the sheet)."""

    def __init__(self, column: str, message: str, *more: tuple[str, str]) -> None:
        super().__init__(message)
        self.problems: list[tuple[str, str]] = [(column, str(message)), *((c, str(m)) for c, m in more)]

    @classmethod
    def many(cls, problems: Sequence[tuple[str, str]]) -> RowError:
        first, *rest = problems
        return cls(first[0], first[1], *rest)


class Action(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Outcome:
    action: Action
    label: str
    detail: str = ""
    #: Records created on the side (e.g. a district named by a town row), as labels.
    extra_created: tuple[str, ...] = ()


@dataclass
class Row:
    """A parsed data row: values by header, only for the columns present in the sheet."""

    sheet: str
    number: int
    values: dict[str, Any]

    def has(self, header: str) -> bool:
        return header in self.values

    def get(self, header: str, default: Any = None) -> Any:
        return self.values.get(header, default)

    def __getitem__(self, header: str) -> Any:
        return self.values[header]


@dataclass
class Resolved:
    """A row ready to apply: its key (for duplicate detection), the code of the town it
    belongs to (for town-scoped users), a label for reports and whatever ``apply`` needs."""

    key: tuple[Any, ...]
    town_code: str | None
    label: str
    values: dict[str, Any] = field(default_factory=dict)
    row: Row | None = None


#: The most lookups an import memoizes at once (reference records: towns, units, categories …).
LOOKUPS_KEPT = 10_000


@dataclass
class ImportContext:
    """What ``resolve`` and ``apply`` may use: the acting user (None = the system), the town a
    town-scoped user is limited to, a per-import cache (``cache``: what a sheet remembers from
    row to row, kept for the whole import) and memoized lookups of reference records
    (:meth:`lookup`)."""

    actor: Actor
    scope_town: Any  # the town (places.Region) an import is limited to, or None
    dry_run: bool
    cache: dict[Any, Any] = field(default_factory=dict)
    lookups: dict[Any, Any] = field(default_factory=dict)

    def lookup(self, key: Any, fetch: Callable[[], Any]) -> Any:
        """``fetch()``, memoized under ``key`` — for records rows refer to again and again (a
        town by its code, a unit by its name …) and that the sheet's rows do not change.
        A ``RowError`` is not memoized. The importer forgets every lookup when a row fails
        (its savepoint is rolled back, possibly with a record it created and remembered) and
        when a sheet starts; at most ``LOOKUPS_KEPT`` are kept, so memory stays bounded."""
        try:
            return self.lookups[key]
        except KeyError:
            pass
        value = fetch()
        self.remember(key, value)
        return value

    def remember(self, key: Any, value: Any) -> None:
        """Memoize ``value`` (e.g. a record the row just created) as :meth:`lookup` would."""
        if len(self.lookups) >= LOOKUPS_KEPT:
            self.lookups.clear()
        self.lookups[key] = value

    def forget_lookups(self) -> None:
        self.lookups.clear()


@dataclass(frozen=True)
class BulkPath:
    """A sheet's faster path for the rows that create records (a large ledger's history): the
    importer takes a batch of rows, asks ``existing(keys)`` which keys the database already has
    (one query; those rows go through ``apply``), ``plan(ctx, resolved)`` for each other row —
    the same rules and steps as ``apply``, in memory, returning a draft and the row's ``Outcome``
    or raising as ``apply`` would — and ``write(ctx, drafts, rows)`` once for the batch (``rows``
    names the sheet's rows, e.g. for one audit event). The resolved key must be the key cells."""

    existing: Callable[[Sequence[tuple[Any, ...]]], set[tuple[Any, ...]]]
    plan: Callable[[ImportContext, Resolved], tuple[Any, Outcome]]
    write: Callable[[ImportContext, Sequence[Any], str], None]


ResolveFn = Callable[[ImportContext, Row], Resolved]
ApplyFn = Callable[[ImportContext, Resolved], Outcome]
#: ``export(town)``: the sheet's rows for one town (a places.Region), or for every town (None).
ExportFn = Callable[[Any], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class SheetSpec:
    name: str
    order: int
    key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    resolve: ResolveFn
    apply: ApplyFn
    export: ExportFn
    example: Mapping[str, Any]
    #: The column whose value decides the row's town (where "不属于您所在的镇街" is reported).
    town_column: str = ""
    #: Service error field names → headers, to place a service's error on the right column.
    field_columns: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    #: Holds personal data (names, ID numbers, phones): masked in web exports unless revealed.
    personal_data: bool = False
    #: The bulk path for new rows (``BulkPath``), if the sheet has one.
    bulk: BulkPath | None = None

    def __post_init__(self) -> None:
        headers = [c.header for c in self.columns]
        if len(set(headers)) != len(headers):
            raise ValueError(f"sheet {self.name}: duplicate headers")
        for h in (*self.key, *([self.town_column] if self.town_column else []), *self.field_columns.values()):
            if h not in headers:
                raise ValueError(f"sheet {self.name}: {h} is not one of its columns")
        for h in self.example:
            if h not in headers:
                raise ValueError(f"sheet {self.name}: example names unknown column {h}")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, header: str) -> ColumnSpec | None:
        for c in self.columns:
            if c.header == header:
                return c
        return None

    def row_values(self, row: Mapping[str, Any]) -> list[Any]:
        """An export or example row (header → value) in column order."""
        return [row.get(h) for h in self.headers]


_registry: dict[str, SheetSpec] = {}


def register(spec: SheetSpec) -> SheetSpec:
    """Add a sheet. Registering the same name again replaces it (module reloads in tests)."""
    for other in _registry.values():
        if other.name != spec.name and other.order == spec.order:
            raise ValueError(f"sheets {other.name} and {spec.name} have the same order {spec.order}")
    _registry[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    _registry.pop(name, None)


def sheets() -> list[SheetSpec]:
    """Every registered sheet, in import order."""
    return sorted(_registry.values(), key=lambda s: s.order)


def get(name: str) -> SheetSpec | None:
    return _registry.get(name)


# -- helpers for apply functions ----------------------------------------------------------


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def changed_values(obj: models.Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """The subset of ``values`` that differs from ``obj``. A list or tuple value is compared
    with the many-to-many field of that name as a set of primary keys."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, (list, tuple, set, frozenset)):
            current = {o.pk for o in getattr(obj, name).all()}
            if current != {_comparable(v) for v in value}:
                changes[name] = list(value)
            continue
        f = obj._meta.get_field(name)
        if isinstance(f, models.ForeignKey):
            current_id = getattr(obj, f.attname)
            if current_id != _comparable(value):
                changes[name] = value
        elif getattr(obj, name) != value:
            changes[name] = value
    return changes


def describe_changes(obj: models.Model, changes: Mapping[str, Any]) -> str:
    """The changed fields' names, for previews: e.g. "名称、类型"."""
    return "、".join(str(getattr(obj._meta.get_field(n), "verbose_name", n)) for n in changes)


# -- helpers for resolve functions and for comparing a row with what is registered -----------

#: The problem of a row that would change a registered record (imports only add to it).
DIFFERS = "与系统中已有的记录不一致（{current}）；导入不能修改已登记的内容"


def collect(problems: list[tuple[str, str]], fn: Callable[[], Any]) -> Any:
    """``fn()``, or None with its ``RowError`` problems added to ``problems``."""
    try:
        return fn()
    except RowError as exc:
        problems.extend(exc.problems)
        return None


def same_or_masked(stored: str, given: str, mask: Callable[[str], str]) -> bool:
    """A cell matches personal data when it is the value itself or, as exported, its mask."""
    return given == stored or ("*" in given and given == mask(stored))


def difference(column: str, current: Any) -> tuple[str, str]:
    """The problem of ``column`` differing from the registered ``current`` value (shown)."""
    shown = current.isoformat() if isinstance(current, dt.date) else (current if current not in ("", None)
                                                                      else _("空"))
    return column, _(DIFFERS).format(current=shown)
