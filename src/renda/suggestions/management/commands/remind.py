"""``renda remind [--date YYYY-MM-DD]``: automatic reminders (催办) for items being handled whose
deadline is within 7 days (即将到期提醒) or already past (超期催办), and follow-ups (跟踪督办) of
items whose latest reply is class B (正在解决) or C (列入计划逐步解决): those stay followed up
until the unit answers again, one reminder every ``FOLLOW_UP_DAYS`` days after the reply.

Safe to run from cron as often as you like: an item gets at most one reminder of a kind per
day (``suggestion_remind`` returns None for a repeat), so a second run the same day sends
nothing new and says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit import context
from renda.suggestions import rules, selectors, services
from renda.suggestions.models import Reminder, ReminderKind, Reply, Suggestion
from renda.suggestions.workflow import State

#: A B/C reply is followed up this many days after it, and again every as many days.
FOLLOW_UP_DAYS = 30


def due_items(today: dt.date) -> list[tuple[Suggestion, str]]:
    """(item, reminder kind) for every item being handled that is due soon or overdue on ``today``
    (the same definition as the queues, ``selectors.due_and_overdue``), then the B/C follow-ups."""
    all_items = Suggestion.objects.select_related("town")
    due_soon, overdue = selectors.due_and_overdue(all_items, today, rules.DEFAULT.due_soon_days)
    return ([(s, ReminderKind.OVERDUE.value) for s in overdue.order_by("deadline", "code")]
            + [(s, ReminderKind.DUE_SOON.value) for s in due_soon.order_by("deadline", "code")]
            + follow_up_items(today))


def follow_up_items(today: dt.date) -> list[tuple[Suggestion, str]]:
    """Replied items whose latest reply is B or C and is at least FOLLOW_UP_DAYS old, with no
    follow-up in the last FOLLOW_UP_DAYS days."""
    since = today - dt.timedelta(days=FOLLOW_UP_DAYS)
    latest: dict[int, tuple[dt.date, str]] = {}
    replies = Reply.objects.filter(suggestion__state__in=[State.REPLIED, State.EVALUATED], replied_at__lte=today)
    for sid, on, cls in replies.order_by("suggestion_id", "replied_at", "id").values_list(
            "suggestion_id", "replied_at", "reply_class"):
        latest[sid] = (on, cls)
    due = [sid for sid, (on, cls) in latest.items() if cls in {"B", "C"} and on <= since]
    recent = set(Reminder.objects.filter(suggestion_id__in=due, kind=ReminderKind.FOLLOW_UP, sent_on__gt=since)
                 .values_list("suggestion_id", flat=True))
    items = Suggestion.objects.filter(pk__in=[sid for sid in due if sid not in recent]).order_by("code")
    return [(s, ReminderKind.FOLLOW_UP.value) for s in items]


def note_for(s: Suggestion, kind: str, today: dt.date) -> str:
    if kind == ReminderKind.FOLLOW_UP:
        return _("该事项答复为B/C类（正在解决或列入计划），请跟踪落实，解决后再次答复")
    assert s.deadline is not None
    if kind == ReminderKind.OVERDUE:
        return _("已超过办理期限 {d}（超期 {n} 天），请尽快办理答复").format(
            d=s.deadline.isoformat(), n=(today - s.deadline).days)
    return _("办理期限 {d}，还剩 {n} 天，请按期办理答复").format(d=s.deadline.isoformat(), n=(s.deadline - today).days)


def remind(today: dt.date) -> dict[str, int]:
    """Send the reminders due on ``today``; counts of sent (by kind) and skipped (already sent)."""
    counts = {ReminderKind.DUE_SOON.value: 0, ReminderKind.OVERDUE.value: 0, ReminderKind.FOLLOW_UP.value: 0,
              "skipped": 0}
    for s, kind in due_items(today):
        reminder = services.suggestion_remind(actor=None, suggestion_id=s.pk, kind=kind, note=note_for(s, kind, today),
                                              on=today)
        counts[kind if reminder is not None else "skipped"] += 1
    return counts


class Command(BaseCommand):
    help = "自动催办：办理期限 7 天内到期的事项发送即将到期提醒，已超期的发送超期催办；同一天重复运行不会重复发送。"

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
            counts = remind(today)
        due_soon, overdue, skipped = counts[ReminderKind.DUE_SOON], counts[ReminderKind.OVERDUE], counts["skipped"]
        follow_up = counts[ReminderKind.FOLLOW_UP]
        line = _("{d} 自动催办：即将到期提醒 {a} 件，超期催办 {b} 件，B/C类跟踪督办 {c} 件").format(
            d=today.isoformat(), a=due_soon, b=overdue, c=follow_up)
        if skipped:
            line += _("；今天已提醒过、未重复发送 {n} 件").format(n=skipped)
        if not (due_soon or overdue or follow_up or skipped):
            line += _("（没有需要提醒的事项）")
        self.stdout.write(line + "。")
