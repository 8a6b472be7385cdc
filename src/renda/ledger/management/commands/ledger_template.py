"""``renda ledger_template FILE.xlsx [--town CODE]`` — the import template (see docs/ledger.md):
every sheet's headers, drop-down lists and a 说明 sheet; with ``--town``, example rows taken
from that town's records (in clear, as a command on the server writes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from renda.ledger import template
from renda.places.models import Level, Region


class Command(BaseCommand):
    help = "生成台账导入模板（.xlsx）：表头、下拉列表和说明；指定镇街时附该镇街已有记录作示例行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook to write")
        parser.add_argument("--town", default=None, help="区划代码 of the town whose records are the examples")

    def handle(self, *args: Any, **options: Any) -> None:
        town = None
        if options["town"]:
            town = Region.objects.filter(code=options["town"].strip(), level=Level.TOWN).first()
            if town is None:
                raise CommandError(_("镇街代码 {code} 不存在").format(code=options["town"]))
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("文件名应以 .xlsx 结尾"))
        template.write(path, town)
        self.stdout.write(_("已生成导入模板 {path}").format(path=path))
