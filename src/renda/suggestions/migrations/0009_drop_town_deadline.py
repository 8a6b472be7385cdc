"""Drop ``(town, deadline)`` (added by 0006).

Measured at a million items on SQLite: the planner, which has no histogram of the dates
(no STAT4), preferred it for the office's "overdue" queue — town and ``deadline < today`` —
and read every closed item of the town with a past deadline (538 ms) instead of the open items
through ``(town, state, deadline)`` (27 ms). Without it, a town's list sorted by deadline
reads its page's ids from ``(town, state, deadline)`` and sorts the town's ids (11–81 ms).
"""

from typing import Any

from django.db import migrations

from renda.core import dbstats


def refresh_statistics(apps: Any, schema_editor: Any) -> None:
    dbstats.refresh_statistics(schema_editor, "suggestions_suggestion")


class Migration(migrations.Migration):

    dependencies = [
        ('suggestions', '0008_search_cover'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='suggestion',
            name='suggestion_town_deadline',
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]
