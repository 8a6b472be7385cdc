"""A deputy's items are found by ``lead_deputy = d OR via_deputy = d``. ``via_deputy`` is empty on
nearly every item, so SQLite's ANALYZE, counting one value on a million rows, took its full index
as useless and scanned the table for the OR (1.1 s a count at 1,000,000 items). The full index is
replaced by one of the items that name a deputy. By hand, not AlterField: on SQLite that would
rebuild the table, dropping the search triggers and the covering index made in SQL."""

import django.db.models.deletion
from django.db import migrations, models

FULL_INDEX = "suggestions_suggestion_via_deputy_id_ea70ca05"


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_deputy_phone_public"),
        ("suggestions", "0015_stats_cover"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="suggestion",
                    name="via_deputy",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="public_opinions", to="people.deputy", verbose_name="经由代表",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{FULL_INDEX}"',
                    f'CREATE INDEX "{FULL_INDEX}" ON "suggestions_suggestion" ("via_deputy_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="suggestion",
            index=models.Index(
                condition=models.Q(("via_deputy__isnull", False)), fields=["via_deputy"], name="suggestion_via_deputy"
            ),
        ),
    ]
