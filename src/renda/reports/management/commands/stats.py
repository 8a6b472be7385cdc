"""``renda stats``: the indicators of METRICS.md as one JSON object.

    renda stats --from 2023-01-01 --to 2023-06-30 [--as-of 2023-07-10] [--town CODE] --format json
    renda stats --period 2023H1 ...        # also 2023, 2023Q3, 2023-07
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renda.core.errors import ApplicationError
from renda.reports import metrics


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期「{value}」格式不正确，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "统计指标 — print the indicators of METRICS.md for a period (--from/--to or --period) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_", metavar="YYYY-MM-DD", help="统计起始日期")
        parser.add_argument("--to", metavar="YYYY-MM-DD", help="统计截止日期")
        parser.add_argument("--period",
                            help="统计期间：2023、2023H1（或 2023上半年）、2023Q3（或 2023年第三季度）、2023-07")
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                            help="截至日期（默认为截止日期，若在将来则为今天）")
        parser.add_argument("--town", metavar="CODE", help="镇街12位区划代码（默认：唯一镇街，或全区）")
        parser.add_argument("--format", choices=["json"], default="json", help="输出格式")

    def handle(self, *args: Any, **options: Any) -> None:
        period_text, from_, to = options["period"], options["from_"], options["to"]
        if period_text and (from_ or to):
            raise CommandError("--period 与 --from/--to 只能二选一")
        if not period_text and not (from_ and to):
            raise CommandError("请指定 --period，或同时指定 --from 和 --to")
        as_of = _date(options["as_of"]) if options["as_of"] else None
        try:
            if period_text:
                period = metrics.Period.parse(period_text, as_of)
            else:
                period = metrics.Period.make(_date(from_), _date(to), as_of)
            scope = metrics.resolve_scope(options["town"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(metrics.stats(period, scope), ensure_ascii=False, indent=2))
