"""What anchors the audit chain outside the database (decision 0010).

- The **audit key**: ``RENDA_AUDIT_KEY`` or the file ``$RENDA_DATA_DIR/audit_key`` (generated
  on first use, mode 0600, beside ``secret_key``, ``field_key`` and ``lookup_key``). Every
  event's hash is an HMAC-SHA256 under it (``chain.compute_hash``), so someone who can write
  the database but not read the data directory cannot recompute a chain that verifies.
- **Checkpoints**: lines ``time<TAB>count<TAB>last event id<TAB>head hash<TAB>source`` appended
  to ``$RENDA_DATA_DIR/audit_checkpoints`` (mode 0600) by ``renda audit checkpoint`` and by
  ``renda backup`` (which also copies the file beside the backup). ``renda audit verify``
  checks that the chain, at each checkpoint's count, ends in the recorded event and hash — so
  even a holder of the key cannot rewrite or cut the history before a checkpoint without the
  difference showing (and ``renda audit checkpoint --print`` puts them on paper).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

KEY_ENV = "RENDA_AUDIT_KEY"
KEY_FILE = "audit_key"
CHECKPOINT_ENV = "RENDA_AUDIT_CHECKPOINTS"
CHECKPOINT_FILE = "audit_checkpoints"


def data_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "DATA_DIR", os.environ.get("RENDA_DATA_DIR", "var")))


def key_file() -> Path:
    return data_dir() / KEY_FILE


def read_or_create_secret(path: Path, make: Callable[[], bytes]) -> bytes:
    """A key file of the data directory: read, or created once with ``make()`` (mode 0600, safe
    when two processes race). The one way every key file is made (audit key, core.crypto's keys)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(make())
    return path.read_bytes().strip()


def _read_or_create(path: Path) -> bytes:
    raw = read_or_create_secret(path, lambda: (secrets.token_hex(32) + "\n").encode())
    if not raw:
        raise ValueError(f"the audit key file {path} is empty")
    return raw


@functools.cache
def audit_key() -> bytes:
    """The HMAC key of the chain (domain-separated from anything else the secret might key)."""
    raw = os.environ.get(KEY_ENV, "").strip()
    secret = raw.encode() if raw else _read_or_create(key_file())
    return hmac.new(secret, b"renda.audit.chain", hashlib.sha256).digest()


def reset_key() -> None:
    """Forget the cached key (tests change it)."""
    audit_key.cache_clear()


# -- checkpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    at: dt.datetime
    count: int
    event_id: int | None
    hash: str
    source: str = ""

    def line(self) -> str:
        return "\t".join([self.at.isoformat(timespec="seconds"), str(self.count), str(self.event_id or 0),
                          self.hash, self.source]) + "\n"

    @classmethod
    def parse(cls, line: str) -> Checkpoint:
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4:
            raise ValueError(line)
        at = dt.datetime.fromisoformat(parts[0])
        if at.tzinfo is None:
            raise ValueError(line)
        count, event_id = int(parts[1]), int(parts[2])
        digest = parts[3].strip().lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(line)
        return cls(at=at, count=count, event_id=event_id or None, hash=digest,
                   source=parts[4] if len(parts) > 4 else "")


def checkpoint_file() -> Path:
    from django.conf import settings

    custom = getattr(settings, "AUDIT_CHECKPOINT_FILE", None) or os.environ.get(CHECKPOINT_ENV, "").strip()
    return Path(custom) if custom else data_dir() / CHECKPOINT_FILE


class CheckpointFileError(ValueError):
    """A line of a checkpoint file cannot be read; the message says which, in Chinese."""


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    path = path or checkpoint_file()
    if not path.is_file():
        return []
    out: list[Checkpoint] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            out.append(Checkpoint.parse(line))
        except ValueError as exc:
            raise CheckpointFileError(f"检查点文件 {path} 第 {n} 行无法读取：{line[:120]!r}") from exc
    return out


def append_checkpoint(cp: Checkpoint, path: Path | None = None) -> Path:
    """Append one checkpoint (the file is created 0600; appends are one write each)."""
    path = path or checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(cp.line())
    return path


def write_checkpoints(cps: Iterable[Checkpoint], path: Path) -> None:
    """Replace ``path`` with exactly ``cps`` (atomically, mode 0600)."""
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.writelines(cp.line() for cp in cps)
    os.replace(tmp, path)


def printable(cps: Iterable[Checkpoint]) -> list[str]:
    """Lines for paper: the hash in groups of eight so that it can be read back and compared."""
    lines = ["审计链检查点（时间 UTC | 事件条数 | 末条事件号 | 链头哈希）"]
    for cp in cps:
        groups = " ".join(cp.hash[i:i + 8] for i in range(0, 64, 8))
        when = cp.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{when} | {cp.count} 条 | #{cp.event_id or 0} | {groups}"
                     + (f" | {cp.source}" if cp.source else ""))
    return lines
