"""The office queue's tabs from their indexes (decision 0021, third round). A town's registered
items are counted twice, with and without a 退回 transition: on PostgreSQL each count read every
such item's row from the table (the index held no id) and probed the transitions once per item —
96 ms for a town with 28,890 unassigned items at 1,000,000. The state index now ends with the id
(an index-only count), and the few returned items have an index of their own (a hash of them
instead of a probe per item): 6 ms. SQLite's indexes end with the id anyway."""

from typing import Any

from django.conf import settings
from django.db import migrations, models

from renda.core import dbstats


def analyze(apps: Any, schema_editor: Any) -> None:
    dbstats.refresh_statistics(schema_editor, "suggestions_suggestion")
    dbstats.refresh_statistics(schema_editor, "suggestions_transition")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_deputy_phone_public'),
        ('places', '0001_initial'),
        ('suggestions', '0018_town_deadline_indexes'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(fields=['town', 'state', 'registered_at', 'id'], name='suggestion_town_state_reg_id'),
        ),
        migrations.RemoveIndex(
            model_name='suggestion',
            name='suggestion_town_state_reg',
        ),
        migrations.AddIndex(
            model_name='transition',
            index=models.Index(condition=models.Q(('action', 'return')), fields=['suggestion'],
                               name='transition_returns'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=False),
    ]
