"""``renda field_key``: rotate the key that encrypts personal data at rest.

renda field_key status       how many keys, how many values are not yet under the current key
renda field_key new          put a fresh key first in $RENDA_DATA_DIR/field_key (old keys kept)
renda field_key reencrypt    re-encrypt every encrypted value with the current key
renda field_key retire       drop the old keys (refused while any value still needs them)

With RENDA_FIELD_KEY set, edit the variable instead of ``new``/``retire``: "NEW,OLD".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from renda.core import crypto
from renda.core.fields import EncryptedTextField


def encrypted_columns() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field.column


def _rows(model: type[models.Model], column: str) -> list[tuple[Any, str]]:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(model._meta.pk.column)}, {qn(column)} FROM {qn(model._meta.db_table)} "  # noqa: S608
            f"WHERE {qn(column)} IS NOT NULL AND {qn(column)} <> ''"
        )
        return list(cursor.fetchall())


def stale_count() -> int:
    return sum(1 for model, col in encrypted_columns() for _pk, v in _rows(model, col) if not crypto.is_current(v))


class Command(BaseCommand):
    help = "Rotate the key that encrypts personal data at rest (see docs/deploy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["status", "new", "reencrypt", "retire"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        crypto.reset_keys()
        try:
            if action == "new":
                crypto.add_key_to_file()
                self.stdout.write(f"已生成新密钥，共 {crypto.key_count()} 个；请执行 renda field_key reencrypt")
            elif action == "reencrypt":
                self.stdout.write(f"已重新加密 {self._reencrypt()} 个值")
            elif action == "retire":
                stale = stale_count()
                if stale:
                    raise CommandError(f"仍有 {stale} 个值使用旧密钥，请先执行 renda field_key reencrypt")
                crypto.retire_old_keys()
                self.stdout.write("旧密钥已删除")
            else:
                self.stdout.write(f"密钥 {crypto.key_count()} 个；待重新加密的值 {stale_count()} 个")
        except (RuntimeError, crypto.DecryptionError) as exc:
            raise CommandError(str(exc)) from exc

    @transaction.atomic
    def _reencrypt(self) -> int:
        qn = connection.ops.quote_name
        done = 0
        for model, column in encrypted_columns():
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            with connection.cursor() as cursor:
                for pk_value, token in _rows(model, column):
                    if crypto.is_current(token):
                        continue
                    cursor.execute(
                        f"UPDATE {table} SET {qn(column)} = %s WHERE {pk} = %s",  # noqa: S608
                        [crypto.rotate(token), pk_value],
                    )
                    done += 1
        return done
