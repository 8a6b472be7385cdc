"""The SQLite database (and its -wal/-shm) and uploaded attachments are mode 0600 (#14 item 8)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import override_settings


def _mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings (their WAL mode)")
def test_a_new_sqlite_database_and_its_wal_are_0600(tmp_path: Path, django_db_blocker: Any) -> None:
    name = tmp_path / "renda.sqlite3"
    sqlite3.connect(name).execute("CREATE TABLE t (x)").connection.close()
    os.chmod(name, 0o644)
    settings_dict = {**connection.settings_dict, "NAME": str(name)}
    db = DatabaseWrapper(settings_dict, alias="filemodes")
    try:
        with django_db_blocker.unblock(), db.cursor() as cur:  # connection_created fires here
            cur.execute("INSERT INTO t VALUES (1)")
            db.commit()
        assert _mode(name) == 0o600
        for suffix in ("-wal", "-shm"):
            if Path(f"{name}{suffix}").exists():
                assert _mode(f"{name}{suffix}") == 0o600, suffix
        assert Path(f"{name}-wal").exists(), "the settings' WAL mode should have made a -wal file"
    finally:
        db.close()


@pytest.mark.django_db
def test_the_test_database_is_0600() -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        assert _mode(connection.settings_dict["NAME"]) == 0o600


def test_uploaded_files_are_0600(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=tmp_path):
        storage = FileSystemStorage()
        name = storage.save("suggestions/2026/12/x.pdf", ContentFile(b"%PDF-1.4"))
        assert _mode(storage.path(name)) == 0o600
        assert _mode(Path(storage.path(name)).parent) == 0o700
