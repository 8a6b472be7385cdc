from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core import crypto, privacy
from renda.core.errors import InvalidInput
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import public_item


def test_id_and_address_masks() -> None:
    assert crypto.mask_id_number("340302199001011234") == "3403**********1234"
    assert crypto.mask_id_number("34030219900101123x") == "3403**********123X"
    assert crypto.mask_id_number("") == ""
    assert crypto.mask_address("XX镇XX村3组12号") == "XX镇XX村****"
    assert "12号" not in crypto.mask_address("XX镇XX村3组12号")


def test_id_lookup_hash_is_keyed_and_normalized() -> None:
    h = crypto.id_lookup_hash("34030219900101123x")
    assert h == crypto.id_lookup_hash(" 34030219900101123X ") and len(h) == 64
    assert "1234" not in h and h != crypto.phone_lookup_hash("34030219900101123X")
    assert crypto.id_lookup_hash("") == ""


def _raw_name(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_name FROM suggestions_suggestion WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_key_rotation_new_reencrypt_retire(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.delenv(crypto.KEY_ENV, raising=False)
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    crypto.reset_keys()
    try:
        s = public_item(world, submitter_name="张小三", submitter_phone="13812345678")
        lookup_before = s.submitter_phone_hash
        old_token = _raw_name(s.pk)
        call_command("field_key", "new")
        assert crypto.key_count() == 2
        assert Suggestion.objects.get(pk=s.pk).submitter_name == "张小三"  # old key still decrypts
        with pytest.raises(CommandError):
            call_command("field_key", "retire")  # refused: a value still needs the old key
        call_command("field_key", "reencrypt")
        assert _raw_name(s.pk) != old_token and crypto.is_current(_raw_name(s.pk))
        call_command("field_key", "retire")
        assert crypto.key_count() == 1
        crypto.reset_keys()
        fresh = Suggestion.objects.get(pk=s.pk)
        assert fresh.submitter_name == "张小三" and fresh.submitter_phone_hash == lookup_before
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(old_token)  # the retired key is gone
    finally:
        crypto.reset_keys()


@pytest.mark.django_db
def test_reveal_needs_reason_and_is_audited(world: World) -> None:
    s = public_item(world, submitter_name="张小三")
    staff = world.users["staff"] if "staff" in world.users else next(iter(world.users.values()))
    with pytest.raises(InvalidInput):
        privacy.record_reveal(actor=staff, target=s, fields=["submitter_name"], reason="  ")
    privacy.record_reveal(actor=staff, target=s, fields=["submitter_name"], reason="回访群众核实情况")
    event = AuditEvent.objects.filter(verb=privacy.REVEAL_VERB).get()
    assert event.comment == "回访群众核实情况" and event.after == {"fields": ["submitter_name"]}
    assert "张小三" not in str(event.after) + event.comment
