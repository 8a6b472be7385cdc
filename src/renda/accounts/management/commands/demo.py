"""``renda demo``: build the fictional demo district (steps registered through renda.core.demo); idempotent.

renda demo                       build what is missing (a second run changes nothing)
renda demo --if-empty            do nothing when any region exists (``make run``)
renda demo --print-logins --url http://127.0.0.1:8000/
                                 print the address and the demo logins; build nothing
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from renda.accounts import demo as org_demo
from renda.accounts.models import User
from renda.core import demo
from renda.places.models import Region


class Command(BaseCommand):
    help = "建立演示数据（虚构的 XX区 / XX镇），可重复运行 — build the demo data; safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="已有区划数据时不做任何事 — do nothing when any region exists.",
        )
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="只打印访问地址和演示账号，不建数据 — only print the URL and the demo logins.",
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="访问地址 — the address to print."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_logins"]:
            self.print_logins(options["url"])
            return
        verbosity = int(options["verbosity"])
        if options["if_empty"] and Region.objects.exists():
            if verbosity >= 1:
                self.stdout.write("已有区划数据，不建立演示数据（--if-empty）。")
            return
        started = time.monotonic()
        result = demo.run(out=self.stdout.write if verbosity >= 2 else None)
        seconds = time.monotonic() - started
        if verbosity < 1:
            return
        created = {k: n for k, n in result.created.items() if n}
        if created:
            made = "，".join(f"{demo.LABELS.get(k, k)} {n}" for k, n in sorted(created.items()))
            self.stdout.write(self.style.SUCCESS(f"演示数据已建立（{seconds:.1f} 秒）：新建 {made}。"))
        else:
            self.stdout.write(f"演示数据已存在，没有改动（{seconds:.1f} 秒）。")

    def print_logins(self, url: str) -> None:
        specs = list(org_demo.LOGINS)
        try:
            present = {
                u.lower()
                for u in User.objects.filter(username__in=[s.username for s in specs]).values_list(
                    "username", flat=True
                )
            }
            specs = [s for s in specs if s.username in present]
        except DatabaseError:  # not migrated yet: show the table as the demo would build it
            pass
        self.stdout.write("")
        self.stdout.write(f"renda 已启动 / renda is running at: {url}")
        if not specs:
            self.stdout.write("（此数据库中没有演示账号 / no demo logins in this database）")
            return
        self.stdout.write("演示账号 / demo logins:")
        for line in org_demo.login_table(specs):
            self.stdout.write("  " + line)
        self.stdout.write("")
