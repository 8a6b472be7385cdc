"""``renda liaison_remind [--date YYYY-MM-DD]``: the contact-target reminders of the quarter just
ended (deputies below the voter-contact target, presidium members who did not contact an
assigned deputy, a summary to the town's office). Run it daily from cron: each user gets at most
one reminder of a kind per quarter, so later runs send nothing new and say so."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit import context
from renda.liaison import services, targets


class Command(BaseCommand):
    help = "联系目标提醒：上季度联系选民低于目标的代表、未按目标联系代表的主席团成员、人大办汇总；同一季度不重复发送。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"].strip())
            except ValueError as exc:
                raise CommandError(_("日期格式不正确，应为 YYYY-MM-DD")) from exc
        with context.bind(source="command"):
            counts = services.liaison_remind(today=today)
        start, _end = targets.previous_quarter(today)
        line = _("{q} 联系目标提醒：代表联系选民 {a} 人，主席团成员联系代表 {b} 人，人大办汇总 {c} 人").format(
            q=targets.quarter_code(start), a=counts["voter"], b=counts["presidium"], c=counts["office"])
        if counts["skipped"]:
            line += _("；本季度已提醒过、未重复发送 {n} 人").format(n=counts["skipped"])
        self.stdout.write(line + "。")
