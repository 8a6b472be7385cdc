"""不愿承办单位直接联系: the submitter asked to be contacted through the office only.

Added with one ``ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT`` on both back ends instead of
Django's ``AddField``: on SQLite, ``AddField`` of a NOT NULL column rebuilds the table, which
drops the search triggers of 0004 (the FTS5 table would stop following new items) and the
covering index of 0008, and copies every row (gigabytes at district scale). ``ADD COLUMN`` with
a constant default changes the schema only, on SQLite and on PostgreSQL (11+).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

TABLE = "suggestions_suggestion"
COLUMN = "no_unit_contact"


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} boolean NOT NULL DEFAULT false")
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} DROP DEFAULT")
    else:
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} bool NOT NULL DEFAULT 0")


def backward(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN {COLUMN}")


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0011_actions_close_dissatisfied_to_petition"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="suggestion",
                    name="no_unit_contact",
                    field=models.BooleanField(default=False, verbose_name="不愿承办单位直接联系"),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
