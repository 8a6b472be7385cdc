"""A town's items newest first, read in index order: ``(town, registered_at, id)`` replaces
``(town, registered_at)``.

The similarity check of every registration reads the town's 200 most recently registered open
items (``ORDER BY registered_at DESC, id DESC LIMIT 200``). SQLite's index already ends with the
rowid, so it reads 200 entries and stops; PostgreSQL's did not hold ``id``, so it read every item
of the latest date (an Incremental Sort) or, with statistics behind, every open item of the town
and sorted them: 26 ms for 4,249 open items of one town in the intake benchmark, growing with the
town. With ``id`` in the index both read the same few entries.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from renda.core import dbstats


def refresh(apps: Any, schema_editor: Any) -> None:
    dbstats.refresh_statistics(schema_editor, "suggestions_suggestion")


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0013_portal_follow_up")]

    operations = [
        migrations.RemoveIndex(model_name="suggestion", name="suggestions_town_id_c98b29_idx"),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(fields=["town", "registered_at", "id"], name="suggestion_town_recent"),
        ),
        migrations.RunPython(refresh, migrations.RunPython.noop, elidable=False),
    ]
