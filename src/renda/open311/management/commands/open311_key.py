"""``renda open311_key create NAME`` issues an Open311 client's API key and prints it (once: only
its hash is kept); ``renda open311_key revoke NAME`` revokes it (its POSTs get 403 from then on);
``renda open311_key list`` lists the clients."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit import context
from renda.core.errors import ApplicationError
from renda.open311 import services
from renda.open311.models import Client


class Command(BaseCommand):
    help = "Open311 客户端密钥：create 名称（签发并显示密钥）、revoke 名称（吊销）、list（列出）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("name", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action, name = options["action"], (options["name"] or "").strip()
        if action == "list":
            for c in Client.objects.order_by("name"):
                state = _("已吊销 {at}").format(at=timezone.localtime(c.revoked_at).strftime("%Y-%m-%d %H:%M")) \
                    if c.revoked_at else _("有效")
                self.stdout.write(f"{c.name}\t{c.prefix}…\t{state}")
            return
        if not name:
            raise CommandError(_("请给出客户端名称"))
        try:
            with context.bind(source="command"):
                if action == "create":
                    client, raw = services.client_create(actor=None, name=name)
                    self.stdout.write(_("已为「{name}」签发 Open311 密钥（仅显示这一次，请妥善转交）：").format(
                        name=client.name))
                    self.stdout.write(raw)
                else:
                    services.client_revoke(actor=None, name=name)
                    self.stdout.write(_("已吊销「{name}」的 Open311 密钥。").format(name=name))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
