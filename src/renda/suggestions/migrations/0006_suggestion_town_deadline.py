"""A town's list sorted by deadline reads the page's ids from ``(town, deadline)`` alone.

On SQLite, a database whose statistics were gathered before (``ANALYZE``; the bench loader and
large imports do it) has none for a new index, and the planner then prefers the new index
for queries it does not fit (the default newest-first list sorted 4,000 rows in memory instead
of reading ``(town, registered_at)``). Refreshing the table's statistics here keeps every index
described; a database that never gathered statistics keeps the planner's defaults.
"""

from typing import Any

from django.db import migrations, models

from renda.core import dbstats


def refresh_statistics(apps: Any, schema_editor: Any) -> None:
    dbstats.refresh_statistics(schema_editor, "suggestions_suggestion")


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0005_suggestion_registered_desc'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['town', 'deadline'], name='suggestion_town_deadline'),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]
