"""Progress of ``renda import_ledger`` and ``renda export_ledger`` on a terminal (``rich``).

The bar is drawn only when the command's output is a terminal (or ``--progress`` says so); piped
into a file or a log, the commands print what they always printed and nothing else. The bar is
redrawn when the importer or the exporter reports (every few hundred rows), never from a thread
of its own, so what it shows is exactly what was reported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from django.utils.translation import gettext as _
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from renda.ledger.exporter import ExportProgress
from renda.ledger.importer import Progress as ImportProgress


def wants_progress(option: bool | None, stream: Any) -> bool:
    """``--progress`` / ``--no-progress`` when given, else whether ``stream`` is a terminal."""
    if option is not None:
        return option
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _raw(stream: Any) -> TextIO:
    """The file under Django's ``OutputWrapper`` (whose ``write`` adds line endings)."""
    return getattr(stream, "_out", stream)


def _bar(stream: Any) -> Progress:
    console = Console(file=_raw(stream), force_terminal=True, highlight=False)
    return Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
        TextColumn("{task.fields[counts]}", markup=False),
        console=console, auto_refresh=False, transient=False,
    )


def _left(seconds: float | None) -> str:
    if seconds is None:
        return _("估算中")
    if seconds < 60:
        return _("约 {n} 秒").format(n=max(1, round(seconds)))
    return _("约 {n} 分钟").format(n=round(seconds / 60))


def import_counts(p: ImportProgress) -> str:
    """One line of counts: rows checked (of the workbook's estimate), written, errors, time left."""
    checked = (_("已检查 {n}/{total} 行").format(n=p.rows_checked, total=p.rows_total) if p.rows_total
               else _("已检查 {n} 行").format(n=p.rows_checked))
    parts = [checked, _("已写入 {n} 行").format(n=p.rows_written), _("错误 {n} 个").format(n=p.errors)]
    if not p.finished:
        parts.append(_("剩余 {left}").format(left=_left(p.seconds_left)))
    return " · ".join(parts)


def export_counts(p: ExportProgress) -> str:
    return " · ".join([
        _("已写入 {n} 行").format(n=p.rows_written),
        _("工作表 {done}/{total}").format(done=p.sheets_done, total=p.sheets_total),
    ])


@contextlib.contextmanager
def import_progress(stream: Any, *, enabled: bool) -> Iterator[Callable[[ImportProgress], None] | None]:
    """``with import_progress(self.stdout, enabled=...) as progress: import_workbook(..., progress=progress)``;
    ``progress`` is None when not enabled."""
    if not enabled:
        yield None
        return
    with _bar(stream) as bar:
        task = bar.add_task(_("导入"), total=None, counts="")

        def report(p: ImportProgress) -> None:
            bar.update(task, description=escape(p.sheet or _("导入")), total=p.rows_total or None,
                       completed=p.rows_total if p.finished and p.rows_total else p.rows_checked,
                       counts=import_counts(p), refresh=True)

        yield report


@contextlib.contextmanager
def export_progress(stream: Any, *, enabled: bool) -> Iterator[Callable[[ExportProgress], None] | None]:
    """``with export_progress(self.stdout, enabled=...) as progress: export_workbook(..., progress=progress)``."""
    if not enabled:
        yield None
        return
    with _bar(stream) as bar:
        task = bar.add_task(_("导出"), total=None, counts="")

        def report(p: ExportProgress) -> None:
            bar.update(task, description=escape(p.sheet or _("导出")), total=p.sheets_total or None,
                       completed=p.sheets_done, counts=export_counts(p), refresh=True)

        yield report
