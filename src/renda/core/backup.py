"""Backups of the whole database: ``renda backup`` and ``renda restore``.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
while renda keeps writing (WAL readers see one point in time). PostgreSQL: ``pg_dump
--format=custom`` inside an exported snapshot, so the manifest written beside the dump is
computed from exactly the data the dump holds; restored with ``pg_restore --clean --if-exists``
in one transaction.

Next to every backup ``PATH`` lies ``PATH.manifest.json``: for each table its row count and a
SHA-256 checksum over its rows (in primary-key order). ``renda backup --verify PATH`` checks a
backup file against it; ``renda restore`` compares the restored database with it.

The audit chain's head as the backup holds it (count, last event, hash) is recorded in the
manifest and appended to the data directory's checkpoint file, and a copy of that file goes
beside the backup as ``PATH.audit_checkpoints`` (decision 0010). The audit key does not go
into the backup: whoever steals the backup must not be able to re-forge its chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections

MANIFEST_SUFFIX = ".manifest.json"
CHECKPOINTS_SUFFIX = ".audit_checkpoints"
FORMAT = 1
_PG_BIN_DIRS = ("/usr/bin", "/usr/local/bin")


class BackupError(Exception):
    """Something about a backup or a restore is wrong; the message says what, in Chinese."""


@dataclass
class TableSum:
    rows: int
    checksum: str


@dataclass
class Manifest:
    engine: str
    created: str
    tables: dict[str, TableSum] = field(default_factory=dict)
    #: The audit chain's head in the backup: {"count", "last_event_id", "hash"} (None: no chain).
    audit: dict[str, Any] | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT, "engine": self.engine, "created": self.created,
            "tables": {name: {"rows": t.rows, "checksum": t.checksum} for name, t in sorted(self.tables.items())},
        }
        if self.audit is not None:
            data["audit"] = self.audit
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        return cls(engine=data["engine"], created=data["created"],
                   tables={n: TableSum(rows=int(t["rows"]), checksum=str(t["checksum"]))
                           for n, t in data["tables"].items()},
                   audit=data.get("audit"))

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def checkpoints_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKPOINTS_SUFFIX)


def _audit_head(cursor: Any) -> dict[str, Any] | None:
    """The audit head row as the snapshot read by ``cursor`` holds it."""
    try:
        cursor.execute("SELECT last_event_id, last_hash, count FROM audit_audithead WHERE id = 1")
    except Exception:  # a database without the audit tables has no chain to record
        return None
    row = cursor.fetchone()
    if row is None:
        return None
    return {"count": int(row[2]), "last_event_id": int(row[0]) if row[0] is not None else None, "hash": str(row[1])}


def _anchor_audit_head(path: Path, manifest: Manifest) -> None:
    """Append the backup's audit head to the checkpoint file and copy the file beside the backup."""
    from renda.audit import anchor

    if manifest.audit is not None:
        anchor.append_checkpoint(anchor.Checkpoint(
            at=dt.datetime.now(dt.UTC), count=manifest.audit["count"], event_id=manifest.audit["last_event_id"],
            hash=manifest.audit["hash"], source=f"backup {path.name}"))
    src = anchor.checkpoint_file()
    if src.is_file():
        anchor.write_checkpoints(anchor.read_checkpoints(src), checkpoints_path(path))


def set_aside_later_checkpoints(alias: str = "default") -> tuple[int, Path | None]:
    """After a restore: checkpoints recorded after the backup name events the restore removed.
    They move to ``audit_checkpoints.after-restore-<time>`` (kept, for the record) so that
    ``renda audit verify`` checks the restored chain against the checkpoints it can match."""
    from renda.audit import anchor
    from renda.audit.models import AuditHead

    path = anchor.checkpoint_file()
    cps = anchor.read_checkpoints(path)
    head = AuditHead.objects.using(alias).filter(pk=1).first()
    count = head.count if head is not None else 0
    later = [cp for cp in cps if cp.count > count]
    if not later:
        return 0, None
    aside = path.with_name(f"{path.name}.after-restore-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}")
    anchor.write_checkpoints(later, aside)
    anchor.write_checkpoints([cp for cp in cps if cp.count <= count], path)
    return len(later), aside


def read_manifest(path: Path) -> Manifest | None:
    mp = manifest_path(path)
    if not mp.is_file():
        return None
    return Manifest.from_json(mp.read_text(encoding="utf-8"))


def differences(expected: Manifest, actual: Manifest) -> list[str]:
    """Human-readable differences between two manifests (empty when they match)."""
    out: list[str] = []
    for name in sorted(set(expected.tables) | set(actual.tables)):
        e, a = expected.tables.get(name), actual.tables.get(name)
        if e is None:
            out.append(f"{name}: 备份清单中没有此表（现有 {a.rows if a else 0} 行）")
        elif a is None:
            out.append(f"{name}: 缺少此表（清单 {e.rows} 行）")
        elif e.rows != a.rows:
            out.append(f"{name}: 行数不一致（清单 {e.rows}，实际 {a.rows}）")
        elif e.checksum != a.checksum:
            out.append(f"{name}: 校验和不一致（行数均为 {a.rows}）")
    return out


# -- checksums ---------------------------------------------------------------------------------


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, (bytes, bytearray)):
        return "b:" + bytes(value).hex()
    if isinstance(value, (dict, list)):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return "i:" + str(int(value))
    if isinstance(value, float):
        return "f:" + repr(value)
    return str(value)


def _table_sum(cursor: Any, sql: str) -> TableSum:
    h = hashlib.sha256()
    rows = 0
    cursor.execute(sql)
    while True:
        chunk = cursor.fetchmany(2000)
        if not chunk:
            break
        for row in chunk:
            rows += 1
            h.update("\x1f".join(_canonical(v) for v in row).encode("utf-8"))
            h.update(b"\x1e")
    return TableSum(rows=rows, checksum=h.hexdigest())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(table: str, order: Sequence[str]) -> str:
    return f"SELECT * FROM {_quote(table)} ORDER BY {', '.join(_quote(c) for c in order)}"  # noqa: S608


def sqlite_manifest(db_path: Path | str, *, conn: sqlite3.Connection | None = None) -> Manifest:
    """Row counts and checksums of every table in a SQLite file, read in one transaction."""
    own = conn is None
    conn = conn or _connect(db_path)
    try:
        conn.execute("BEGIN")  # one read snapshot for every table
        cur = conn.cursor()
        tables = [r[0] for r in cur.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        manifest = Manifest(engine="sqlite", created=_now())
        for table in tables:
            info = list(cur.execute(f"PRAGMA table_info({_quote(table)})"))
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            order = pk or [r[1] for r in info]
            manifest.tables[table] = _table_sum(cur, _select(table, order))
        conn.rollback()
        return manifest
    finally:
        if own:
            conn.close()


def _pg_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    cursor.execute(
        "SELECT c.relname, COALESCE(("
        "  SELECT array_agg(a.attname ORDER BY k.n) FROM pg_index i"
        "  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)"
        "  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
        "  WHERE i.indrelid = c.oid AND i.indisprimary), ARRAY[]::name[])"
        " FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND s.nspname = current_schema() ORDER BY c.relname"
    )
    out: list[tuple[str, list[str]]] = []
    for name, pk in cursor.fetchall():
        order = list(pk)
        if not order:
            cursor.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                           "AND NOT attisdropped ORDER BY attnum", [_quote(name)])
            order = [r[0] for r in cursor.fetchall()]
        out.append((name, order))
    return out


def pg_manifest_from_cursor(cursor: Any) -> Manifest:
    manifest = Manifest(engine="postgresql", created=_now())
    for table, order in _pg_tables(cursor):
        manifest.tables[table] = _table_sum(cursor, _select(table, order))
    return manifest


def _connect(target: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection with Django's SQL functions (CHECK constraints use REGEXP,
    so ``PRAGMA integrity_check`` needs them)."""
    from django.db.backends.sqlite3._functions import register

    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=30) if readonly \
        else sqlite3.connect(str(target), timeout=30)
    register(conn)
    return conn


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# -- the database behind an alias ---------------------------------------------------------------


def _settings(alias: str) -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


def vendor(alias: str = "default") -> str:
    return str(connections[alias].vendor)


def live_manifest(alias: str = "default") -> Manifest:
    """The manifest of the database as it is now (for comparing after a restore)."""
    if vendor(alias) == "sqlite":
        return sqlite_manifest(_settings(alias)["NAME"])
    if vendor(alias) == "postgresql":
        conn = connections[alias]
        conn.ensure_connection()
        with conn.cursor() as cursor:
            return pg_manifest_from_cursor(cursor)
    raise BackupError(f"不支持的数据库：{vendor(alias)}")


def pg_binary(name: str) -> str:
    """``pg_dump``/``pg_restore``: on PATH, else the newest /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0, reverse=True)
    for d in _PG_BIN_DIRS:
        p = Path(d) / name
        if p.is_file():
            candidates.insert(0, p)
    if not candidates:
        raise BackupError(f"找不到 {name}（请安装 postgresql-client）")
    return str(candidates[0])


def _pg_args(sd: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    if sd.get("HOST"):
        args += ["--host", str(sd["HOST"])]
    if sd.get("PORT"):
        args += ["--port", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["--username", str(sd["USER"])]
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} 失败（状态 {proc.returncode}）：{proc.stderr.strip()[-2000:]}")


# -- backup ------------------------------------------------------------------------------------


def backup(path: Path, *, alias: str = "default", progress: Callable[[str], None] | None = None) -> Manifest:
    """Write a consistent copy of the database to ``path`` and its manifest beside it."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    kind = vendor(alias)
    if kind == "sqlite":
        manifest = _sqlite_backup(Path(_settings(alias)["NAME"]), tmp)
    elif kind == "postgresql":
        manifest = _pg_backup(alias, tmp)
    else:
        raise BackupError(f"不支持的数据库：{kind}")
    os.replace(tmp, path)
    manifest_path(path).write_text(manifest.to_json(), encoding="utf-8")
    _anchor_audit_head(path, manifest)
    return manifest


def _sqlite_backup(source: Path, target: Path) -> Manifest:
    if not source.is_file():
        raise BackupError(f"数据库文件不存在：{source}")
    with closing(_connect(source)) as src, closing(_connect(target)) as dst:
        # pages=-1: the whole database in one step, under one read snapshot of the source.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"备份文件完整性检查失败：{ok}")
        manifest = sqlite_manifest(target, conn=dst)
        manifest.audit = _audit_head(dst.cursor())
        return manifest


def _pg_backup(alias: str, target: Path) -> Manifest:
    sd = _settings(alias)
    args, env = _pg_args(sd)
    conn = connections[alias]
    # A connection of its own: its REPEATABLE READ transaction exports the snapshot that
    # pg_dump reads, and the manifest is computed inside the very same snapshot.
    snap_conn = conn.get_new_connection(conn.get_connection_params())
    try:
        snap_conn.autocommit = False
        with snap_conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run([pg_binary("pg_dump"), *args, "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                  f"--file={target}", "--dbname", str(sd["NAME"])], env)
            manifest = pg_manifest_from_cursor(cursor)
            manifest.audit = _audit_head(cursor)
        snap_conn.rollback()
    finally:
        snap_conn.close()
    return manifest


# -- verify ------------------------------------------------------------------------------------


def verify(path: Path) -> tuple[Manifest, list[str]]:
    """Check a backup file against its manifest; returns (manifest, problems)."""
    path = path.resolve()
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    manifest = read_manifest(path)
    if manifest is None:
        raise BackupError(f"缺少备份清单：{manifest_path(path)}")
    if manifest.engine == "sqlite":
        with closing(_connect(path, readonly=True)) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            problems = [] if ok == "ok" else [f"完整性检查失败：{ok}"]
            problems += differences(manifest, sqlite_manifest(path, conn=conn))
        return manifest, problems
    # A custom-format archive: list its table-data entries and compare with the manifest.
    proc = subprocess.run([pg_binary("pg_restore"), "--list", str(path)],  # noqa: S603
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return manifest, [f"无法读取备份文件：{proc.stderr.strip()[-500:]}"]
    data_tables = {line.split(" TABLE DATA ", 1)[1].split()[1] for line in proc.stdout.splitlines()
                   if not line.startswith(";") and " TABLE DATA " in line}
    missing = sorted(set(manifest.tables) - data_tables)
    return manifest, [f"{name}: 备份中缺少表数据" for name in missing]


# -- restore -----------------------------------------------------------------------------------


def database_is_empty(alias: str = "default") -> bool:
    conn = connections[alias]
    tables = conn.introspection.table_names()
    if not tables:
        return True
    with conn.cursor() as cursor:
        for t in tables:
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(t)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                return False
    return True


def restore(path: Path, *, alias: str = "default") -> Manifest:
    """Replace the database's contents with the backup at ``path``; returns the live manifest after."""
    path = path.resolve()
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}")
    expected = read_manifest(path)
    kind = vendor(alias)
    if expected is not None and expected.engine != kind:
        raise BackupError(f"备份来自 {expected.engine}，当前数据库是 {kind}")
    conn = connections[alias]
    conn.close()
    if kind == "sqlite":
        target = Path(_settings(alias)["NAME"])
        with closing(_connect(path, readonly=True)) as src, closing(_connect(target)) as dst:
            src.backup(dst, pages=-1)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if ok != "ok":
                raise BackupError(f"恢复后完整性检查失败：{ok}")
    elif kind == "postgresql":
        sd = _settings(alias)
        args, env = _pg_args(sd)
        _run([pg_binary("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", str(sd["NAME"]), str(path)], env)
    else:
        raise BackupError(f"不支持的数据库：{kind}")
    return live_manifest(alias)


def tables_report(manifest: Manifest) -> Iterator[str]:
    width = max((len(n) for n in manifest.tables), default=0)
    for name, t in sorted(manifest.tables.items()):
        yield f"  {name.ljust(width)}  {t.rows}"
