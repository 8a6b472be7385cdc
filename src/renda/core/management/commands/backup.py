"""``renda backup PATH`` — a consistent copy of the database, taken while renda runs.

SQLite: the online backup API; PostgreSQL: ``pg_dump --format=custom``. Beside ``PATH`` goes
``PATH.manifest.json`` (row count and checksum per table). ``renda backup --verify PATH``
checks an existing backup against its manifest. See docs/deploy.md, "Backups".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.core import backup


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump），并写出行数与校验和清单；--verify 校验已有备份。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file to write (or, with --verify, to check)")
        parser.add_argument("--verify", action="store_true", help="check an existing backup against its manifest")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            if options["verify"]:
                manifest, problems = backup.verify(path)
            else:
                manifest = backup.backup(path, alias=options["database"])
                problems = []
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if int(options["verbosity"]) >= 2:
            for line in backup.tables_report(manifest):
                self.stdout.write(line)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"备份校验失败：{len(problems)} 处不一致", returncode=1)
        verb = "备份校验通过" if options["verify"] else "已备份"
        self.stdout.write(f"{verb}: {path} （{len(manifest.tables)} 张表，{manifest.total_rows} 行；"
                          f"清单 {backup.manifest_path(path).name}）")
        head = manifest.audit
        if head is not None:
            self.stdout.write(f"审计链头: {head['count']} 条事件，止于 #{head['last_event_id'] or 0}，"
                              f"哈希 {head['hash']}（已记为检查点）")
