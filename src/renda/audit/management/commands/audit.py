"""``renda audit verify``: walk the hash chain of the audit trail.

Prints ``审计链完整: N 条事件`` and exits 0 when every event is intact and in place; otherwise
names the first bad event (its id and why) on stderr and exits 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain


class Command(BaseCommand):
    help = "审计日志工具 — audit trail tools. 子命令 / subcommands: verify"
    # An integrity check reads only the audit tables: it must run even when a page or URL
    # module is broken, so the system checks are not a precondition.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.add_parser(
            "verify",
            help="校验审计链：被修改、删除或重排的事件都会被发现 — verify the hash chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify()

    def verify(self) -> None:
        problem = verify_chain()
        if problem is not None:
            where = f"事件 #{problem.event_id}" if problem.event_id is not None else "链头"
            raise CommandError(f"审计链校验失败: {where}: {problem.reason}", returncode=1)
        self.stdout.write(f"审计链完整: {AuditEvent.objects.count()} 条事件")
