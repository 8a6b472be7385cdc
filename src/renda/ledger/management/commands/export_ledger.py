"""``renda export_ledger FILE.xlsx [--town CODE] [--progress/--no-progress]`` — see docs/ledger.md.
On a terminal a bar shows the rows written, sheet by sheet."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renda.ledger import console
from renda.ledger.exporter import export_workbook
from renda.places.models import Level, Region


class Command(BaseCommand):
    help = "导出台账工作簿（.xlsx），格式与导入相同；可只导出一个镇街。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook to write")
        parser.add_argument("--town", default=None, help="区划代码 of one town (default: every town)")
        parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                            help="show a progress bar (default: only when the output is a terminal)")

    def handle(self, *args: Any, **options: Any) -> None:
        town = None
        if options["town"]:
            town = Region.objects.filter(code=options["town"].strip(), level=Level.TOWN).first()
            if town is None:
                raise CommandError(_("镇街代码 {code} 不存在").format(code=options["town"]))
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("文件名应以 .xlsx 结尾"))
        enabled = console.wants_progress(options.get("progress"), self.stdout)
        with console.export_progress(self.stdout, enabled=enabled) as progress:
            export_workbook(path, town=town, progress=progress)
        self.stdout.write(_("已导出到 {path}").format(path=path))
