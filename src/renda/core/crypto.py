"""Encryption at rest, masking and keyed lookup for personal data of petitioners and the public
(个人信息保护法 arts. 28, 51): names, ID numbers, phones and addresses are stored Fernet-encrypted,
shown masked, and found again through a keyed HMAC-SHA256 of the ID number or phone — never by
decrypting everything.

The field key is ``RENDA_FIELD_KEY`` or the file ``$RENDA_DATA_DIR/field_key`` (generated on
first use, mode 0600). Either may hold several Fernet keys (comma- or line-separated): the first
encrypts, all decrypt — that is how a key is rotated (``renda field_key``, docs/deploy.md).
The lookup key is separate (``RENDA_LOOKUP_KEY`` or ``$RENDA_DATA_DIR/lookup_key``) and is not
rotated with the field key, so stored lookup hashes stay valid. Losing the keys loses the data:
back the files up with the database, separately from it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from renda.audit.anchor import read_or_create_secret

KEY_ENV = "RENDA_FIELD_KEY"
KEY_FILE = "field_key"
LOOKUP_ENV = "RENDA_LOOKUP_KEY"
LOOKUP_FILE = "lookup_key"


class DecryptionError(Exception):
    """The stored value was not encrypted with the configured key."""


def _data_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "DATA_DIR", os.environ.get("RENDA_DATA_DIR", "var")))


def _read_or_create_key(path: Path) -> bytes:
    return read_or_create_secret(path, Fernet.generate_key)


def _split(raw: str) -> list[bytes]:
    return [k.strip().encode() for k in re.split(r"[,\s]+", raw) if k.strip()]


def key_file() -> Path:
    return _data_dir() / KEY_FILE


@functools.cache
def _keys() -> tuple[bytes, ...]:
    raw = os.environ.get(KEY_ENV, "").strip()
    keys = _split(raw) if raw else _split(_read_or_create_key(key_file()).decode())
    if not keys:
        raise ValueError("no field key configured")
    for key in keys:
        Fernet(key)  # fail early on a malformed key
    return tuple(keys)


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _keys()])


@functools.cache
def _hmac_key() -> bytes:
    raw = os.environ.get(LOOKUP_ENV, "").strip()
    key = raw.encode() if raw else _read_or_create_key(_data_dir() / LOOKUP_FILE)
    # Domain-separate lookups from anything else the key might be used for.
    return hmac.new(key, b"renda.lookup", hashlib.sha256).digest()


def reset_keys() -> None:
    """Forget the cached keys (tests and ``renda field_key`` change them)."""
    _keys.cache_clear()
    _fernet.cache_clear()
    _hmac_key.cache_clear()


def key_count() -> int:
    return len(_keys())


def add_key_to_file() -> None:
    """Put a fresh key first in the key file; the old ones stay to decrypt until re-encrypted."""
    if os.environ.get(KEY_ENV, "").strip():
        raise RuntimeError(f"{KEY_ENV} is set: add the new key in front of it yourself")
    old = list(_keys())
    _write_keys([Fernet.generate_key(), *old])


def retire_old_keys() -> None:
    if os.environ.get(KEY_ENV, "").strip():
        raise RuntimeError(f"{KEY_ENV} is set: remove the old keys from it yourself")
    _write_keys([_keys()[0]])


def _write_keys(keys: list[bytes]) -> None:
    path = key_file()
    tmp = path.with_suffix(".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(b"\n".join(keys) + b"\n")
    os.replace(tmp, path)
    reset_keys()


def rotate(token: str) -> str:
    """The same plaintext encrypted with the current (first) key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("stored personal data cannot be decrypted with the configured keys") from exc


def is_current(token: str) -> bool:
    """Whether ``token`` is encrypted with the current key (nothing left to rotate)."""
    if not token:
        return True
    try:
        Fernet(_keys()[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError):
        return False
    return True


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


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_lookup_hash(id_number: str) -> str:
    """Keyed HMAC-SHA256 (hex) of the normalized ID number; "" for none."""
    value = normalize_id_number(id_number)
    if not value:
        return ""
    return hmac.new(_hmac_key(), b"id:" + value.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """340302199001011234 → 3403**********1234 (first 4 and last 4 kept)."""
    value = normalize_id_number(value)
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_address(value: str) -> str:
    """Keep the township and village, hide the rest: XX镇XX村3组12号 → XX镇XX村****."""
    value = (value or "").strip()
    if not value:
        return ""
    m = _VILLAGE_END.match(value)
    keep = m.end() if m and m.end() < len(value) else len(value) // 3
    return value[:keep] + "*" * 4


_VILLAGE_END = re.compile(r"^.{0,20}?(?:村|社区|居委会)")


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
