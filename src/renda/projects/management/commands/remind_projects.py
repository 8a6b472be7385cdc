"""``renda remind_projects [--date YYYY-MM-DD]``: the daily warnings of livelihood projects — a
stage past its planned end and not done, a rectification report overdue or due within 7 days —
sent as notifications to the town's office, presidium and the lead unit. Safe to run from cron
as often as you like: a project is reminded at most once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renda.projects import services


class Command(BaseCommand):
    help = "民生实事项目预警提醒（阶段逾期、整改报告到期）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("日期格式应为 YYYY-MM-DD")) from None
        n = services.projects_remind(today=today)
        self.stdout.write(_("已提醒 {n} 个民生实事项目").format(n=n))
