from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.db import connection
from tests.support import World

from renda.core import crypto
from renda.core.roles import Role
from renda.suggestions import selectors
from renda.suggestions.tests.helpers import public_item


@pytest.mark.django_db
def test_encrypted_at_rest_and_masked(world: World) -> None:
    s = public_item(world, submitter_name="张小三", submitter_phone="138-1234-5678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT submitter_name, submitter_phone, submitter_phone_hash FROM suggestions_suggestion "
                       "WHERE id = %s", [s.pk])
        raw_name, raw_phone, raw_hash = cursor.fetchone()
    assert raw_name and "张" not in raw_name and "小三" not in raw_name
    assert raw_phone and "1234" not in raw_phone and "5678" not in raw_phone
    assert raw_hash == crypto.phone_lookup_hash("13812345678") and "5678" not in raw_hash
    s.refresh_from_db()
    assert (s.submitter_name, s.submitter_phone) == ("张小三", "13812345678")
    assert (s.submitter_name_masked, s.submitter_phone_masked) == ("张*三", "138****5678")


@pytest.mark.django_db
def test_lookup_by_phone_hash(world: World) -> None:
    a = public_item(world, submitter_phone="13812345678")
    public_item(world, submitter_phone="13900001111")
    assert list(selectors.suggestions_for_phone("138 1234 5678")) == [a]
    assert not selectors.suggestions_for_phone("").exists()
    anon = public_item(world, submitter_name="", submitter_phone="", anonymous=True)
    assert anon.submitter_name_masked == "" and anon.submitter_phone_hash == ""
    assert world.users[Role.STAFF]  # the office looks items up; units never see names


def test_masks() -> None:
    assert crypto.mask_name("张三") == "张*"
    assert crypto.mask_name("张小三") == "张*三"
    assert crypto.mask_name("欧阳小明") == "欧**明"
    assert crypto.mask_name("") == ""
    assert crypto.mask_phone("13812345678") == "138****5678"
    assert crypto.mask_phone("0552-1234567") == "0552***4567"


def test_roundtrip_and_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    monkeypatch.delenv(crypto.KEY_ENV, raising=False)
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    crypto.reset_keys()
    try:
        token = crypto.encrypt("张小三")
        assert token != crypto.encrypt("张小三")  # a fresh IV each time
        assert crypto.decrypt(token) == "张小三"
        key_file = tmp_path / crypto.KEY_FILE
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
        crypto.reset_keys()
        monkeypatch.setenv(crypto.KEY_ENV, "x" * 43 + "=")
        crypto.reset_keys()
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token)
    finally:
        monkeypatch.delenv(crypto.KEY_ENV, raising=False)
        crypto.reset_keys()
