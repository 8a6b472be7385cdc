"""``renda sweep_uploads``: remove pending uploads older than two hours (what a killed job or an
abandoned preview left). ``renda worker`` runs the same sweep at start-up and daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from renda.core import uploads


class Command(BaseCommand):
    help = "Remove stale pending uploads (older than --max-age seconds, default two hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age", type=float, default=uploads.PENDING_MAX_AGE)

    def handle(self, *args: Any, max_age: float, **options: Any) -> None:
        removed = uploads.sweep(max_age)
        if options["verbosity"]:
            self.stdout.write(f"removed {removed} stale upload(s)")
