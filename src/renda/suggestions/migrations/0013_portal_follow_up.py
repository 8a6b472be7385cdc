"""The portal's follow-up of a public opinion by the deputy it came through (经由代表, 代表处理,
代表意见, 采纳为代表建议).

The two nullable foreign keys are Django's ``AddField`` (an ``ADD COLUMN`` on both back ends). The
two NOT NULL text columns are added with one ``ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT ''``
each, as 0012 does and for the same reason: on SQLite ``AddField`` of a NOT NULL column rebuilds
the table, which drops the search triggers of 0004 and the covering index of 0008.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

TABLE = "suggestions_suggestion"
TEXT_COLUMNS = (("deputy_follow_up", "varchar(10)"), ("deputy_note", "text"))


def forward(apps: Any, schema_editor: Any) -> None:
    for column, kind in TEXT_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {TABLE} ADD COLUMN {column} {kind} NOT NULL DEFAULT ''")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} DROP DEFAULT")


def backward(apps: Any, schema_editor: Any) -> None:
    for column, _kind in TEXT_COLUMNS:
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN {column}")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
        ('suggestions', '0012_suggestion_no_unit_contact'),
    ]

    operations = [
        migrations.AddField(
            model_name='suggestion',
            name='adopted_as',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adopted_from', to='suggestions.suggestion', verbose_name='采纳为代表建议'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='via_deputy',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='public_opinions', to='people.deputy', verbose_name='经由代表'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='suggestion',
                    name='deputy_follow_up',
                    field=models.CharField(blank=True, choices=[('', '待代表处理'), ('noted', '代表已留言'), ('passed_on', '代表已转人大办'), ('adopted', '代表已采纳为代表建议')], default='', max_length=10, verbose_name='代表处理'),
                ),
                migrations.AddField(
                    model_name='suggestion',
                    name='deputy_note',
                    field=models.TextField(blank=True, verbose_name='代表意见'),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward, elidable=False)],
        ),
    ]
