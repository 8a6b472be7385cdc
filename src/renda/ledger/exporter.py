"""Export ledger workbooks: every registered sheet with its headers, for one town or all.

Export → import into an empty instance → export gives the same cell values.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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


def _rows(spec: SheetSpec, town: Region | None) -> Iterator[list[Any]]:
    for row in spec.export(town):
        yield [export_cell(v) for v in spec.row_values(row)]


def ledger_sheets(town: Region | None = None) -> list[SheetData]:
    """(title, headers, rows) of every sheet, for ``town`` or for every town when None."""
    return [(spec.name, spec.headers, _rows(spec, town)) for spec in registry.sheets()]


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


def export_workbook(dest: str | Path | IO[bytes], *, town: Region | None = None) -> None:
    write_workbook(dest, ledger_sheets(town))


def export_filename(town: Region | None) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _("台账-{scope}-{stamp}.xlsx").format(scope=town.name if town else _("全部"), stamp=stamp)
