"""``renda import_ledger FILE.xlsx [--dry-run] [--user USERNAME] [--progress/--no-progress]`` — see
docs/ledger.md. On a terminal a bar shows the rows checked and written, the errors so far and the
time left (``ledger.console``); piped, the command prints only its report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from renda.accounts.models import User
from renda.core.ledger.registry import Action
from renda.ledger import console
from renda.ledger.importer import ImportResult, import_workbook


class Command(BaseCommand):
    help = "导入台账工作簿（.xlsx）：先校验，全部正确才写入；有错误时逐行报告并以状态 1 退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument(
            "--user",
            dest="username",
            default=None,
            help="import as this user (audited as them, limited to their town); default: the system",
        )
        parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                            help="show a progress bar (default: only when the output is a terminal)")
        parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=None,
                            help="new 意见建议 rows by the bulk path (default: for a sheet of 1,000 rows or more)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：{path}").format(path=path))
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(_("用户不存在或已停用：{username}").format(username=options["username"]))
        enabled = console.wants_progress(options.get("progress"), self.stdout)
        with path.open("rb") as fh, console.import_progress(self.stdout, enabled=enabled) as progress:
            # No rows limit on the server's command line (a district's full ledger); the zip's
            # sizes are still checked before parsing.
            result = import_workbook(fh, actor=actor, dry_run=options["dry_run"], limit_rows=False,
                                     progress=progress, bulk=options.get("bulk"))
        self._report(result, verbosity=int(options["verbosity"]))
        if not result.ok:
            raise CommandError(_("导入失败：{n} 个错误，数据库未改动").format(n=len(result.errors)), returncode=1)

    def _report(self, result: ImportResult, *, verbosity: int) -> None:
        for warning in result.warning_lines():
            self.stdout.write(_("提示：{warning}").format(warning=warning))
        for error in result.error_lines():
            self.stderr.write(error)
        if not result.ok:
            return
        labels = {Action.CREATED: _("新增"), Action.UPDATED: _("更新")}
        for sheet in result.sheets:
            self.stdout.write(_("工作表「{name}」: {summary}").format(name=sheet.name, summary=sheet.summary))
            if result.dry_run or verbosity >= 2:
                for item in sheet.items:
                    detail = f"（{item.detail}）" if item.detail else ""
                    self.stdout.write(f"  {labels[item.action]} {item.label}{detail}")
                if sheet.items_omitted:
                    # The result lists the first rows only (ITEMS_KEPT); the counts above are exact.
                    n = sheet.items_omitted
                    self.stdout.write("  " + ngettext("另有 %(n)s 条未列出", "另有 %(n)s 条未列出", n) % {"n": n})
        if result.dry_run:
            self.stdout.write(_("试运行：以上为将要写入的内容，数据库未改动。"))
        self.stdout.write(result.summary)
