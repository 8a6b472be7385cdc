"""A workbook's rows read by a second process, so that parsing the XML (a fifth of a large
ledger import) runs beside the work on the rows instead of before it.

``SheetReader(path, titles)`` starts ``python -m renda.core.xlsx_reader PATH TITLE…`` (this module
imports only openpyxl: nothing of Django, no database connection), which reads the sheets in that
order, read-only and values only, and writes their rows to its stdout in pickled chunks; the pipe
holds a few chunks at most, so memory stays flat whatever the workbook's size. ``rows(title)``
yields them. ``close()`` stops the process whatever it is doing; a reader that fails or dies
raises ``ReaderError`` in the consumer.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterator, Sequence
from typing import IO, Any

CHUNK = 500

#: openpyxl's own ``ReadOnlyWorksheet._get_size``, kept when ``load_read_only`` replaces it.
openpyxl_get_size: Any = None


def load_read_only(source: Any) -> Any:
    """``openpyxl.load_workbook(source, read_only=True, data_only=True)``, without reading a whole
    sheet when it is opened.

    openpyxl sizes each read-only sheet on opening from its ``<dimension>`` element, and looks for
    it with an ``iterparse`` that sees elements only when they end: a sheet that declares none
    (what openpyxl's own write-only mode writes, so every ledger this platform exports, and the
    benchmark's workbooks) is parsed to its last row before the first row is read — a second full
    parse, 6 % of a 100,000-row import's main process. Here the search stops at the start of
    ``<sheetData>``; a sheet with a dimension reads the same, one without has no size (as before).
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    global openpyxl_get_size
    if getattr(ReadOnlyWorksheet, "_get_size", None) is not _declared_size:
        openpyxl_get_size = getattr(ReadOnlyWorksheet, "_get_size", None)
        setattr(ReadOnlyWorksheet, "_get_size", _declared_size)  # noqa: B010 (a private attribute mypy does not know)
    return load_workbook(source, read_only=True, data_only=True)


def _declared_size(self: Any) -> None:
    """``ReadOnlyWorksheet._get_size``, reading only up to ``<sheetData>`` (``load_read_only``)."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    src = self._get_source()
    try:
        for _event, element in iterparse(src, events=("start",)):
            if element.tag == DIMENSION_TAG:
                dimension = SheetDimension.from_tree(element)
                boundaries = dimension.boundaries if dimension is not None else None
                if boundaries is not None:
                    self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return  # no dimension declared
    finally:
        src.close()


class ReaderError(Exception):
    pass


def read(path: str, titles: Sequence[str], out: IO[bytes]) -> None:
    """Write ``("rows", [row, …])`` chunks and an ``("end", title)`` per sheet to ``out``; on any
    failure ``("error", text)``."""
    def send(message: tuple[str, Any]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        wb = load_read_only(path)
        try:
            for title in titles:
                chunk: list[tuple[Any, ...]] = []
                for row in wb[title].iter_rows(values_only=True):
                    chunk.append(row)
                    if len(chunk) >= CHUNK:
                        send(("rows", chunk))
                        chunk = []
                if chunk:
                    send(("rows", chunk))
                send(("end", title))
        finally:
            wb.close()
    except BrokenPipeError:
        return  # the consumer stopped reading
    except Exception as exc:  # reported to the consumer, which decides
        send(("error", f"{type(exc).__name__}: {exc}"))
    out.flush()


class SheetReader:
    def __init__(self, path: str, titles: Sequence[str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own module, our own interpreter)
            [sys.executable, "-m", "renda.core.xlsx_reader", path, *titles],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        assert self.process.stdout is not None
        self.stream = self.process.stdout
        self.unfinished: str | None = None  # a sheet whose rows were not all taken

    def _next(self) -> tuple[str, Any]:
        try:
            message: tuple[str, Any] = pickle.load(self.stream)  # noqa: S301 (our own child's output)
            return message
        except EOFError:
            raise ReaderError(f"the reader process ended (status {self.process.poll()})") from None

    def _skip_rest(self) -> None:
        while self.unfinished is not None:
            kind, value = self._next()
            if kind == "end":
                self.unfinished = None
            elif kind == "error":
                raise ReaderError(value)

    def rows(self, title: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``title`` (the next sheet the reader reads; what the caller did not take of
        the sheet before is skipped)."""
        self._skip_rest()
        self.unfinished = title
        while True:
            kind, value = self._next()
            if kind == "rows":
                yield from value
            elif kind == "end":
                self.unfinished = None
                if value != title:
                    raise ReaderError(f"expected sheet {title!r}, the reader sent {value!r}")
                return
            else:
                raise ReaderError(value)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.stream.close()


if __name__ == "__main__":
    read(sys.argv[1], sys.argv[2:], sys.stdout.buffer)
