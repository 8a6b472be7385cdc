"""Files holding personal data are the server account's only (mode 0600, like the key files):
the SQLite database and its -wal/-shm (SQLite gives those the database file's mode), and
uploaded attachments (``FILE_UPLOAD_PERMISSIONS``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

PRIVATE = 0o600


def make_private(path: str | Path) -> None:
    """Mode 0600 for ``path`` if it exists and is looser."""
    with contextlib.suppress(OSError):
        if os.stat(path).st_mode & 0o777 != PRIVATE:
            os.chmod(path, PRIVATE)


def private_sqlite_files(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: the SQLite database file and its companions to 0600."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        make_private(name + suffix)
