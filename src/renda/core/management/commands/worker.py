"""``renda worker``: the background worker that survives errors, beats and sweeps (see
``renda.core.worker``). ``make run`` starts it (and starts it again if it exits)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renda.core import worker


class Command(BaseCommand):
    help = "Run the background worker (jobs, heartbeat, daily sweep of stale uploads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between passes")

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        if options["verbosity"] and not logging.getLogger("renda.worker").hasHandlers():
            logging.getLogger("renda.worker").addHandler(logging.StreamHandler(self.stderr))
        worker.limit_memory()
        w = worker.make_worker(interval)
        w.configure_signals()
        worker.run(interval=interval, worker=w)
