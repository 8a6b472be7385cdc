"""``renda send_notifications``: send the due SMS and e-mails of the outbox now (the worker does
this every few seconds; this is for cron or a check by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from renda.notifications.services import send_due


class Command(BaseCommand):
    help = "发送到期的外发通知（短信、邮件）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due(limit=options["limit"])
        self.stdout.write("已发送 {sent}，待重试 {retry}，失败 {failed}，跳过 {skipped}".format(**counts))
