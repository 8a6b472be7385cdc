"""Keeping the query planner's statistics true after a migration adds an index."""

from __future__ import annotations

from typing import Any


def refresh_statistics(schema_editor: Any, table: str) -> None:
    """``ANALYZE table``. On SQLite only where statistics were gathered before (``ANALYZE``: the
    bench loader and large imports do it): a new index without statistics next to indexes with
    them misleads the planner (it chose a new index for queries it does not fit), while a
    database that never gathered any keeps the planner's defaults."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
