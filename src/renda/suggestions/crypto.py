"""Encryption at rest, masking and keyed lookup for personal data of the public
(个人信息保护法 arts. 28, 51): a submitter's name and phone are stored Fernet-encrypted, shown
masked, and found again through a keyed HMAC-SHA256 of the phone — never the plain number.

The key is ``RENDA_FIELD_KEY`` (a Fernet key: 32 bytes, URL-safe base64) or the file
``$RENDA_DATA_DIR/field_key``, generated on first use with mode 0600. Losing the key loses the
data: back the file up with the database, separately from it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_ENV = "RENDA_FIELD_KEY"
KEY_FILE = "field_key"


class DecryptionError(Exception):
    """The stored value was not encrypted with the configured key."""


def _data_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "DATA_DIR", os.environ.get("RENDA_DATA_DIR", "var")))


def _read_or_create_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(Fernet.generate_key())
    return path.read_bytes().strip()


@functools.cache
def _key() -> bytes:
    raw = os.environ.get(KEY_ENV, "").strip()
    key = raw.encode() if raw else _read_or_create_key(_data_dir() / KEY_FILE)
    Fernet(key)  # fail early on a malformed key
    return key


@functools.cache
def _fernet() -> Fernet:
    return Fernet(_key())


@functools.cache
def _hmac_key() -> bytes:
    # A key of its own for lookups, derived from the field key, so a lookup hash reveals nothing
    # about the encryption key and the two cannot be confused.
    return hmac.new(_key(), b"renda.suggestions.lookup", hashlib.sha256).digest()


def reset_keys() -> None:
    """Forget the cached keys (tests that change ``RENDA_FIELD_KEY``)."""
    _key.cache_clear()
    _fernet.cache_clear()
    _hmac_key.cache_clear()


def encrypt(text: str) -> str:
    """Ciphertext for ``text``; the empty string stays empty (nothing to protect)."""
    if not text:
        return ""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("stored personal data cannot be decrypted with the configured key") from exc


_PHONE_NOISE = re.compile(r"[\s\-()（）]")


def normalize_phone(phone: str) -> str:
    return _PHONE_NOISE.sub("", phone or "")


def phone_lookup_hash(phone: str) -> str:
    """Keyed HMAC-SHA256 (hex) of the normalized phone; "" for no phone."""
    phone = normalize_phone(phone)
    if not phone:
        return ""
    return hmac.new(_hmac_key(), phone.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; a landline keeps its area code and last 4 digits."""
    phone = normalize_phone(phone)
    if not phone:
        return ""
    if len(phone) == 11 and phone.startswith("1"):
        return phone[:3] + "****" + phone[-4:]
    if len(phone) <= 4:
        return "*" * len(phone)
    head = 4 if phone.startswith("0") and len(phone) > 8 else 0
    return phone[:head] + "*" * (len(phone) - head - 4) + phone[-4:]
