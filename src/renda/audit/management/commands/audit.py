"""``renda audit verify``: walk the keyed hash chain of the audit trail and check it against
every checkpoint; ``renda audit checkpoint``: record the head outside the database.

``verify`` prints ``审计链完整: N 条事件`` and exits 0 when every event is intact and in place
(its hash made with the audit key, the chain matching each checkpoint); otherwise names the
first bad event (its id and why) on stderr and exits 1. ``--checkpoints FILE`` checks against
another checkpoint file (the copy beside a backup, or one typed back from paper).

``checkpoint`` appends (time, count, last event, head hash) to ``$RENDA_DATA_DIR/audit_checkpoints``
— daily from cron, and ``renda backup`` does it too (decision 0010); ``checkpoint --print``
prints every checkpoint for paper instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.audit import anchor
from renda.audit.models import AuditEvent
from renda.audit.services import ChainBroken, verify_chain, write_checkpoint


class Command(BaseCommand):
    help = "审计日志工具 — audit trail tools. 子命令 / subcommands: verify, checkpoint"
    # An integrity check reads only the audit tables: it must run even when a page or URL
    # module is broken, so the system checks are not a precondition.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        verify = sub.add_parser(
            "verify",
            help="校验审计链：被修改、删除、重排或重算的事件都会被发现 — verify the keyed hash chain "
                 "and every checkpoint.",
        )
        verify.add_argument("--checkpoints", metavar="FILE",
                            help="检查点文件（默认为数据目录中的 audit_checkpoints）— another checkpoint file")
        checkpoint = sub.add_parser(
            "checkpoint",
            help="记录链头（时间、条数、哈希）到数据目录的检查点文件 — append the head to the checkpoint file.",
        )
        checkpoint.add_argument("--print", action="store_true", dest="print_",
                                help="打印全部检查点（可打印存档），不写新检查点 — print every checkpoint")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("checkpoints"))
        elif options["action"] == "checkpoint":
            self.checkpoint(print_=bool(options.get("print_")))

    def checkpoint(self, *, print_: bool) -> None:
        if print_:
            try:
                cps = anchor.read_checkpoints()
            except anchor.CheckpointFileError as exc:
                raise CommandError(str(exc), returncode=1) from exc
            for line in anchor.printable(cps):
                self.stdout.write(line)
            if not cps:
                self.stdout.write(f"（尚无检查点：{anchor.checkpoint_file()}）")
            return
        try:
            cp = write_checkpoint(source="command")
        except ChainBroken as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"已记录检查点: {cp.count} 条事件，止于 #{cp.event_id or 0}，哈希 {cp.hash}"
                          f"（{anchor.checkpoint_file()}）")

    def verify(self, checkpoints: str | None = None) -> None:
        problem = verify_chain(checkpoints=Path(checkpoints) if checkpoints else None)
        if problem is not None:
            where = f"事件 #{problem.event_id}" if problem.event_id is not None else "链头"
            raise CommandError(f"审计链校验失败: {where}: {problem.reason}", returncode=1)
        self.stdout.write(f"审计链完整: {AuditEvent.objects.count()} 条事件")
        try:
            n = len(anchor.read_checkpoints(Path(checkpoints) if checkpoints else None))
        except anchor.CheckpointFileError:
            n = 0
        if n:
            self.stdout.write(f"与 {n} 个检查点一致")
