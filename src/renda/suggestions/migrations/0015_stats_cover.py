"""Covering indexes for ``renda stats`` (``reports.metrics.suggestion_facts``).

The statistics rebuild each item's state at the as-of date from its events: the transitions
that set a deadline or exit, and the latest reply and evaluation up to that date. With indexes
on ``suggestion_id`` alone every one of those rows was read from the table (136,000 transition
rows for 23,000 items of one year of a district, most of them then dropped by the action
filter). These indexes hold every column the statement reads, so the rows come from the index:

- transitions: ``(suggestion, action, on, to_state)`` — replaces ``(suggestion, action)``, of which
  it is an extension (the queues' "returned" check still uses its first two columns);
- replies: ``(suggestion, replied_at, id, reply_class)``; evaluations: ``(suggestion, evaluated_at,
  id, result)`` — the latest one of an item is the index's last entry up to the date.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from renda.core import dbstats


def refresh(apps: Any, schema_editor: Any) -> None:
    for table in ("suggestions_transition", "suggestions_reply", "suggestions_evaluation"):
        dbstats.refresh_statistics(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0014_town_recent_index")]

    operations = [
        migrations.RemoveIndex(model_name="transition", name="suggestions_suggest_064047_idx"),
        migrations.AddIndex(
            model_name="transition",
            index=models.Index(fields=["suggestion", "action", "on", "to_state"], name="transition_events_cover"),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["suggestion", "replied_at", "id", "reply_class"], name="reply_latest_cover"),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(fields=["suggestion", "evaluated_at", "id", "result"], name="evaluation_latest_cover"),
        ),
        migrations.RunPython(refresh, migrations.RunPython.noop, elidable=False),
    ]
