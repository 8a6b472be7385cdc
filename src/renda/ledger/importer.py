"""Import a ledger workbook (.xlsx): all or nothing, every error reported.

The whole import runs in one transaction. Rows are applied through the owning apps' services
(so every write is audited) in the order of the registered sheets; a row may therefore refer
to an earlier sheet's rows or to the database. Errors do not stop the import: every row of
every sheet is checked, and when there is any error — or for a dry run — the transaction is
rolled back, audit events included.

What the importer keeps does not grow with the rows, but for the keys seen (duplicate rows)
and the errors (kept in full: they are the report): the workbook is read as a stream
(openpyxl's read-only mode), a sheet's result counts every row but lists only its first
:data:`ITEMS_KEPT` created/updated records (the web preview shows 200; the command and the
preview say how many more there are), and the records rows name again and again are looked up
once (:meth:`ImportContext.lookup`). Whatever a service hands to ``transaction.on_commit``
(notifications) is held by Django until the import commits.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.audit import context
from renda.core import uploads
from renda.core.errors import ApplicationError, InvalidInput
from renda.core.ledger import registry
from renda.core.ledger.cells import CellError, ColumnSpec, is_blank
from renda.core.ledger.registry import Action, ImportContext, Outcome, Resolved, Row, RowError, SheetSpec
from renda.core.types import Actor
from renda.core.xlsx_reader import SheetReader, load_read_only
from renda.ledger import policy
from renda.ledger.template import TEMPLATE_SHEETS

logger = logging.getLogger("renda.ledger")

#: How many created/updated rows a sheet's result lists (the counts are always exact).
ITEMS_KEPT = 1000


@dataclass(frozen=True)
class LedgerError:
    """One problem, located by sheet, row (1 = the header row) and column header."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.sheet and self.row is not None and self.column:
            return _("工作表「{sheet}」第{row}行「{column}」: {message}").format(
                sheet=self.sheet, row=self.row, column=self.column, message=self.message
            )
        if self.sheet and self.row is not None:
            return _("工作表「{sheet}」第{row}行: {message}").format(
                sheet=self.sheet, row=self.row, message=self.message
            )
        if self.sheet:
            return _("工作表「{sheet}」: {message}").format(sheet=self.sheet, message=self.message)
        return self.message


@dataclass(frozen=True)
class Item:
    action: Action
    row: int
    label: str
    detail: str = ""


@dataclass
class SheetResult:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: The first ``ITEMS_KEPT`` created/updated records, in row order (``items_omitted`` more).
    items: list[Item] = field(default_factory=list)

    def add(self, row: int, outcome: Outcome) -> None:
        for label in outcome.extra_created:
            self.created += 1
            self._keep(Item(Action.CREATED, row, label))
        if outcome.action == Action.CREATED:
            self.created += 1
        elif outcome.action == Action.UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1
            return
        self._keep(Item(outcome.action, row, outcome.label, outcome.detail))

    def _keep(self, item: Item) -> None:
        if len(self.items) < ITEMS_KEPT:
            self.items.append(item)

    @property
    def item_count(self) -> int:
        """Every created or updated record, listed in ``items`` or not."""
        return self.created + self.updated

    @property
    def items_omitted(self) -> int:
        """Created or updated records not listed in ``items``."""
        return self.item_count - len(self.items)

    @property
    def summary(self) -> str:
        return _("新增 {created} 条, 更新 {updated} 条, 未变 {unchanged} 条").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged
        )


@dataclass
class ImportResult:
    dry_run: bool = False
    sheets: list[SheetResult] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    warnings: list[LedgerError] = field(default_factory=list)
    #: True when the changes were written (no errors and not a dry run).
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(s.created for s in self.sheets)

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(s.unchanged for s in self.sheets)

    @property
    def summary(self) -> str:
        """ "新增 N 条, 更新 M 条" — what was (or, for a dry run, would be) written."""
        return _("新增 {created} 条, 更新 {updated} 条").format(created=self.created, updated=self.updated)

    def error_lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def warning_lines(self) -> list[str]:
        return [str(w) for w in self.warnings]


Source = str | Path | IO[bytes]


@dataclass
class Progress:
    """How far an import has got, handed to the ``progress`` callback of :func:`import_workbook`
    every :data:`PROGRESS_EVERY` rows and when a sheet ends. ``rows_total`` is what the sheets
    declare (their dimension; 0 when a workbook does not say), so it is an estimate."""

    rows_total: int = 0
    rows_checked: int = 0
    rows_written: int = 0
    errors: int = 0
    sheet: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def seconds_left(self) -> float | None:
        """The time left at the rate so far (None before there is a rate or without a total)."""
        if not self.rows_total or self.rows_checked < 1 or self.rows_checked >= self.rows_total:
            return None if not self.finished else 0.0
        return self.elapsed / self.rows_checked * (self.rows_total - self.rows_checked)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_checked * 100 // self.rows_total)

    def as_dict(self) -> dict[str, Any]:
        left = self.seconds_left
        return {"rows_total": self.rows_total, "rows_checked": self.rows_checked,
                "rows_written": self.rows_written, "errors": self.errors, "sheet": self.sheet,
                "percent": self.percent, "elapsed": round(self.elapsed, 1),
                "seconds_left": None if left is None else round(left, 1), "finished": self.finished}


ProgressFn = Callable[[Progress], None]
#: How often (in rows) an import reports its progress.
PROGRESS_EVERY = 200


class ImportCancelled(Exception):
    """Raised by a ``progress`` callback to stop an import: everything it wrote is rolled back."""


def scope_for(actor: Actor) -> Any:
    """The town a user may import into, or None for the system and district-wide users."""
    if actor is None or actor.town_id is None:
        return None
    return getattr(actor, "town", None)


def import_workbook(source: Source, *, actor: Actor = None, dry_run: bool = False,
                    limit_rows: bool = True, progress: ProgressFn | None = None,
                    bulk: bool | None = None) -> ImportResult:
    """Validate and import ``source``; see the module docstring. ``actor`` None = the system.
    The workbook's size is checked before it is parsed (``core.uploads.check_xlsx``); the rows
    and cells limits apply unless ``limit_rows`` is False (the command line, run by an
    administrator on the server, imports a district's full ledger).

    ``progress(p)`` is called with a :class:`Progress` every ``PROGRESS_EVERY`` rows, when a sheet
    ends and once at the end (``p.finished``); it may raise :class:`ImportCancelled`, which rolls
    the whole import back and reports "导入已取消".

    ``bulk``: new rows of a sheet that has a bulk path (``SheetSpec.bulk``: 意见建议) are checked by
    the same rules and written a batch at a time, with one audit event per batch (True), or go
    one by one through the services, with an audit event per step (False); None (the default)
    takes the bulk path for a sheet of ``BULK_MIN_ROWS`` rows or more. Either way a ledger is
    history: the import notifies nobody (docs/decisions/0020-bulk-ledger-import.md)."""
    result = ImportResult(dry_run=dry_run)
    tracker = _Tracker(progress)
    if actor is not None and not policy.can(actor, "import"):
        result.errors.append(LedgerError(_("您没有导入台账的权限。")))
        return result
    try:
        uploads.check_xlsx(source, limit_rows=limit_rows)
    except InvalidInput as exc:
        result.errors.append(LedgerError(exc.message))
        return result
    try:
        wb = load_read_only(source)
    except Exception as exc:
        logger.info("ledger: unreadable workbook: %s", exc)
        result.errors.append(LedgerError(_("无法读取文件：请上传 Excel 工作簿（.xlsx）。")))
        return result
    reader: SheetReader | None = None
    try:
        present: list[tuple[SheetSpec, Any]] = []
        for ws in wb.worksheets:
            spec = registry.get(ws.title.strip())
            if spec is None and ws.title.strip() in TEMPLATE_SHEETS:
                continue  # the template's 说明 and 代码表
            if spec is None:
                result.warnings.append(LedgerError(_("无法识别的工作表，已跳过"), sheet=ws.title))
            else:
                present.append((spec, ws))
        if not present:
            names = "、".join(s.name for s in registry.sheets())
            result.errors.append(LedgerError(_("工作簿中没有可导入的工作表（应为 {names}）").format(names=names)))
            return result
        present.sort(key=lambda p: p[0].order)
        tracker.state.rows_total = sum(max(0, (ws.max_row or 1) - 1) for _spec, ws in present)
        ctx = context.current()
        path = _path_of(source)
        if path is not None and path.stat().st_size >= READER_MIN_BYTES:
            reader = SheetReader(str(path), [ws.title for _spec, ws in present])
        try:
            with context.bind(request_id=ctx.request_id, ip=ctx.ip, source="import"), _as_they_are(), \
                    transaction.atomic():
                queued = len(connection.run_on_commit)
                ictx = ImportContext(actor=actor, scope_town=scope_for(actor), dry_run=dry_run)
                budget = _Budget(limit_rows)
                for spec, ws in present:
                    by_bulk = bulk if bulk is not None else (
                        None if ws.max_row is None else ws.max_row - 1 >= BULK_MIN_ROWS)
                    rows = reader.rows(ws.title) if reader is not None else ws.iter_rows(values_only=True)
                    _import_sheet(ictx, spec, budget.rows(rows), result, tracker, bulk=by_bulk)
                    if budget.exceeded:
                        result.errors.append(LedgerError(uploads.too_many_rows()))
                        break
                # A ledger is history: what the services queued to tell people is not sent.
                del connection.run_on_commit[queued:]
                if result.errors or dry_run:
                    transaction.set_rollback(True)
        except ImportCancelled:
            result.errors.append(LedgerError(_("导入已取消，数据库未改动。")))
    finally:
        if reader is not None:
            reader.close()
        wb.close()
    result.committed = not result.errors and not dry_run
    tracker.finish(result)
    return result


@contextlib.contextmanager
def _as_they_are() -> Iterator[None]:
    """The active time zone and language set, as they are, for the import: a step asks for both
    (its time, 系统 …), and Django finds one that was never set (a command) through an exception
    on every call — a third of the cost of dating and labelling a timeline row."""
    with timezone.override(timezone.get_current_timezone()), translation.override(translation.get_language()):
        yield


#: A workbook file at least this large is read by a second process (``core.xlsx_reader``) while
#: this one checks and writes the rows: on two cores, the fifth of a large import that parsing
#: the XML takes runs beside the rest.
READER_MIN_BYTES = 1_000_000


def _path_of(source: Source) -> Path | None:
    """The file ``source`` is, if it is one (a path, or a file opened from one)."""
    if isinstance(source, (str, Path)):
        return Path(source)
    name = getattr(source, "name", None)
    if isinstance(name, str) and Path(name).is_file():
        return Path(name)
    return None


class _Tracker:
    """Counts rows for the ``progress`` callback and calls it now and then."""

    def __init__(self, callback: ProgressFn | None) -> None:
        self.callback = callback
        self.state = Progress()

    def row(self, result: ImportResult, *, written: int = 0) -> None:
        self.state.rows_checked += 1
        self.state.rows_written += written
        if self.callback is not None and self.state.rows_checked % PROGRESS_EVERY == 0:
            self.report(result)

    def written(self, n: int) -> None:
        self.state.rows_written += n

    def report(self, result: ImportResult, sheet: str | None = None) -> None:
        if sheet is not None:
            self.state.sheet = sheet
        self.state.errors = len(result.errors)
        if self.callback is not None:
            self.callback(self.state)

    def finish(self, result: ImportResult) -> None:
        self.state.finished = True
        if not result.committed:
            self.state.rows_written = 0 if not result.dry_run else self.state.rows_written
        self.state.errors = len(result.errors)
        if self.callback is not None:
            with contextlib.suppress(ImportCancelled):  # the import is over either way
                self.callback(self.state)


class _Budget:
    """The rows and cells every sheet of a workbook may read together (``uploads.XLSX_MAX_*``):
    a sheet whose declared size lies is stopped here, as it is read."""

    def __init__(self, enforced: bool = True) -> None:
        self.enforced = enforced
        self.row_count = 0
        self.cell_count = 0
        self.exceeded = False

    def rows(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            self.row_count += 1
            self.cell_count += len(row)
            if self.enforced and (self.row_count > uploads.XLSX_MAX_ROWS
                                  or self.cell_count > uploads.XLSX_MAX_CELLS):
                self.exceeded = True
                return
            yield row


def _import_sheet(ctx: ImportContext, spec: SheetSpec, rows: Iterator[tuple[Any, ...]], result: ImportResult,
                  tracker: _Tracker | None = None, *, bulk: bool | None = False) -> None:
    """Import one sheet's rows; ``bulk``: by the sheet's bulk path if it has one, None: if it has
    ``BULK_MIN_ROWS`` rows or more (a sheet that does not declare its size: the first rows are
    held until there are that many, or the sheet ends)."""
    if spec.bulk is None:
        bulk = False
    sheet = spec.name
    sheet_result = SheetResult(sheet)
    result.sheets.append(sheet_result)
    tracker = tracker or _Tracker(None)
    tracker.report(result, sheet)
    header = next(rows, None)
    if header is None:
        result.warnings.append(LedgerError(_("工作表为空，已跳过"), sheet=sheet))
        return
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        if is_blank(cell):
            continue
        name = str(cell).strip()
        if name in columns:
            result.errors.append(LedgerError(_("表头重复"), sheet=sheet, row=1, column=name))
        elif spec.column(name) is None:
            result.warnings.append(LedgerError(_("无法识别的列，已跳过"), sheet=sheet, row=1, column=name))
        else:
            columns[name] = index
    missing = [c.header for c in spec.columns if c.required and c.header not in columns]
    for name in missing:
        result.errors.append(LedgerError(_("缺少必填列"), sheet=sheet, row=1, column=name))
    if missing:
        return

    # What the row loop reads per cell, worked out once: (header, index, column).
    present = [(name, index, spec.column(name)) for name, index in columns.items()]
    ctx.forget_lookups()  # a sheet sees the records as the earlier sheets left them
    rows_of = _SheetRows(ctx, spec, result, sheet_result, tracker)
    batch: list[tuple[int, Row | None, list[LedgerError]]] = []
    for number, cells in enumerate(rows, start=2):
        width = len(cells)
        raw = [(name, column, cells[index] if index < width else None) for name, index, column in present]
        if all(is_blank(value) for _name, _column, value in raw):
            continue
        row, errors = _parse_row(spec, number, raw)
        if bulk is False:
            rows_of.one(number, row, errors)
            continue
        batch.append((number, row, errors))
        if bulk is None and len(batch) >= BULK_MIN_ROWS:
            bulk = True
        if bulk and len(batch) >= BULK_BATCH:
            rows_of.batch(batch)
            batch = []
    if bulk:
        if batch:
            rows_of.batch(batch)
    else:
        for entry in batch:  # a sheet of fewer rows than BULK_MIN_ROWS
            rows_of.one(*entry)
    tracker.report(result)


#: The rows a bulk path takes at a time: their keys looked up in one query, their new records
#: written together (``BulkPath``).
BULK_BATCH = 1000
#: With ``bulk=None``, a sheet that has a bulk path takes it when it declares at least this many rows.
BULK_MIN_ROWS = 1000


class _SheetRows:
    """The rows of one sheet: checked and applied one by one (``one``), or a batch at a time by the
    sheet's bulk path (``batch``) — the same checks, errors and results either way."""

    def __init__(self, ctx: ImportContext, spec: SheetSpec, result: ImportResult, sheet_result: SheetResult,
                 tracker: _Tracker) -> None:
        self.ctx, self.spec, self.result, self.sheet_result, self.tracker = ctx, spec, result, sheet_result, tracker
        # The keys seen so far (duplicate rows): the one per-row state the import keeps.
        self.seen: dict[tuple[Any, ...], int] = {}

    def _resolve(self, number: int, row: Row) -> Resolved:
        resolved = self.spec.resolve(self.ctx, row)
        resolved.row = row
        first = self.seen.get(resolved.key)
        if first is not None:
            raise RowError(self.spec.key[0], _("与第{row}行重复").format(row=first))
        self.seen[resolved.key] = number
        scope = self.ctx.scope_town
        if scope is not None and resolved.town_code != scope.code:
            raise RowError(self.spec.town_column or self.spec.key[0], _("不属于您所在的镇街"))
        return resolved

    def _problems(self, number: int, exc: Exception) -> list[tuple[str, str]]:
        """A refused row's problems by column (the exception re-raised if it is not a refusal)."""
        if isinstance(exc, RowError):
            return exc.problems
        if isinstance(exc, ApplicationError):
            return [(_column_for(self.spec, exc.fields), exc.message)]
        if isinstance(exc, ValidationError):
            return [(self.spec.key[0], "；".join(exc.messages))]
        if isinstance(exc, IntegrityError):
            logger.warning("ledger: integrity error in %s row %s: %s", self.spec.name, number, exc)
            return [(self.spec.key[0], _("与已有数据冲突"))]
        raise exc

    def _refused(self, number: int, problems: list[tuple[str, str]]) -> None:
        # The row's savepoint was rolled back, and with it whatever the row created: a record it
        # put among the memoized lookups may no longer exist.
        self.ctx.forget_lookups()
        for column, message in problems:
            self.result.errors.append(LedgerError(message, sheet=self.spec.name, row=number, column=column))

    def one(self, number: int, row: Row | None, errors: list[LedgerError], resolved: Resolved | None = None) -> None:
        """Check and apply one row (in a savepoint: a refused row leaves nothing)."""
        if row is None:
            self.result.errors.extend(errors)
            self.tracker.row(self.result)
            return
        try:
            with transaction.atomic():
                outcome = self.spec.apply(self.ctx, resolved or self._resolve(number, row))
        except (RowError, ApplicationError, ValidationError, IntegrityError) as exc:
            self._refused(number, self._problems(number, exc))
            self.tracker.row(self.result)
            return
        self.sheet_result.add(number, outcome)
        self.tracker.row(self.result, written=int(outcome.action != Action.UNCHANGED))

    def batch(self, batch: list[tuple[int, Row | None, list[LedgerError]]]) -> None:
        """A batch by the bulk path: rows resolved in order, the keys already in the database
        looked up at once (those rows are applied one by one), the others planned in order and
        written together."""
        bulk = self.spec.bulk
        assert bulk is not None
        checked: list[tuple[int, Row | None, list[LedgerError], Resolved | None, list[tuple[str, str]]]] = []
        for number, row, errors in batch:
            resolved, problems = None, []
            if row is not None:
                try:
                    resolved = self._resolve(number, row)
                except (RowError, ApplicationError, ValidationError) as exc:
                    problems = self._problems(number, exc)
            checked.append((number, row, errors, resolved, problems))
        existing = bulk.existing([r.key for *_rest, r, _p in checked if r is not None])
        drafts: list[Any] = []
        numbers: list[int] = []
        for number, row, errors, resolved, problems in checked:
            if row is None or resolved is None or resolved.key in existing:
                if problems:
                    self._refused(number, problems)
                    self.tracker.row(self.result)
                else:
                    self.one(number, row, errors, resolved)
                continue
            try:
                draft, outcome = bulk.plan(self.ctx, resolved)
            except (RowError, ApplicationError, ValidationError, IntegrityError) as exc:
                self._refused(number, self._problems(number, exc))
            else:
                drafts.append(draft)
                numbers.append(number)
                self.sheet_result.add(number, outcome)
            self.tracker.row(self.result)
        if not drafts:
            return
        rows = _("工作表「{sheet}」第{first}–{last}行").format(sheet=self.spec.name, first=numbers[0], last=numbers[-1])
        try:
            bulk.write(self.ctx, drafts, rows)
        except IntegrityError as exc:  # a key taken since the batch was checked (a concurrent write)
            logger.warning("ledger: integrity error writing %s: %s", rows, exc)
            self.result.errors.append(LedgerError(_("与已有数据冲突（{rows}），请重新导入").format(rows=rows),
                                                  sheet=self.spec.name))
            return
        self.tracker.written(len(drafts))


def _parse_row(
    spec: SheetSpec, number: int, raw: list[tuple[str, ColumnSpec | None, Any]]
) -> tuple[Row | None, list[LedgerError]]:
    values: dict[str, Any] = {}
    errors: list[LedgerError] = []
    for header, column, value in raw:
        assert column is not None
        if is_blank(value):
            if column.required:
                errors.append(LedgerError(_("不能为空"), sheet=spec.name, row=number, column=header))
            values[header] = list(column.blank) if isinstance(column.blank, list) else column.blank
            continue
        try:
            values[header] = column.parse(value)
        except CellError as exc:
            errors.append(LedgerError(exc.message, sheet=spec.name, row=number, column=header))
    return (None if errors else Row(spec.name, number, values)), errors


def _column_for(spec: SheetSpec, fields: dict[str, list[str]]) -> str:
    for name in fields:
        if name in spec.field_columns:
            return spec.field_columns[name]
    return spec.key[0]
