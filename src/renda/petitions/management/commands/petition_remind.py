"""``renda petition_remind [--date YYYY-MM-DD]`` — tell each town's office about petitions whose
legal time limit runs out within 7 days or has passed. Safe to run from cron as often as
wanted: a petition is reminded of at most once a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from renda.petitions import notify, rules
from renda.petitions.models import Petition


def remind(today: dt.date) -> int:
    """Notifications sent for ``today`` (petitions already reminded today are skipped)."""
    from django.urls import reverse

    from renda.notifications.models import Notification

    start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    done = set(Notification.objects.filter(verb__in=["petition.due_soon", "petition.overdue"],
                                           created_at__gte=start).values_list("url", flat=True))
    sent = 0
    for overdue, qs in ((False, Petition.objects.due_soon(today, rules.DEFAULT.due_soon_days)),
                        (True, Petition.objects.overdue(today))):
        todo = [p for p in qs.order_by("deadline", "id") if reverse("petitions:detail", args=[p.pk]) not in done]
        sent += notify.due(todo, today, overdue=overdue)
    return sent


class Command(BaseCommand):
    help = "信访件期限提醒：即将到期（7日内）和已超期的信访件通知本镇街人大办。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="按此日期计算（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        self.stdout.write(f"信访件提醒：发送通知 {remind(today)} 条")
