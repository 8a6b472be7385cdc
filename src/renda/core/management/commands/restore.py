"""``renda restore PATH --force`` — replace the database with a backup made by ``renda backup``.

Refuses to overwrite a database that holds data unless ``--force`` is given. Prints the row
count of every table afterwards and whether counts and checksums match the backup's manifest
(exit status 1 when they do not). Stop renda (server and worker) before restoring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.core import backup


class Command(BaseCommand):
    help = "从 renda backup 的备份恢复数据库（覆盖现有数据需 --force），并核对行数与校验和。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a backup written by renda backup")
        parser.add_argument("--force", action="store_true", help="overwrite a database that holds data")
        parser.add_argument("--database", default="default", help="database alias (default: default)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        alias = options["database"]
        if not path.is_file():
            raise CommandError(f"备份文件不存在：{path}", returncode=1)
        if not options["force"] and not backup.database_is_empty(alias):
            raise CommandError("数据库中已有数据，恢复将覆盖全部数据：确认无误后加 --force 重新运行。", returncode=2)
        expected = backup.read_manifest(path)
        try:
            actual = backup.restore(path, alias=alias)
        except backup.BackupError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(f"已恢复: {path}")
        moved, aside = backup.set_aside_later_checkpoints(alias)
        if moved:
            self.stdout.write(f"备份之后记录的 {moved} 个审计检查点所指的事件已随恢复撤销，已移至 {aside}")
        for line in backup.tables_report(actual):
            self.stdout.write(line)
        self.stdout.write(f"合计 {len(actual.tables)} 张表，{actual.total_rows} 行")
        if expected is None:
            self.stdout.write("没有备份清单，未核对行数与校验和。")
            return
        problems = backup.differences(expected, actual)
        if problems:
            for p in problems:
                self.stderr.write(p)
            raise CommandError(f"恢复结果与备份清单不一致：{len(problems)} 处", returncode=1)
        self.stdout.write("行数与校验和与备份清单一致。")
