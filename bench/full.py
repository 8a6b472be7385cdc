"""``make bench``: load a district into SQLite and into PostgreSQL, run every scenario on each
and write the results file — resumable.

    python -m bench.full --scale 0.1 --dir /tmp/renda-bench --pg postgres://postgres@127.0.0.1:5432
    python -m bench.full --scale 0.1 --resume          # continue an interrupted run

The databases have fixed places: ``DIR/sqlite`` (the SQLite data dir) and the PostgreSQL
database ``--pg-db`` (``renda_bench``). Each load records its scale and seed in the database
itself (table ``bench_loaded``, written by ``bench.generate`` as its last step), and each
scenario's figures go to ``DIR/<db>.json`` as soon as it finishes. Without ``--resume`` both
databases are dropped and loaded afresh. With ``--resume``:

- a database already loaded at the requested scale and seed is kept (only ``migrate`` runs, so
  a new index reaches it); one whose load did not finish, or at another scale, is loaded again
  (and its figures, which were measured on other data, are discarded);
- scenarios whose figures are already in the JSON file are skipped (``bench.run --resume``);
  one that failed or was interrupted runs again.

At the end the results file is written (``--results``) and, unless ``--keep``, the databases
are removed; a run that fails keeps them, so ``--resume`` can continue it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.generate import RELOAD

ROOT = Path(__file__).resolve().parent.parent


def _pg_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(f"{url.rstrip('/')}/postgres", autocommit=True)


def pg_exists(url: str, name: str) -> bool:
    with _pg_admin(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def pg_create(url: str, name: str) -> None:
    from psycopg import sql

    with _pg_admin(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pg_drop(url: str, name: str) -> None:
    from psycopg import sql

    with _pg_admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Target:
    """One database of the run: where it lives, how to empty it, the environment of its commands."""

    def __init__(self, name: str, base: Path, pg_url: str | None, pg_db: str) -> None:
        self.name, self.base, self.pg_url, self.pg_db = name, base, pg_url, pg_db
        self.data_dir = base / name
        self.json = base / f"{name}.json"
        self.load_json = base / f"{name}-load.json"

    def env(self) -> dict[str, str]:
        env = {**os.environ, "RENDA_DATA_DIR": str(self.data_dir)}
        env.pop("DATABASE_URL", None)
        if self.pg_url:
            env["DATABASE_URL"] = f"{self.pg_url.rstrip('/')}/{self.pg_db}"
        return env

    def wipe(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.json.unlink(missing_ok=True)
        self.load_json.unlink(missing_ok=True)
        if self.pg_url:
            pg_drop(self.pg_url, self.pg_db)

    def ensure(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.pg_url and not pg_exists(self.pg_url, self.pg_db):
            pg_create(self.pg_url, self.pg_db)


def _run(cmd: list[str], env: dict[str, str]) -> int:
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, cwd=ROOT, check=False).returncode  # noqa: S603


def prepare(t: Target, *, scale: float, seed: int, resume: bool) -> None:
    """The database loaded at ``scale``/``seed``: reused when ``resume`` finds it so, else loaded."""
    gen = [sys.executable, "-m", "bench.generate", "--scale", str(scale), "--seed", str(seed),
           "--json", str(t.load_json)]
    if resume:
        t.ensure()
        rc = _run([*gen, "--resume"], t.env())
        if rc == 0:
            return
        if rc != RELOAD:
            raise SystemExit(f"{t.name}: bench.generate failed ({rc})")
        print(f"{t.name}: not loaded at scale {scale} (seed {seed}): loading afresh", flush=True)
    t.wipe()
    t.ensure()
    if _run(gen, t.env()) != 0:
        raise SystemExit(f"{t.name}: bench.generate failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make bench: load, run every scenario, write the results.")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "renda-bench"),
                        help="the SQLite data dir and the JSON files go here")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432",
                        help="the PostgreSQL server (empty: SQLite only)")
    parser.add_argument("--pg-db", default="renda_bench", help="the PostgreSQL database (fixed, for --resume)")
    parser.add_argument("--databases", default="sqlite,pg")
    parser.add_argument("--resume", action="store_true", help="reuse the loaded databases and finished scenarios")
    parser.add_argument("--keep", action="store_true", help="keep the databases after a successful run")
    parser.add_argument("--results", default="", help="the results file (default bench/results/DATE[-scaleS].md)")
    parser.add_argument("--notes", default="", help="a Markdown file of notes for the results file")
    args, run_args = parser.parse_known_args(argv)
    base = Path(args.dir)
    base.mkdir(parents=True, exist_ok=True)
    targets = []
    for name in (d for d in args.databases.split(",") if d):
        if name == "pg" and not args.pg:
            continue
        targets.append(Target(name, base, args.pg if name == "pg" else None, args.pg_db))
    for t in targets:
        prepare(t, scale=args.scale, seed=args.seed, resume=args.resume)
        cmd = [sys.executable, "-m", "bench.run", "--out", str(t.json), *run_args]
        if args.resume:
            cmd.append("--resume")
        if _run(cmd, t.env()) != 0:
            raise SystemExit(f"{t.name}: bench.run failed; the databases are kept: continue with --resume")
    import datetime as dt

    suffix = "" if args.scale == 1 else f"-scale{args.scale:g}"
    results = args.results or str(ROOT / "bench" / "results" / f"{dt.date.today().isoformat()}{suffix}.md")
    report = [sys.executable, "-m", "bench.report", *(str(t.json) for t in targets), "--out", results]
    if args.notes:
        report += ["--notes", args.notes]
    if _run(report, dict(os.environ)) != 0:
        raise SystemExit("bench.report failed")
    if not args.keep:
        for t in targets:
            t.wipe()
    return 0


if __name__ == "__main__":
    sys.exit(main())
