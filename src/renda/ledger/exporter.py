"""Export ledger workbooks: every registered sheet with its headers, for one town or all.

Export → import into an empty instance → export gives the same cell values.

``progress(p)`` (an :class:`ExportProgress`) is called when a sheet starts, every
:data:`PROGRESS_EVERY` rows it writes, when it ends and once the workbook is saved: how many rows
each sheet has written so far (a sheet's total is not known before it is read, so the percent
counts finished sheets).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from renda.core.export import write_sheet
from renda.core.ledger import registry
from renda.core.ledger.cells import export_cell
from renda.core.ledger.registry import SheetSpec
from renda.places.models import Region

SheetData = tuple[str, Sequence[str], Iterable[Sequence[Any]]]

#: How often (in rows) an export reports its progress.
PROGRESS_EVERY = 500


@dataclass
class ExportProgress:
    """How far an export has got: the rows written so far, sheet by sheet (in sheet order)."""

    sheets_total: int = 0
    #: sheet name → rows written (the sheets started so far).
    sheet_rows: dict[str, int] = field(default_factory=dict)
    sheet: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def rows_written(self) -> int:
        return sum(self.sheet_rows.values())

    @property
    def sheets_done(self) -> int:
        """Sheets written to the end (every started sheet but the current one, or all once finished)."""
        return len(self.sheet_rows) if self.finished else max(0, len(self.sheet_rows) - 1)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.sheets_total:
            return 0
        return min(99, self.sheets_done * 100 // self.sheets_total)

    def as_dict(self) -> dict[str, Any]:
        return {"sheets_total": self.sheets_total, "sheets_done": self.sheets_done, "sheet": self.sheet,
                "rows_written": self.rows_written, "sheet_rows": dict(self.sheet_rows),
                "percent": self.percent, "elapsed": round(self.elapsed, 1), "finished": self.finished}


ExportProgressFn = Callable[[ExportProgress], None]


def _rows(spec: SheetSpec, town: Region | None, state: ExportProgress | None = None,
          progress: ExportProgressFn | None = None) -> Iterator[list[Any]]:
    if state is not None:
        state.sheet = spec.name
        state.sheet_rows[spec.name] = 0
        if progress is not None:
            progress(state)
    count = 0
    for row in spec.export(town):
        yield [export_cell(v) for v in spec.row_values(row)]
        if state is not None:
            count += 1
            state.sheet_rows[spec.name] = count
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(state)
    if state is not None and progress is not None:
        progress(state)


def ledger_sheets(town: Region | None = None, *, progress: ExportProgressFn | None = None,
                  state: ExportProgress | None = None) -> list[SheetData]:
    """(title, headers, rows) of every sheet, for ``town`` or for every town when None; with
    ``progress``, each sheet reports its rows as they are read (into ``state``, a new
    :class:`ExportProgress` unless given)."""
    specs = registry.sheets()
    if progress is not None and state is None:
        state = ExportProgress()
    if state is not None:
        state.sheets_total = len(specs)
    return [(spec.name, spec.headers, _rows(spec, town, state, progress)) for spec in specs]


def template_sheets() -> list[SheetData]:
    """Every sheet's headers and one example row."""
    return [
        (spec.name, spec.headers, [[export_cell(v) for v in spec.row_values(spec.example)]])
        for spec in registry.sheets()
    ]


def write_workbook(dest: str | Path | IO[bytes], sheets: Sequence[SheetData]) -> None:
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        write_sheet(wb, title, headers, rows)
    wb.save(dest)


def export_workbook(dest: str | Path | IO[bytes], *, town: Region | None = None,
                    progress: ExportProgressFn | None = None) -> ExportProgress:
    """Write every sheet for ``town`` (every town when None) to ``dest``; returns the rows written
    (``progress`` is also told, as it goes and once the workbook is saved)."""
    state = ExportProgress()
    write_workbook(dest, ledger_sheets(town, progress=progress, state=state))
    state.finished = True
    if progress is not None:
        progress(state)
    return state


def export_filename(town: Region | None) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _("台账-{scope}-{stamp}.xlsx").format(scope=town.name if town else _("全部"), stamp=stamp)
