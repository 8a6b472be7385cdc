"""``renda work_report``: the work report draft (工作报告初稿) of a town, or the district report.

    renda work_report --period 2023H1 [--town CODE] [--as-of DATE] --format docx|html|md --output FILE

The period, town and as-of options are those of ``renda stats`` (the numbers are the same).
Without ``--town`` on a multi-town install, or with ``--district``, the district report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.core.errors import ApplicationError
from renda.reports import metrics, work_report
from renda.reports.management.commands.stats import Command as StatsCommand
from renda.reports.management.commands.stats import _date


class Command(BaseCommand):
    help = "工作报告初稿 — write the work report draft of a period (docx, html or md)."

    def add_arguments(self, parser: CommandParser) -> None:
        StatsCommand().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "format":
                action.choices, action.default, action.help = list(work_report.FORMATS), "docx", "输出格式"
        parser.add_argument("--district", action="store_true", help="全区报告（各镇街指标并列）")
        parser.add_argument("--output", "-o", metavar="FILE", help="输出文件（默认：报告标题.格式，写在当前目录）")

    def handle(self, *args: Any, **options: Any) -> None:
        period_text, from_, to = options["period"], options["from_"], options["to"]
        if period_text and (from_ or to):
            raise CommandError("--period 与 --from/--to 只能二选一")
        if not period_text and not (from_ and to):
            raise CommandError("请指定 --period，或同时指定 --from 和 --to")
        if options["district"] and options["town"]:
            raise CommandError("--district 与 --town 只能二选一")
        as_of = _date(options["as_of"]) if options["as_of"] else None
        try:
            if period_text:
                period = metrics.Period.parse(period_text, as_of)
            else:
                period = metrics.Period.make(_date(from_), _date(to), as_of)
            scope = metrics.resolve_scope(options["town"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if options["district"] and scope.town is not None:
            scope = metrics.Scope(scope.towns, None)
        fmt = options["format"]
        output = Path(options["output"] or work_report.filename(period, scope, fmt))
        output.write_bytes(work_report.produce(period, scope, fmt))
        self.stdout.write(str(output))
