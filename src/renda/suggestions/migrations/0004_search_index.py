"""Full-text (substring) search of suggestions — code, title, content — at district scale.

- SQLite: an FTS5 external-content table with the ``trigram`` tokenizer, kept in sync with
  ``suggestions_suggestion`` by triggers; a query of three or more characters is a phrase
  MATCH on it (substring semantics, case-insensitive), see ``selectors.search``.
- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(col)``, the expression Django's
  ``icontains`` compares, so the same ``icontains`` query uses them.

Each part runs only on its own back end; the other back end does nothing.
"""

from __future__ import annotations

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS suggestions_search USING fts5(
        code, title, content, content='suggestions_suggestion', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER IF NOT EXISTS suggestions_search_ai AFTER INSERT ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(rowid, code, title, content) VALUES (new.id, new.code, new.title, new.content);
    END""",
    """CREATE TRIGGER IF NOT EXISTS suggestions_search_ad AFTER DELETE ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', old.id, old.code, old.title, old.content);
    END""",
    """CREATE TRIGGER IF NOT EXISTS suggestions_search_au AFTER UPDATE OF code, title, content
        ON suggestions_suggestion BEGIN
        INSERT INTO suggestions_search(suggestions_search, rowid, code, title, content)
        VALUES ('delete', old.id, old.code, old.title, old.content);
        INSERT INTO suggestions_search(rowid, code, title, content) VALUES (new.id, new.code, new.title, new.content);
    END""",
    "INSERT INTO suggestions_search(suggestions_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS suggestions_search_ai",
    "DROP TRIGGER IF EXISTS suggestions_search_ad",
    "DROP TRIGGER IF EXISTS suggestions_search_au",
    "DROP TABLE IF EXISTS suggestions_search",
]
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS suggestion_title_trgm ON suggestions_suggestion "
    "USING gin (UPPER(title::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS suggestion_content_trgm ON suggestions_suggestion "
    "USING gin (UPPER(content) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS suggestion_code_trgm ON suggestions_suggestion "
    "USING gin (UPPER(code::text) gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS suggestion_title_trgm",
    "DROP INDEX IF EXISTS suggestion_content_trgm",
    "DROP INDEX IF EXISTS suggestion_code_trgm",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0003_reminder_follow_up")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
            elidable=False,
        ),
    ]
