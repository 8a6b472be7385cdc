"""Turn the JSON of ``bench.run`` (one file per database) into ``bench/results/YYYY-MM-DD.md``:
the machine, the versions, and for each scenario the figure, its target and its ratio against
the baseline measured in the same run.

    python -m bench.report /tmp/sqlite.json /tmp/pg.json --out bench/results/2026-11-27.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

#: The goals of issue 19 (lists, search, stats, intake, import); export's and the 1–2 character
#: search's from issue 5.
TARGETS = {
    "list_p95_ms": 100, "search3_p95_ms": 50, "search12_p95_ms": 1000, "intake_ratio": 0.5,
    "intake_p99_ms": 250, "stats_ratio": 1.2,
    "work_report_town_ratio": 2.0, "work_report_district_ratio": 3.0, "import_seconds": 60, "import_peak_mb": 500,
    "export_peak_mb": 300,
}
MIN_RUNS = 30  # a p95 over fewer requests is in effect the slowest one


def ok(flag: bool | None) -> str:
    return "—" if flag is None else ("✅" if flag else "❌")


def num(x: Any, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def section_intake(r: dict[str, Any]) -> list[str]:
    i = r.get("intake")
    if not i:
        return ["(not run)"]
    if "error" in i:
        return [f"failed: `{i['error']}`"]
    api, bare, at50, c64 = i["api"], i["bare"], i["at_50_rps"], i["clients_64"]
    locked = c64["database_is_locked"] + i.get("server_log_locked", 0)
    sqlite = r["environment"]["vendor"] == "sqlite"
    return [
        f"gunicorn, {i['workers']} sync workers (as `make run`), {i['seconds']:.0f} s per phase.",
        "",
        "| measure | API `POST /api/suggestions` | baseline: bare view, one INSERT | ratio | target | |",
        "|---|---|---|---|---|---|",
        f"| throughput, 8 clients (req/s) | {num(api['throughput'])} | {num(bare['throughput'])} | "
        f"{num(i['ratio'], 2)} | ≥ {TARGETS['intake_ratio']} | "
        f"{ok(i['ratio'] is not None and i['ratio'] >= TARGETS['intake_ratio'])} |",
        f"| p50 / p99 at 8 clients (ms) | {num(api['p50_ms'])} / {num(api['p99_ms'])} | "
        f"{num(bare['p50_ms'])} / {num(bare['p99_ms'])} | | | |",
        f"| p99 at 50 req/s open loop (ms) | {num(at50['p99_ms'])} (p50 {num(at50['p50_ms'])}, "
        f"{at50['ok']}/{at50['requests']} ok) | | | < 250 | {ok(at50['p99_ms'] < TARGETS['intake_p99_ms'])} |",
        f"| 64 concurrent clients: \"database is locked\" | {locked} (statuses {c64['statuses']}) | | | 0 | "
        f"{ok(locked == 0) if sqlite else '—'} |",
        f"| 64 clients: throughput / p99 (ms) | {num(c64['throughput'])} / {num(c64['p99_ms'])} | | | | |",
    ] + (["", f"errors: `{api['errors'] or at50['errors'] or c64['errors']}`"]
         if (api["errors"] or at50["errors"] or c64["errors"]) else [])


def section_lists(r: dict[str, Any]) -> list[str]:
    rows = r.get("lists")
    if not rows:
        return ["(not run)"]
    if isinstance(rows, dict):
        return [f"failed: `{rows.get('error')}`"]
    out = [*_runs_line(r),
           f"| page | user | p50 ms | p95 ms | queries | target p95 < {TARGETS['list_p95_ms']} ms |",
           "|---|---|---|---|---|---|"]
    for x in rows:
        out.append(f"| {x['label']} (`{x['url']}`) | {x['user']} | {num(x['p50_ms'])} | {num(x['p95_ms'])} | "
                   f"{x['queries']} | {ok(x['status'] == 200 and x['p95_ms'] < TARGETS['list_p95_ms'])} |")
    by_label = {x["label"]: x for x in rows}
    pairs = [("suggestions list, town office", "suggestions list, town office, 100 per page"),
             ("suggestions list, whole district (admin)", "suggestions list, whole district, 100 per page"),
             ("petitions list, town office", "petitions list, 100 per page")]
    out += ["", "Constant number of queries (20 rows vs 100 rows a page):", ""]
    for a, b in pairs:
        if a in by_label and b in by_label:
            qa, qb = by_label[a]["queries"], by_label[b]["queries"]
            out.append(f"- {a}: {qa} vs {qb} queries {ok(qa == qb)}")
    return out


def section_search(r: dict[str, Any]) -> list[str]:
    rows = r.get("search")
    if not rows:
        return ["(not run)"]
    if isinstance(rows, dict):
        return [f"failed: `{rows.get('error')}`"]
    out = [*_runs_line(r), "| query | length | scope | p50 ms | p95 ms | queries | target | |",
           "|---|---|---|---|---|---|---|---|"]
    for x in rows:
        target = TARGETS["search3_p95_ms"] if x["kind"] == "3+" else TARGETS["search12_p95_ms"]
        out.append(f"| `{x['q']}` | {x['kind']} | {x['scope']} | {num(x['p50_ms'])} | {num(x['p95_ms'])} | "
                   f"{x['queries']} | < {target} ms | {ok(x['status'] == 200 and x['p95_ms'] < target)} |")
    return out


def section_stats(r: dict[str, Any]) -> list[str]:
    rows = r.get("stats")
    if not rows:
        return ["(not run)"]
    if isinstance(rows, dict):
        return [f"failed: `{rows.get('error')}`"]
    out = [f"| scope | period | `renda stats` (s) | hand-written SQL (s) | ratio | target ≤ {TARGETS['stats_ratio']} |",
           "|---|---|---|---|---|---|"]
    for x in rows:
        out.append(f"| {x['scope']} | {x['period']} | {num(x['stats_s'], 3)} | {num(x['sql_s'], 3)} | "
                   f"{num(x['ratio'], 2)} | {ok(x['ratio'] is not None and x['ratio'] <= TARGETS['stats_ratio'])} |")
    return out


def section_work_report(r: dict[str, Any]) -> list[str]:
    rows = r.get("work_report")
    if not rows:
        return ["(not run)"]
    if isinstance(rows, dict):
        return [f"failed: `{rows.get('error')}`"]
    out = ["| scope | period | work report, .docx (s) | `metrics.stats` (s) | ratio (reported, no target yet) "
           "| .docx (KB) |", "|---|---|---|---|---|---|"]
    for x in rows:
        out.append(f"| {x['scope']} | {x['period']} | {num(x['report_s'], 3)} | {num(x['stats_s'], 3)} | "
                   f"{num(x['ratio'], 2)} | {num(x['docx_kb'])} |")
    return out


def section_import(r: dict[str, Any]) -> list[str]:
    x = r.get("import")
    if not x:
        return ["(not run)"]
    if "error" in x:
        return [f"failed: `{x['error']}`"]
    secs, peak = x.get("seconds"), x.get("peak_rss_mb")
    good = x.get("exit") == 0
    full = x["rows"] >= 100_000  # the targets are for 100,000 rows; a smaller sheet says nothing of them
    out = [
        "`renda import_ledger FILE` in a child process; baseline: openpyxl reading the same workbook "
        "(read-only, values only, every cell), same run.",
        "",
        f"| rows | seconds | target < {TARGETS['import_seconds']} s | peak RSS (MB) | target < "
        f"{TARGETS['import_peak_mb']} MB | rows/s | baseline: openpyxl read (s) | ratio | exit |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {num(x['rows'])} | {num(secs)} | "
        f"{ok(good and secs is not None and secs < TARGETS['import_seconds']) if full else '— (100,000 rows)'} | "
        f"{num(peak)} | {ok(good and peak is not None and peak < TARGETS['import_peak_mb']) if full else '—'} | "
        f"{num(x['rows_per_s'])} | {num(x.get('read_s'))} | {num(x.get('ratio'), 2)} | {x.get('exit')} |",
    ]
    if not good and x.get("output_tail"):
        out += ["", "```", x["output_tail"].strip()[-800:], "```"]
    return out


def section_export(r: dict[str, Any]) -> list[str]:
    x = r.get("export")
    if not x:
        return ["(not run)"]
    if "error" in x:
        return [f"failed: `{x['error']}`"]
    return [
        "| rows | enqueue (ms) | worker (s) | rows/s | peak RSS (MB) | target < 300 MB | file (MB) | "
        "list page + status poll while it ran: p95 / max (ms) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {num(x['rows'])} | {num(x['enqueue_ms'])} | {num(x['seconds'])} | {num(x['rows_per_s'])} | "
        f"{num(x['peak_rss_mb'])} | {ok(x['peak_rss_mb'] is not None and x['peak_rss_mb'] < TARGETS['export_peak_mb'])}"
        f" | {num(x['file_mb'])} | {num(x['pages_during_p95_ms'])} / {num(x['pages_during_max_ms'])} |",
    ]


def _runs_line(r: dict[str, Any]) -> list[str]:
    n = r.get("runs")
    if not n:
        return []
    return [f"p50/p95 over {n} requests after one warm-up" + (f" (fewer than {MIN_RUNS}: the p95 is in effect "
            "the slowest)" if n < MIN_RUNS else "") + ".", ""]


def render(runs: list[dict[str, Any]], notes: str = "") -> str:
    env = runs[0]["environment"]
    lines = [
        f"# Benchmark results {dt.date.today().isoformat()}",
        "",
        "Produced by `make bench` (`bench/run.py`, `bench/report.py`); how to read it: bench/README.md.",
        "",
        "## Machine and versions",
        "",
        f"- CPU: {env['cpu']} ({env['cores']} cores); RAM {env['ram_gib']} GiB; {env['os']}",
        f"- Python {env['python']}, Django {env['django']}, SQLite {env['sqlite']}",
    ]
    for r in runs:
        e = r["environment"]
        lines.append(f"- {e['database']}: {e['suggestions']:,} suggestions, {e['petitions']:,} petitions"
                     + (f" — {r['label']}" if r.get("label") else ""))
    t = TARGETS
    lines += ["", f"Targets (issue 19): every list and queue p95 < {t['list_p95_ms']} ms with a constant number of "
              f"queries; 3+-character search p95 < {t['search3_p95_ms']} ms, town and district (1–2 characters "
              f"< {t['search12_p95_ms'] // 1000} s); `renda stats` ≤ {t['stats_ratio']} × the hand-written SQL, "
              f"town and district; intake ≥ {t['intake_ratio']} × the bare insert view's throughput (p99 < "
              f"{t['intake_p99_ms']} ms at 50 req/s, no \"database is locked\" with 64 clients); import of "
              f"100,000 rows < {t['import_seconds']} s and < {t['import_peak_mb']} MB peak, with its ratio to "
              f"openpyxl reading the same workbook; export peak < {t['export_peak_mb']} MB, pages not blocked. "
              "Every figure on both databases.", ""]
    if notes:
        lines += [notes.strip(), ""]
    for r in runs:
        e = r["environment"]
        lines += [f"## {e['database']}", ""]
        for title, fn in (("Intake", section_intake), ("List pages and queues", section_lists),
                          ("Full-text search", section_search), ("`renda stats` vs hand-written SQL", section_stats),
                          ("Work report vs the statistics it cites", section_work_report),
                          ("Ledger import (意见建议 sheet)", section_import),
                          ("Excel export as a background job", section_export)):
            lines += [f"### {title}", "", *fn(r), ""]
        if r.get("durations"):
            lines += [f"Scenario durations (s): {r['durations']}", ""]
    return "\n".join(lines) + "\n"


def merge(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of the same database (scenarios measured one by one: ``bench.run --scenarios …``)
    as one run each; a later run's scenario replaces an earlier one's."""
    merged: dict[str, dict[str, Any]] = {}
    for r in runs:
        key = r["environment"]["database"]
        if key not in merged:
            merged[key] = {**r, "durations": dict(r.get("durations") or {})}
            continue
        into = merged[key]
        for name, value in r.items():
            if name == "durations":
                into["durations"].update(value or {})
            elif name not in {"environment", "label", "started"}:
                into[name] = value
        into["environment"] = r["environment"]  # the latest counts (intake adds items)
    return list(merged.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the benchmark results file.")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", default="")
    parser.add_argument("--notes", default="", help="a Markdown file with notes to include")
    args = parser.parse_args(argv)
    runs = merge([json.loads(Path(p).read_text()) for p in args.inputs if Path(p).exists()])
    notes = Path(args.notes).read_text() if args.notes and Path(args.notes).exists() else ""
    out = Path(args.out or f"bench/results/{dt.date.today().isoformat()}.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(runs, notes))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
