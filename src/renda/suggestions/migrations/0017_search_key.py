"""SQLite: the search table keyed by town, registration date and id (decision 0023).

The FTS5 table of migration 0004 shared the item's id as its rowid, so a phrase's matches came
out in id order, all of them: a common phrase (5 % of a million items) was matched in full, then
the town's matches kept and sorted by date — twice, for the count and for the page. Here each
item's row in the search table has the key

    town_id << 47 | (2**17 - 1 - days from 1900-01-01 to registered_at) << 30 | id

so a town's matches are one range of keys, and ascending keys — the order FTS5 reads a term's
rows in — are the list's own order (newest first, then by id): a page or a capped count stops
as soon as it has its rows (``selectors.RankedMatches``). The table is contentless (it holds the index, not a copy of the
texts): a row is deleted by giving its key and its old texts, which the triggers have.

Limits of the key: town ids below 65,536, item ids below 1,073,741,824, registration dates from
1900 to 2258. PostgreSQL searches with its trigram index (migration 0007); nothing happens there.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

#: The key of an item's row (``selectors.search_key`` computes the same in Python; a test compares).
KEY = ("(({t}.town_id << 47) | ((131071 - CAST(julianday({t}.registered_at) - 2415020.5 AS INTEGER)) << 30)"
       " | {t}.id)")

FORWARD = [
    "DROP TRIGGER IF EXISTS suggestions_search_ai",
    "DROP TRIGGER IF EXISTS suggestions_search_ad",
    "DROP TRIGGER IF EXISTS suggestions_search_au",
    "DROP TABLE IF EXISTS suggestions_search",
    """CREATE VIRTUAL TABLE suggestions_search USING fts5(
        code, title, content, content='', tokenize='trigram')""",
    f"""CREATE TRIGGER suggestions_search_ai AFTER INSERT ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(rowid, code, title, content)
        VALUES ({KEY.format(t="new")}, new.code, new.title, new.content);
    END""",
    f"""CREATE TRIGGER suggestions_search_ad AFTER DELETE ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', {KEY.format(t="old")}, old.code, old.title, old.content);
    END""",
    f"""CREATE TRIGGER suggestions_search_au AFTER UPDATE OF code, title, content, town_id, registered_at
        ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', {KEY.format(t="old")}, old.code, old.title, old.content);
        INSERT INTO suggestions_search(rowid, code, title, content)
        VALUES ({KEY.format(t="new")}, new.code, new.title, new.content);
    END""",
    f"""INSERT INTO suggestions_search(rowid, code, title, content)
        SELECT {KEY.format(t="suggestions_suggestion")}, code, title, content FROM suggestions_suggestion""",
    # One b-tree per term instead of the segments of a long insert (7 s at 1,000,000 items).
    "INSERT INTO suggestions_search(suggestions_search) VALUES ('optimize')",
]

#: Migration 0004's table and triggers, rebuilt from the items.
BACKWARD = [
    "DROP TRIGGER IF EXISTS suggestions_search_ai",
    "DROP TRIGGER IF EXISTS suggestions_search_ad",
    "DROP TRIGGER IF EXISTS suggestions_search_au",
    "DROP TABLE IF EXISTS suggestions_search",
    """CREATE VIRTUAL TABLE suggestions_search USING fts5(
        code, title, content, content='suggestions_suggestion', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER suggestions_search_ai AFTER INSERT ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(rowid, code, title, content) VALUES (new.id, new.code, new.title, new.content);
    END""",
    """CREATE TRIGGER suggestions_search_ad AFTER DELETE ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', old.id, old.code, old.title, old.content);
    END""",
    """CREATE TRIGGER suggestions_search_au AFTER UPDATE OF code, title, content
        ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', old.id, old.code, old.title, old.content);
        INSERT INTO suggestions_search(rowid, code, title, content) VALUES (new.id, new.code, new.title, new.content);
    END""",
    "INSERT INTO suggestions_search(suggestions_search) VALUES ('rebuild')",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0016_via_deputy_partial_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
