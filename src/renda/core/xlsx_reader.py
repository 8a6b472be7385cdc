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


class ReaderError(Exception):
    pass


def read(path: str, titles: Sequence[str], out: IO[bytes]) -> None:
    """Write ``("rows", [row, …])`` chunks and an ``("end", title)`` per sheet to ``out``; on any
    failure ``("error", text)``."""
    from openpyxl import load_workbook

    def send(message: tuple[str, Any]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
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
