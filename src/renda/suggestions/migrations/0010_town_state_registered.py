"""The office's queues (to assign, to close …) list one state's items of a town, oldest first:
PostgreSQL read the town's items in date order and dropped 36,000 of other states for the
"to close" tab at a million items (138 ms)."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from renda.core import dbstats


def refresh_statistics(apps: Any, schema_editor: Any) -> None:
    dbstats.refresh_statistics(schema_editor, "suggestions_suggestion")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('places', '0001_initial'),
        ('suggestions', '0009_drop_town_deadline'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['town', 'state', 'registered_at'], name='suggestion_town_state_reg'),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop),
    ]
