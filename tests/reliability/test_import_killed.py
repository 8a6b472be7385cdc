"""An import killed with SIGKILL halfway leaves no partial data: ``renda import_ledger`` runs in
its own process on its own database (a SQLite file in a fresh RENDA_DATA_DIR), is killed while
it writes, and afterwards every table has the rows it had before, ``PRAGMA integrity_check``
says ok, and the same import then runs to the end. The second test kills the import once its own
progress report (``import_workbook(progress=...)``, what the web job's page shows) says rows have
been written: none of them remain."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from renda.core.backup import sqlite_manifest
from renda.ledger.exporter import ledger_sheets, write_workbook
from tests.reliability.samples import build_sample

ROWS = int(os.environ.get("RENDA_KILL_ROWS", "2000"))
SHEETS = ("镇街", "村社区", "网格", "网格员", "承办单位", "代表", "意见建议")
RENDA = str(Path(sys.executable).with_name("renda"))


def make_workbook(path: Path, n: int, first: int = 1) -> None:
    """The seeded world's organization sheets plus ``n`` 意见建议 rows (copies of a registered
    item under new 编号), exported through the ledger exporter."""
    sheets = []
    for title, headers, rows in ledger_sheets():
        if title not in SHEETS:
            continue
        rows = [list(r) for r in rows]
        if title == "意见建议":
            code, name = headers.index("编号"), headers.index("标题")
            template = rows[0]
            rows = []
            for i in range(first, first + n):
                row = list(template)
                row[code], row[name] = f"YJ2023-{i:05d}", f"{template[name]}（{i}）"
                rows.append(row)
        sheets.append((title, headers, rows))
    write_workbook(path, sheets)


def renda_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["RENDA_DATA_DIR"] = str(data_dir)
    return env


def counts(db: Path) -> dict[str, int]:
    return {name: t.rows for name, t in sqlite_manifest(db).tables.items()}


def integrity(db: Path) -> str:
    from django.db.backends.sqlite3._functions import register

    with closing(sqlite3.connect(str(db))) as conn:
        register(conn)
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.django_db
def test_import_killed_halfway_leaves_nothing(tmp_path: Path) -> None:
    for f in build_sample().export_files():  # only its organization and suggestions are used
        f.unlink(missing_ok=True)
    book, small = tmp_path / "ledger.xlsx", tmp_path / "small.xlsx"
    make_workbook(book, ROWS)
    make_workbook(small, 20, first=ROWS + 1)
    data = tmp_path / "data"
    env = renda_env(data)
    subprocess.run([RENDA, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    db = data / "renda.sqlite3"
    wal = data / "renda.sqlite3-wal"
    before = counts(db)

    proc = subprocess.Popen([RENDA, "import_ledger", str(book)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    killed_at = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        size = wal.stat().st_size if wal.exists() else 0
        if size > 512 * 1024:  # the import's transaction is spilling pages: it is writing
            killed_at = size
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    out = proc.communicate(timeout=60)[0].decode(errors="replace")
    assert killed_at, f"the import ended (status {proc.returncode}) before it could be killed:\n{out[-2000:]}"
    assert proc.returncode == -signal.SIGKILL

    assert integrity(db) == "ok"
    after = counts(db)
    assert after == before, {t: (before.get(t), after.get(t)) for t in set(before) | set(after)
                             if before.get(t) != after.get(t)}

    # Nothing half-done stands in the way: the next import runs to the end.
    done = subprocess.run([RENDA, "import_ledger", str(small)], env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert counts(db)["suggestions_suggestion"] == before["suggestions_suggestion"] + 20
    assert integrity(db) == "ok"
    audit = subprocess.run([RENDA, "audit", "verify"], env=env, capture_output=True, text=True, check=False)
    assert audit.returncode == 0, audit.stderr


#: The import the killed process runs: the importer with a progress callback that prints each
#: report as a JSON line (what the web job writes to its progress store), so the test kills it
#: once the importer itself says it has written rows.
IMPORT_REPORTING = """
import json
from renda.ledger.importer import import_workbook

def report(p):
    print("PROGRESS " + json.dumps(p.as_dict()), flush=True)

import_workbook({path!r}, limit_rows=False, progress=report)
print("DONE", flush=True)
"""


@pytest.mark.django_db
def test_import_killed_once_progress_reports_rows_written_leaves_none_of_them(tmp_path: Path) -> None:
    for f in build_sample().export_files():
        f.unlink(missing_ok=True)
    book = tmp_path / "ledger.xlsx"
    make_workbook(book, ROWS)
    data = tmp_path / "data"
    env = renda_env(data)
    subprocess.run([RENDA, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300)
    db = data / "renda.sqlite3"
    before = counts(db)

    proc = subprocess.Popen([RENDA, "shell", "-c", IMPORT_REPORTING.format(path=str(book))], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    reported: dict[str, object] = {}
    lines: list[str] = []
    for line in proc.stdout:  # ends when the process does
        lines.append(line)
        if line.startswith("PROGRESS "):
            state = json.loads(line.removeprefix("PROGRESS "))
            if state["rows_written"] > 0 and not state["finished"]:
                reported = state
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert reported, "the import ended before it reported rows written:\n" + "".join(lines[-20:])
    assert proc.returncode == -signal.SIGKILL
    assert 0 < int(reported["rows_written"]) < ROWS  # type: ignore[call-overload]

    assert integrity(db) == "ok"
    after = counts(db)
    assert after == before, {t: (before.get(t), after.get(t)) for t in set(before) | set(after)
                             if before.get(t) != after.get(t)}
