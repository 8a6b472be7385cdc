"""The benchmark code keeps working: the generator at a tiny scale (on the test database, SQLite
or PostgreSQL), the hand-written stats SQL, and the results writer. The long runs are `make bench`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max

from bench import generate, report, stats_sql
from renda.audit.services import verify_chain
from renda.core.stats import parse_period
from renda.petitions.models import Petition, Petitioner
from renda.places.models import Region
from renda.reports import metrics
from renda.suggestions import selectors, services
from renda.suggestions.models import Suggestion, Transition
from renda.suggestions.workflow import State

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def loaded(db: None) -> dict:
    return generate.load(scale=0.0004, towns=2, villages=2, grids=1, deputies=6, batch=150, check_every=50,
                         today=TODAY, out=lambda _msg: None)


def test_generator_loads_a_consistent_district(loaded: dict) -> None:
    assert Suggestion.objects.count() == 400 and Petition.objects.count() == 80
    assert loaded["counts"]["checked"] >= 10  # full_clean on samples
    assert Petitioner.objects.count() >= 80
    # Every item's last timeline step ends in its state; versions count the state changes.
    last = {t["suggestion_id"]: t["m"] for t in Transition.objects.values("suggestion_id").annotate(m=Max("id"))}
    ends = dict(Transition.objects.filter(id__in=last.values()).values_list("suggestion_id", "to_state"))
    for pk, state in Suggestion.objects.values_list("pk", "state"):
        assert ends[pk] == state
    states = set(Suggestion.objects.values_list("state", flat=True))
    assert {State.CLOSED, State.REGISTERED} <= states or State.CLOSED in states
    # Encrypted personal data reads back through the model field.
    s = Suggestion.objects.filter(kind="public", anonymous=False).first()
    assert s is not None and s.submitter_name and s.submitter_phone_masked
    # One audit event per batch, the chain intact.
    assert verify_chain() is None
    # Codes are unique and the services carry on from bulk-loaded items.
    assert not Suggestion.objects.values("code").annotate(n=Count("id")).filter(n__gt=1).exists()
    item = Suggestion.objects.filter(state=State.REGISTERED).first() or Suggestion.objects.filter(
        state=State.ASSIGNED).first()
    assert item is not None
    if item.state == State.REGISTERED:
        unit = item.town.units.first() if hasattr(item.town, "units") else None
        from renda.units.models import Unit

        unit = unit or Unit.objects.filter(town=item.town).first()
        services.suggestion_assign(actor=None, suggestion_id=item.pk, lead_unit=unit, on=TODAY)
    new = services.suggestion_register(actor=None, town=item.town, kind="public", title="基准后新登记", anonymous=True,
                                       on=TODAY)
    assert new.code.startswith("YJ2026-")
    assert verify_chain() is None
    # The search index holds the bulk rows.
    title = Suggestion.objects.order_by("id").values_list("title", flat=True).first()
    assert selectors.search(Suggestion.objects.all(), title[2:8]).exists()


def test_stats_and_sql_baseline_run(loaded: dict) -> None:
    """The hand-written SQL computes every figure of ``renda stats`` (so the scenario's ratio compares
    the same work): equal, section by section, on the generated district, one town and the whole,
    with an as-of date after every fact (the baseline reads the rows as they are now)."""
    out = io.StringIO()
    call_command("stats", "--period", "2025", "--as-of", TODAY.isoformat(), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    data.pop("period")
    assert stats_sql.run(connection, period="2025", town_code=None, as_of=TODAY) == data
    assert data["suggestions"]["received"] > 0 and data["petitions"]["received"] > 0
    town = Region.objects.filter(level="town").order_by("code").first()
    assert town is not None
    for code in (town.code, None):
        for text in ("2025", "2026H1"):
            from_, to = parse_period(text)
            got = metrics.stats(metrics.Period.make(from_, to, TODAY), metrics.resolve_scope(code))
            got.pop("period")
            assert stats_sql.run(connection, period=text, town_code=code, as_of=TODAY) == got, (code, text)


def test_results_writer(tmp_path: Path) -> None:
    run = {
        "environment": {"vendor": "sqlite", "database": "SQLite 3", "cpu": "cpu", "cores": 2, "ram_gib": 1.0,
                        "os": "Linux", "python": "3.11", "django": "5.2", "sqlite": "3", "suggestions": 10,
                        "petitions": 2},
        "lists": [{"label": "suggestions list, town office", "user": "u", "url": "/s/", "status": 200, "p50_ms": 1.0,
                   "p95_ms": 2.0, "max_ms": 3.0, "queries": 7}],
        "search": [{"q": "路灯", "kind": "1-2", "scope": "town", "url": "/s/?q=x", "status": 200, "p50_ms": 1.0,
                    "p95_ms": 2.0, "max_ms": 2.0, "queries": 7}],
        "stats": [{"scope": "town", "period": "2025", "stats_s": 0.2, "sql_s": 0.1, "ratio": 2.0}],
        "export": {"error": "RuntimeError: x"},
        "import": {"rows": 100000, "seconds": 50.0, "peak_rss_mb": 170.0, "rows_per_s": 2000.0, "exit": 0,
                   "read_s": 10.0, "ratio": 5.0},
        "runs": 30,
    }
    src = tmp_path / "run.json"
    src.write_text(json.dumps(run))
    out = tmp_path / "r.md"
    assert report.main([str(src), "--out", str(out)]) == 0
    text = out.read_text()
    assert "SQLite 3" in text and "❌" in text and "✅" in text and "(not run)" in text
    # issue 19's targets, the number of requests behind each p95, the import's same-run baseline
    assert "target p95 < 100 ms" in text and "< 50 ms" in text and "target ≤ 1.2" in text
    assert "p50/p95 over 30 requests" in text
    assert "| 100,000 | 50.0 | ✅ | 170.0 | ✅ | 2,000.0 | 10.0 | 5.00 | 0 |" in text
    run["import"] = {**run["import"], "rows": 2000}  # the targets are for 100,000 rows
    src.write_text(json.dumps(run))
    assert report.main([str(src), "--out", str(out)]) == 0
    assert "| 2,000 | 50.0 | — (100,000 rows) | 170.0 | — |" in out.read_text()


def test_marker_says_what_is_loaded_and_resume_keeps_it(loaded: dict) -> None:
    assert generate.loaded_marker() is None  # a load that did not finish leaves none
    tiny = ["--scale", "0.0004", "--towns", "2", "--no-migrate"]
    assert generate.main([*tiny, "--resume"]) == generate.RELOAD  # loaded, but not marked: load again
    generate.write_marker(scale=0.0004, seed=2026, towns=2, counts=loaded["counts"])
    marker = generate.loaded_marker()
    assert marker is not None and marker["scale"] == 0.0004 and marker["seed"] == 2026
    assert marker["counts"]["suggestions"] == 400
    # resumed at the same scale and seed: nothing loaded again
    assert generate.main([*tiny, "--resume"]) == 0
    assert Suggestion.objects.count() == 400
    # another scale or seed: the database must be loaded afresh
    assert generate.main(["--scale", "0.001", "--towns", "2", "--resume"]) == generate.RELOAD
    assert generate.main([*tiny, "--seed", "7", "--resume"]) == generate.RELOAD


def test_run_resume_skips_measured_scenarios_and_reruns_failed_ones(loaded: dict, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import run

    calls: list[str] = []
    monkeypatch.setattr(run, "lists", lambda runs, log: calls.append(f"lists {runs}") or [{"label": "new"}])
    monkeypatch.setattr(run, "search", lambda runs, log: calls.append(f"search {runs}") or [{"q": "new"}])
    out = tmp_path / "sqlite.json"
    out.write_text(json.dumps({"lists": [{"label": "old"}], "search": {"error": "KeyboardInterrupt"},
                               "durations": {"lists": 1.0}, "started": "earlier"}))
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    assert run.main(["--out", str(out), "--scenarios", "lists,search", "--resume"]) == 0
    data = json.loads(out.read_text())
    assert calls == ["search 30"]  # p95 over 30 requests by default, searches as pages
    assert data["lists"] == [{"label": "old"}] and data["search"] == [{"q": "new"}]
    assert data["started"] == "earlier" and data["runs"] == 30
    # --redo: measured again although already in the file
    calls.clear()
    assert run.main(["--out", str(out), "--scenarios", "lists,search", "--resume", "--redo", "lists"]) == 0
    assert calls == ["lists 30"]
    # without --resume every scenario runs again
    calls.clear()
    assert run.main(["--out", str(out), "--scenarios", "lists,search", "--runs", "31"]) == 0
    assert calls == ["lists 31", "search 31"]


def test_import_scenario_workbook_and_its_read_baseline(loaded: dict, tmp_path: Path) -> None:
    from bench import run

    assert run.free_year() == 2019
    path = tmp_path / "ledger.xlsx"
    run.ledger_file(path, 12, year=2019)
    from renda.core.ledger.registry import get

    spec = get("意见建议")
    assert spec is not None
    assert run.read_workbook(str(path)) == 13 * len(spec.columns)  # the header row and 12 rows, every cell
    # a year whose 编号 are taken is not used again
    s = Suggestion.objects.order_by("id").first()
    assert s is not None
    Suggestion.objects.filter(pk=s.pk).update(code="YJ2019-000001")
    assert run.free_year() == 2018
