"""Run the benchmark scenarios against one loaded database and write the figures as JSON.

    RENDA_DATA_DIR=/tmp/bench-sqlite python -m bench.run --out /tmp/sqlite.json
    RENDA_DATA_DIR=/tmp/bench-pg DATABASE_URL=postgres://… python -m bench.run --out /tmp/pg.json

The database must have been loaded by ``bench.generate`` first. ``bench.report`` turns one
or more of these JSON files into ``bench/results/YYYY-MM-DD.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import PASSWORD, setup_django

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCENARIOS = ("intake", "lists", "search", "stats", "work_report", "export", "import")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _p(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` in a child that reports its own peak RSS (``bench.measure``)."""
    out = subprocess.run([sys.executable, "-m", "bench.measure", "--", *cmd], env=env, cwd=ROOT,  # noqa: S603
                         capture_output=True, text=True, check=False)
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "{}"
    result = json.loads(last)
    result["stderr_tail"] = out.stderr[-2000:]
    return result


# --- intake through gunicorn ------------------------------------------------------------------


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return int(port)


def intake(seconds: float, workers: int, log: Callable[[str], None]) -> dict[str, Any]:
    from bench import load, phrases
    from renda.accounts.models import User
    from renda.accounts.services import api_token_create
    from renda.places.models import Region

    staff = User.objects.get(username="t01_staff")
    _token, raw = api_token_create(actor=None, user=staff, name=f"bench {time.time():.0f}")
    town = Region.objects.get(pk=staff.town_id)
    grid_ids = list(Region.objects.filter(town=town, level="grid").values_list("pk", flat=True))
    port = _free_port()
    logfile = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    # ROOT first (bench.settings), then the caller's path (a worktree's src/ when it sets one).
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": pythonpath}
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "renda.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--graceful-timeout", "10", "--chdir", str(ROOT)],
        env=env, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(5)
        auth = {"Authorization": f"Bearer {raw}"}

        def payload(n: int) -> dict[str, Any]:
            _cat, title, content = phrases.suggestion_text(rng)
            return {"kind": "public", "title": title, "content": content, "source": "online",
                    "submitter_name": "基准测试", "submitter_phone": f"139{n % 10**8:08d}",
                    "grid_id": grid_ids[n % len(grid_ids)] if grid_ids else None}

        api = load.json_post("/api/suggestions", payload, auth)
        bare = load.json_post("/bench/bare-insert/", lambda n: {}, {})
        load.closed_loop("127.0.0.1", port, api, clients=4, seconds=3)  # warm-up
        load.closed_loop("127.0.0.1", port, bare, clients=4, seconds=2)
        log("intake: throughput, API vs bare view")
        api_tp = load.closed_loop("127.0.0.1", port, api, clients=8, seconds=seconds).summary()
        bare_tp = load.closed_loop("127.0.0.1", port, bare, clients=8, seconds=seconds).summary()
        log("intake: latency at 50 requests/s")
        at50 = load.open_loop("127.0.0.1", port, api, rate=50, seconds=seconds).summary()
        log("intake: 64 concurrent clients")
        c64 = load.closed_loop("127.0.0.1", port, api, clients=64, seconds=seconds).summary()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        logfile.close()
    server_log = Path(logfile.name).read_text(errors="replace")
    Path(logfile.name).unlink()
    return {
        "workers": workers, "seconds": seconds, "api": api_tp, "bare": bare_tp, "at_50_rps": at50,
        "clients_64": c64,
        "ratio": round(api_tp["throughput"] / bare_tp["throughput"], 3) if bare_tp["throughput"] else None,
        "server_log_locked": server_log.count("database is locked"),
        "server_log_5xx_tracebacks": server_log.count("Traceback"),
    }


# --- pages in-process (Django test client): latency and queries ----------------------------------


def _client(username: str) -> Any:
    from django.test import Client

    from renda.accounts.models import User

    c = Client(HTTP_HOST="localhost")
    c.force_login(User.objects.get(username=username))
    return c


def page(client: Any, url: str, *, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], [], 0
    for i in range(runs + 1):
        # The connection keeps the last 9,000 queries only: once full, a capture counts 0 (the
        # PostgreSQL run of 2026-12-07 reported 0 queries for its last district searches).
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            r = client.get(url)
            dt_ = time.perf_counter() - t
        status = r.status_code
        if i:  # the first run warms caches
            times.append(dt_)
            queries.append(len(ctx.captured_queries))
    return {"url": url, "status": status, "p50_ms": _ms(statistics.median(times)), "p95_ms": _ms(_p(times, 95)),
            "max_ms": _ms(max(times)), "queries": max(queries)}


LIST_PAGES: list[tuple[str, str, str]] = [
    # (label, user, url)
    ("suggestions list, town office", "t01_staff", "/suggestions/"),
    ("suggestions list, town office, 100 per page", "t01_staff", "/suggestions/?per_page=100"),
    ("suggestions list, town office, page 1000", "t01_staff", "/suggestions/?page=1000"),
    ("suggestions list, sorted by deadline", "t01_staff", "/suggestions/?sort=deadline"),
    ("suggestions list, filtered: state 办理中", "t01_staff", "/suggestions/?state=accepted"),
    ("suggestions list, whole district (admin)", "bench_admin", "/suggestions/"),
    ("suggestions list, whole district, 100 per page", "bench_admin", "/suggestions/?per_page=100"),
    ("office queue: to assign", "t01_staff", "/suggestions/queue/?tab=to_assign"),
    ("office queue: overdue", "t01_staff", "/suggestions/queue/?tab=overdue"),
    ("office queue: to close", "t01_staff", "/suggestions/queue/?tab=to_close"),
    ("unit inbox: handling", "t01_unit", "/suggestions/inbox/?tab=handling"),
    ("unit inbox: overdue", "t01_unit", "/suggestions/inbox/?tab=overdue"),
    ("deputy: my suggestions", "t01_deputy", "/suggestions/mine/"),
    ("petitions list, town office", "t01_staff", "/petitions/"),
    ("petitions list, 100 per page", "t01_staff", "/petitions/?per_page=100"),
    ("petitions list, whole district (admin)", "bench_admin", "/petitions/"),
    ("petitions queue", "t01_staff", "/petitions/queue/"),
    ("API: suggestions list", "t01_staff", "/api/suggestions?limit=50"),
]

SEARCHES: list[tuple[str, str]] = [
    ("路灯长期不亮", "3+"), ("排水沟堵塞", "3+"), ("养殖场异味", "3+"), ("中心小学门口", "3+"), ("不存在的词语", "3+"),
    ("YJ2025-1234", "3+"), ("路灯", "1-2"), ("积水", "1-2"), ("河", "1-2"),
]


def lists(runs: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    clients: dict[str, Any] = {}
    out = []
    for label, user, url in LIST_PAGES:
        client = clients.setdefault(user, _client(user))
        r = page(client, url, runs=runs)
        log(f"  {label}: p95 {r['p95_ms']} ms, {r['queries']} queries")
        out.append({"label": label, "user": user, **r})
    return out


def search(runs: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    from urllib.parse import quote

    out = []
    for user, scope in (("t01_staff", "town"), ("bench_admin", "district")):
        client = _client(user)
        for q, kind in SEARCHES:
            r = page(client, f"/suggestions/?q={quote(q)}", runs=runs)
            log(f"  search {scope} {q!r}: p95 {r['p95_ms']} ms")
            out.append({"q": q, "kind": kind, "scope": scope, **r})
    return out


# --- stats vs hand-written SQL ---------------------------------------------------------------------


def stats(runs: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import stats_sql
    from renda.accounts.models import User

    town = User.objects.get(username="t01_staff").town
    assert town is not None
    out = []
    for scope, code in (("town", town.code), ("district", None)):
        for period in ("2025", "2026H1"):
            args = ["stats", "--period", period, "--format", "json"] + (["--town", code] if code else [])
            with CaptureQueriesContext(connection) as ctx:  # the statements of one run (not timed)
                call_command(*args, stdout=StringIO())
            queries = sum(1 for q in ctx.captured_queries
                          if not q["sql"].startswith(("SET ", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")))
            t_stats, t_sql = [], []
            for _ in range(runs):
                t = time.perf_counter()
                call_command(*args, stdout=StringIO())
                t_stats.append(time.perf_counter() - t)
                t = time.perf_counter()
                stats_sql.run(connection, period=period, town_code=code)
                t_sql.append(time.perf_counter() - t)
            a, b = statistics.median(t_stats), statistics.median(t_sql)
            log(f"  stats {scope} {period}: {a:.3f}s vs SQL {b:.3f}s ({queries} statements)")
            out.append({"scope": scope, "period": period, "stats_s": round(a, 3), "sql_s": round(b, 3),
                        "ratio": round(a / b, 2) if b else None, "queries": queries, "runs": runs})
    return out


# --- the work report vs the statistics of the same period -----------------------------------------


def work_report(runs: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """The work report draft (``work_report.produce``, as ``renda work_report`` and the page's job
    make it: the draft and its .docx) of one town and of the district, against the same run's
    ``metrics.stats`` of the same period and scope (what ``renda stats`` computes); the ratio says
    what the report adds to the numbers it cites (the lists, the district's per-town columns, the
    rendering)."""
    from renda.accounts.models import User
    from renda.reports import metrics
    from renda.reports import work_report as wr

    town = User.objects.get(username="t01_staff").town
    assert town is not None
    out = []
    for scope_name, code in (("town", town.code), ("district", None)):
        scope = metrics.resolve_scope(code)
        for period_text in ("2025", "2026H1"):
            period = metrics.Period.parse(period_text)
            t_report, t_stats, size = [], [], 0
            for _ in range(runs):
                t = time.perf_counter()
                size = len(wr.produce(period, scope, "docx"))
                t_report.append(time.perf_counter() - t)
                t = time.perf_counter()
                metrics.stats(period, scope)
                t_stats.append(time.perf_counter() - t)
            a, b = statistics.median(t_report), statistics.median(t_stats)
            log(f"  work_report {scope_name} {period_text}: {a:.2f}s vs stats {b:.2f}s ({size // 1024} KB)")
            out.append({"scope": scope_name, "period": period_text, "report_s": round(a, 3), "stats_s": round(b, 3),
                        "ratio": round(a / b, 2) if b else None, "docx_kb": size // 1024})
    return out


# --- export of the whole district as a background job ---------------------------------------------


def export(log: Callable[[str], None]) -> dict[str, Any]:
    from renda.core.jobs import finished_file
    from renda.suggestions import exports
    from renda.suggestions.models import Suggestion

    admin = _client("bench_admin")
    total = Suggestion.objects.count()
    admin.get("/suggestions/")  # a running server: the first request of a process loads the code
    t = time.perf_counter()
    r = admin.get("/suggestions/?export=xlsx")
    enqueue_ms = _ms(time.perf_counter() - t)
    assert r.status_code == 302, r.status_code
    status_url = r["Location"]
    log(f"export: enqueued in {enqueue_ms} ms, running the worker on {total:,} rows")
    box: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: box.update(measured(
        [str(BIN / "renda"), "db_worker", "--batch", "--no-startup-delay"])))
    worker.start()
    # The pages stay answerable while the worker writes.
    staff = _client("t01_staff")
    during: list[float] = []
    while worker.is_alive():
        t = time.perf_counter()
        staff.get("/suggestions/")
        admin.get(status_url + "?format=json")
        during.append(time.perf_counter() - t)
        time.sleep(0.5)
    worker.join()
    state = admin.get(status_url + "?format=json").json()
    size = 0
    job = exports.job_for(_user("bench_admin"), state["id"])
    done = finished_file(job) if job else None  # core.jobs: one helper for every export job
    if done:
        size = done[0].stat().st_size
        done[0].unlink()
    return {"rows_in_db": total, "rows": state.get("rows"), "status": state["status"], "enqueue_ms": enqueue_ms,
            "seconds": box.get("seconds"), "peak_rss_mb": box.get("peak_rss_mb"),
            "rows_per_s": round((state.get("rows") or 0) / box["seconds"]) if box.get("seconds") else None,
            "file_mb": round(size / 2**20, 1), "pages_during_p95_ms": _ms(_p(during, 95)) if during else None,
            "pages_during_max_ms": _ms(max(during)) if during else None, "polls": len(during)}


def _user(username: str) -> Any:
    from renda.accounts.models import User

    return User.objects.get(username=username)


# --- import of a ledger -------------------------------------------------------------------------------


def free_year() -> int:
    """A year before the loaded data (which starts in 2022) with no 编号 of the form YJ<year>- yet:
    each import of the scenario gets its own codes, so running it again (``--resume`` after an
    import that finished but was not recorded) does not collide with an earlier one."""
    from renda.suggestions.models import Suggestion

    for year in range(2019, 1999, -1):
        if not Suggestion.objects.filter(code__startswith=f"YJ{year}-").exists():
            return year
    raise RuntimeError("no free year for the import scenario's 编号")


def ledger_file(path: Path, rows: int, *, year: int = 2019) -> None:
    """A 意见建议 sheet of ``rows`` items of town t01 registered in ``year``, in a realistic mix
    (as a town's ledger of past years holds them): a quarter deputies' suggestions (some with
    co-deputies), the rest public opinions (a tenth anonymous); 10 % registered, 15 % assigned
    (some with a co-handling unit, 5 % under key supervision), 20 % replied, 15 % evaluated, 40 %
    closed — 3 % of them evaluated 不满意 and closed all the same."""
    from openpyxl import Workbook

    from bench import phrases
    from renda.core.export import write_sheet
    from renda.core.ledger.registry import get
    from renda.people.models import Deputy
    from renda.places.models import Region
    from renda.units.models import Unit

    spec = get("意见建议")
    assert spec is not None
    headers = [c.header for c in spec.columns]
    town = _user("t01_staff").town
    assert town is not None
    villages = list(Region.objects.filter(town=town, level="village").values_list("code", flat=True))
    units = list(Unit.objects.filter(town=town, is_active=True).order_by("id").values_list("name", flat=True))
    names = list(Deputy.objects.filter(town=town, is_active=True).order_by("id").values_list("name", flat=True))
    deputies = [n for n in names if names.count(n) == 1]
    presidium = [n for n in Deputy.objects.filter(town=town, is_active=True, is_presidium=True)
                 .order_by("id").values_list("name", flat=True) if n in deputies]
    rng = random.Random(7)

    def gen() -> Any:
        for i in range(rows):
            cat, title, content = phrases.suggestion_text(rng)
            reg = dt.date(year, 1, 1) + dt.timedelta(days=i % 300)
            row: dict[str, Any] = {"编号": f"YJ{year}-{i + 1:06d}", "登记日期": reg, "所属镇街代码": town.code,
                                   "所属村社区代码": villages[i % len(villages)], "类别": cat, "标题": title,
                                   "内容": content}
            if rng.random() < 0.25 and deputies:
                signers = rng.sample(deputies, min(len(deputies), 1 + (rng.random() < 0.3) * 2))
                row.update({"类型": "代表建议", "来源": "闭会期间", "提出代表": ";".join(signers)})
            else:
                row.update({"类型": "群众意见", "来源": "来访"})
                if rng.random() >= 0.1:
                    row.update({"提出人": "张三", "联系电话": f"139{i:08d}"})
            stage = rng.random()
            if stage >= 0.10 and units:
                on = reg + dt.timedelta(days=2)
                row.update({"主办单位": units[i % len(units)], "交办日期": on, "办理期限": on + dt.timedelta(days=30)})
                if rng.random() < 0.1 and len(units) > 1:
                    row["协办单位"] = units[(i + 1) % len(units)]
                if rng.random() < 0.05 and presidium:
                    row.update({"重点督办": "是", "督办领导": presidium[0]})
                if stage >= 0.25:
                    on += dt.timedelta(days=3 + i % 20)
                    row.update({"答复日期": on, "答复类别": "A" if i % 5 else "B", "答复内容": "已办理"})
                    if stage >= 0.45:
                        on += dt.timedelta(days=5)
                        unhappy = stage >= 0.97
                        row.update({"测评结果": "不满意" if unhappy else "满意", "测评日期": on})
                        if stage >= 0.60:
                            row["办结日期"] = on + dt.timedelta(days=1)
            yield [row.get(h, "") for h in headers]

    wb = Workbook(write_only=True)
    write_sheet(wb, "意见建议", headers, gen())
    wb.save(path)


def read_workbook(path: str) -> int:
    """The import's floor: what openpyxl needs just to read the workbook (read-only, values only,
    every cell of every row). Returns the number of cells read."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for _value in row:
                    cells += 1
    finally:
        wb.close()
    return cells


def import_ledger(rows: int, log: Callable[[str], None]) -> dict[str, Any]:
    """``renda import_ledger FILE`` of a ``rows``-row 意见建议 sheet in a child process (wall time and
    peak RSS), and its same-run baseline: openpyxl reading the same workbook (``read_workbook``, also
    in a child process, so neither is helped by the other's warm caches more than the disk's)."""
    year = free_year()
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        path = Path(tmp) / "ledger.xlsx"
        t = time.perf_counter()
        ledger_file(path, rows, year=year)
        log(f"import: {rows:,}-row workbook ({path.stat().st_size / 2**20:.1f} MB, YJ{year}-) written in "
            f"{time.perf_counter() - t:.1f}s; reading it with openpyxl")
        base = measured([sys.executable, "-c", f"from bench.run import read_workbook; read_workbook({str(path)!r})"])
        log(f"import: openpyxl read {base.get('seconds')} s; importing")
        r = measured([str(BIN / "renda"), "import_ledger", str(path)])
    seconds, read_s = r.get("seconds"), base.get("seconds")
    log(f"import: {seconds} s, peak {r.get('peak_rss_mb')} MB, exit {r.get('exit')}")
    return {"rows": rows, "seconds": seconds, "peak_rss_mb": r.get("peak_rss_mb"),
            "rows_per_s": round(rows / seconds, 1) if seconds else None, "exit": r.get("exit"), "year": year,
            "read_s": read_s, "read_peak_rss_mb": base.get("peak_rss_mb"), "read_exit": base.get("exit"),
            "ratio": round(seconds / read_s, 2) if seconds and read_s else None,
            "output_tail": r.get("stdout_tail", "")[-600:] + r.get("stderr_tail", "")[-600:]}


# --- environment ----------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    import platform
    import sqlite3

    import django
    from django.db import connection

    from renda.petitions.models import Petition
    from renda.suggestions.models import Suggestion

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                  if x.startswith("MemTotal"))
    os_name = platform.platform()
    try:
        pretty = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
        os_name = pretty.get("PRETTY_NAME", os_name).strip('"') + f" ({platform.release()})"
    except OSError:
        pass
    db_version = ""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
            db_version = f"PostgreSQL {cur.fetchone()[0]}"
        else:
            db_version = f"SQLite {sqlite3.sqlite_version}"
    return {"vendor": connection.vendor, "database": db_version, "cpu": cpu, "cores": os.cpu_count(),
            "ram_gib": round(mem_kb / 2**20, 1), "os": os_name, "python": platform.python_version(),
            "django": django.get_version(), "sqlite": sqlite3.sqlite_version,
            "suggestions": Suggestion.objects.count(), "petitions": Petition.objects.count()}


def done(figures: Any) -> bool:
    """Whether a scenario's figures are complete (not missing, not a failure)."""
    if not figures:
        return False
    return not (isinstance(figures, dict) and "error" in figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmark scenarios (see bench/README.md).")
    parser.add_argument("--out", required=True)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--runs", type=int, default=30,
                        help="requests of each page and search (after one warm-up); p95 needs 30 or more")
    parser.add_argument("--resume", action="store_true",
                        help="keep the figures already in --out and skip the scenarios they cover")
    parser.add_argument("--redo", default="", help="with --resume: these scenarios are measured again")
    parser.add_argument("--seconds", type=float, default=20, help="length of each load phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as make run)")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--stats-runs", type=int, default=3,
                        help="runs of each stats measurement (the median is kept): the command and the SQL alternate")
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)  # the pages need the manifest, as in make run
    wanted = [s for s in args.scenarios.split(",") if s]
    result: dict[str, Any] = {}
    out_path = Path(args.out)
    if args.resume and out_path.exists():
        result = json.loads(out_path.read_text())
    result.update({"label": args.label or result.get("label", ""), "environment": environment(),
                   "password": bool(PASSWORD), "runs": args.runs})
    result.setdefault("started", dt.datetime.now().isoformat(timespec="seconds"))

    def log(msg: str) -> None:
        print(msg, flush=True)

    def save() -> None:
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))

    log(f"{result['environment']['database']}: {result['environment']['suggestions']:,} suggestions")
    for name in wanted:
        if args.resume and done(result.get(name)) and name not in args.redo.split(","):
            log(f"== {name}: already measured (--resume), skipped")
            continue
        t = time.perf_counter()
        log(f"== {name}")
        try:
            if name == "intake":
                result["intake"] = intake(args.seconds, args.workers, log)
            elif name == "lists":
                result["lists"] = lists(args.runs, log)
            elif name == "search":
                result["search"] = search(args.runs, log)
            elif name == "stats":
                result["stats"] = stats(args.stats_runs, log)
            elif name == "work_report":
                result["work_report"] = work_report(3, log)
            elif name == "export":
                result["export"] = export(log)
            elif name == "import":
                result["import"] = import_ledger(args.import_rows, log)
        except Exception as exc:
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
            log(f"  failed: {exc}")
        result.setdefault("durations", {})[name] = round(time.perf_counter() - t, 1)
        save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
