"""The bulk path of the 意见建议 sheet (``suggestions.bulk``, ``ledger.importer``'s ``bulk``): it refuses
exactly what the row-by-row path refuses, with the same messages on the same rows, and writes the
same items, timelines, replies, evaluations, co-deputies, co-units, categories and counters —
compared table by table on the same workbook — with one audit event per batch; it notifies
nobody and leaves nothing when cancelled."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from tests.support import World

from renda.audit.models import AuditEvent
from renda.audit.services import verify_chain
from renda.core.models import Sequence
from renda.core.roles import Role
from renda.ledger import importer
from renda.ledger.importer import ImportCancelled, Progress, import_workbook
from renda.notifications.models import Notification
from renda.suggestions import selectors, services
from renda.suggestions.bulk import Draft
from renda.suggestions.models import Suggestion, SuggestionCategory
from renda.suggestions.tests.test_ledger import HEADERS, row, sheet

pytestmark = pytest.mark.django_db

START = dt.date(2022, 1, 3)


def _day(d: dt.date, days: int) -> str:
    return (d + dt.timedelta(days=days)).isoformat()


def generated(world: World, rng: random.Random, n: int, *, first: int = 1, bad: float = 0.0,
              stage: int | None = None) -> list[list[Any]]:
    """``n`` rows of every kind and stage (registered … closed, closed dissatisfied), deputies and
    co-deputies, co-units, key supervision, anonymous items, new and known categories; with ``bad``
    the share of rows broken in one of many ways (each a refusal of the per-row path)."""
    rows = []
    for i in range(first, first + n):
        reg = START + dt.timedelta(days=rng.randrange(300))
        deputy = rng.random() < 0.3
        v: dict[str, Any] = {"编号": f"YJ2022-{i:04d}", "登记日期": reg.isoformat(),
                             "标题": f"事项{i} " + rng.choice(["路灯不亮", "道路破损", "排水沟堵塞"]),
                             "内容": rng.choice(["", "详见来信", "群众反映多次"]),
                             "类别": rng.choice(["", "城乡建设", "交通出行", f"新类别{i % 3}"]),
                             "备注": rng.choice(["", "据台账"])}
        if deputy:
            names = [world.deputy.name] + ([world.plain_deputy.name] if rng.random() < 0.5 else [])
            v.update({"类型": "代表建议", "来源": "闭会期间", "提出人": None, "联系电话": None,
                      "提出代表": ";".join(names)})
        elif rng.random() < 0.2:
            v.update({"提出人": None, "联系电话": None})
        k = rng.randrange(7) if stage is None else stage
        if k >= 1:
            assigned = _day(reg, rng.randrange(0, 5))
            v.update({"主办单位": world.unit.name, "交办日期": assigned,
                      "办理期限": _day(dt.date.fromisoformat(assigned), 30 if not deputy else 90)})
            if rng.random() < 0.2:
                v.update({"重点督办": "是", "督办领导": world.presidium_deputy.name})
        if k >= 2:
            replied = _day(dt.date.fromisoformat(v["交办日期"]), rng.randrange(3, 40))
            v.update({"答复日期": replied, "答复类别": rng.choice("ABCD"), "答复内容": rng.choice(["", "已办理"])})
        if k >= 3:
            evaluated = _day(dt.date.fromisoformat(v["答复日期"]), rng.randrange(1, 10))
            result = "不满意" if k == 6 or (k == 3 and rng.random() < 0.3) else rng.choice(["满意", "基本满意"])
            v.update({"测评结果": result, "测评日期": evaluated})
        if k in (4, 5, 6):
            base = dt.date.fromisoformat(v.get("测评日期") or v["答复日期"])
            if k == 5:  # closed straight after the reply, not evaluated
                v.pop("测评结果", None)
                v.pop("测评日期", None)
                base = dt.date.fromisoformat(v["答复日期"])
            v["办结日期"] = _day(base, rng.randrange(0, 5))
        if rng.random() < bad:
            _break(world, rng, v, i)
        rows.append(row(world, **v))
    return rows


def _break(world: World, rng: random.Random, v: dict[str, Any], i: int) -> None:
    """One of the refusals of the per-row path."""
    way = rng.randrange(14)
    reg = dt.date.fromisoformat(v["登记日期"])
    if way == 0:
        v.update({"主办单位": world.unit.name, "交办日期": _day(reg, -3), "办理期限": _day(reg, 30)})
    elif way == 1:
        v.update({"主办单位": "没有这个单位", "交办日期": _day(reg, 1), "办理期限": _day(reg, 30)})
    elif way == 2:
        v.update({"类型": "群众意见", "提出代表": None, "提出人": "张*三", "联系电话": None})
    elif way == 3:
        v.update({"类型": "群众意见", "提出代表": None, "提出人": "李四", "联系电话": "12345"})
    elif way == 4:
        v["标题"] = None
    elif way == 5:
        v["编号"] = f"YJ2022-{max(1, i - 1):04d}"  # the row before's 编号 (or its own: a duplicate of row 2)
    elif way == 6:
        v.update({"重点督办": "是", "督办领导": world.plain_deputy.name})
    elif way == 7:
        v["所属网格编码"] = world.other_grid.code
    elif way == 8:
        v.update({"测评结果": "满意", "测评日期": None})
    elif way == 9 and v.get("答复日期"):
        v["办结日期"] = "2099-01-01"  # outside the dates' window: refused when the item is validated
    elif way == 9:
        v["登记日期"] = "1900-01-01"
    elif way == 10:
        v["登记日期"] = "不是日期"
    elif way == 11:
        v["所属镇街代码"] = world.other_town.code  # not the importing staff's town
    elif way == 12 and v.get("答复日期"):
        v["答复类别"] = "E"
    elif way == 12:
        v.update({"类型": "代表建议", "提出代表": "没有这个人", "提出人": None, "联系电话": None})
    else:
        v.update({"主办单位": world.unit.name, "交办日期": _day(reg, 2), "办理期限": _day(reg, 1)})


def only_assigned(rows: list[list[Any]]) -> list[list[Any]]:
    """The same rows as they stood when assigned (the later steps' cells blank)."""
    later = {"重点督办", "督办领导", "答复日期", "答复类别", "答复内容", "测评结果", "测评日期", "办结日期"}
    return [[None if h in later else v for h, v in zip(HEADERS, r, strict=True)] for r in rows]


def data_of(rows: list[list[Any]]) -> bytes:
    return sheet(*rows).getvalue()


def tables() -> dict[str, Any]:
    """Every table the sheet writes, by natural keys (ids and write times left out: the two
    paths write in another order, and PostgreSQL does not give ids back on a rollback)."""
    skip = {"id", "created_at", "updated_at", "tracking_code", "category_id"}
    items = []
    qs = (Suggestion.objects.order_by("code").select_related("category")
          .prefetch_related("co_deputies", "co_unit_links", "transitions", "replies", "evaluations"))
    for s in qs:
        item = {f.attname: getattr(s, f.attname) for f in Suggestion._meta.concrete_fields if f.attname not in skip}
        item["category"] = s.category.name if s.category else None
        item["co_deputies"] = sorted(d.pk for d in s.co_deputies.all())
        item["co_units"] = sorted((c.unit_id, c.opinion) for c in s.co_unit_links.all())
        item["timeline"] = [(t.action, t.from_state, t.to_state, t.actor_id, t.actor_label, t.on, t.at, t.comment)
                            for t in sorted(s.transitions.all(), key=lambda t: t.pk)]
        item["replies"] = [(r.reply_class, r.text, r.replied_at, r.unit_id, r.by_id)
                           for r in sorted(s.replies.all(), key=lambda r: r.pk)]
        item["evaluations"] = [(e.result, e.evaluated_at, e.comment, e.by_id)
                               for e in sorted(s.evaluations.all(), key=lambda e: e.pk)]
        items.append(item)
    return {
        "suggestions": items,
        "categories": sorted(SuggestionCategory.objects.values_list("town_id", "name", "is_active")),
        "counters": sorted(Sequence.objects.values_list("key", "value")),
        "notifications": Notification.objects.count(),
    }


def outcome(result: importer.ImportResult) -> Any:
    return (result.ok, result.error_lines(), result.warning_lines(),
            [(s.name, s.created, s.updated, s.unchanged, [(i.action, i.row, i.label, i.detail) for i in s.items])
             for s in result.sheets])


def both(data: bytes, actor: Any) -> tuple[Any, Any, Any, Any]:
    """Import ``data`` row by row, then by the bulk path, each in a transaction rolled back after
    the tables were read: (row outcome, row tables, bulk outcome, bulk tables)."""
    out = []
    for bulk in (False, True):
        with transaction.atomic():
            result = import_workbook(io.BytesIO(data), actor=actor, bulk=bulk)
            out += [outcome(result), tables()]
            transaction.set_rollback(True)
    return out[0], out[1], out[2], out[3]


@pytest.mark.parametrize("who", ["system", "staff"])
def test_both_paths_write_the_same_tables(world: World, who: str) -> None:
    actor = None if who == "system" else world.users[Role.STAFF]
    rng = random.Random(7)
    # Items already registered (by an earlier import) that the workbook takes further: those rows go
    # through the services on either path, amid the new rows of their batch.
    known = generated(world, rng, 15, stage=4)
    assert import_workbook(io.BytesIO(data_of(only_assigned(known)))).ok
    rows = known + generated(world, rng, 240, first=16)
    row_outcome, row_tables, bulk_outcome, bulk_tables = both(data_of(rows), actor)
    assert row_outcome[0], row_outcome[1][:5]
    assert bulk_outcome == row_outcome
    assert len(bulk_tables["suggestions"]) == 255
    for mine, theirs in zip(bulk_tables["suggestions"], row_tables["suggestions"], strict=True):
        assert mine == theirs, mine["code"]
    assert bulk_tables == row_tables
    states = {s["state"] for s in bulk_tables["suggestions"]}
    assert {"registered", "assigned", "replied", "evaluated", "closed", "accepted"} <= states
    assert any(s["timeline"][-1][0] == "close_dissatisfied" for s in bulk_tables["suggestions"])
    assert any(s["co_deputies"] for s in bulk_tables["suggestions"])
    assert any(s["key_supervision"] for s in bulk_tables["suggestions"])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_paths_refuse_the_same_rows_with_the_same_messages(world: World, seed: int) -> None:
    rng = random.Random(seed)
    known = generated(world, rng, 10, stage=5)
    assert import_workbook(io.BytesIO(data_of(only_assigned(known)))).ok
    for r in known[::3]:  # a row that contradicts what is registered
        r[HEADERS.index("标题")] = "改过的标题"
    rows = known + generated(world, rng, 150, first=11, bad=0.25)
    row_outcome, row_tables, bulk_outcome, bulk_tables = both(data_of(rows), world.users[Role.STAFF])
    assert not row_outcome[0]
    assert len(row_outcome[1]) >= 30  # many refusals, of many kinds
    assert bulk_outcome == row_outcome
    assert bulk_tables == row_tables  # nothing written by either: the earlier import's 10 items only
    assert len(bulk_tables["suggestions"]) == 10


def test_bulk_batches_one_audit_event_each_and_the_chain_verifies(world: World,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BULK_BATCH", 50)
    before = AuditEvent.objects.count()
    result = import_workbook(io.BytesIO(data_of(generated(world, random.Random(4), 120))),
                             actor=world.users[Role.STAFF], bulk=True)
    assert result.ok, result.error_lines()[:3]
    batches = list(AuditEvent.objects.filter(verb="suggestion.import_batch").order_by("id"))
    assert [e.after["rows"] for e in batches] == ["工作表「意见建议」第2–51行", "工作表「意见建议」第52–101行",
                                                 "工作表「意见建议」第102–121行"]
    assert [e.after["suggestions"] for e in batches] == [50, 50, 20]
    assert sum(e.after["transitions"] for e in batches) == Suggestion.objects.count() + sum(
        len(s.transitions.all()) - 1 for s in Suggestion.objects.prefetch_related("transitions"))
    assert batches[0].actor_id == world.users[Role.STAFF].pk and batches[0].source == "import"
    # No per-item events: the batches, and the categories the rows named first.
    verbs = set(AuditEvent.objects.filter(id__gt=before).values_list("verb", flat=True))
    assert verbs == {"suggestion.import_batch", "suggestion_category.create"}
    assert verify_chain() is None


def test_the_counters_continue_after_the_largest_imported_code(world: World) -> None:
    assert import_workbook(io.BytesIO(data_of(generated(world, random.Random(5), 130))), bulk=True).ok
    assert services.next_code(2022) == "YJ2022-131"


@pytest.mark.parametrize("bulk", [False, True])
def test_a_ledger_notifies_nobody(world: World, bulk: bool,
                                  django_capture_on_commit_callbacks: Any) -> None:
    world.users[Role.UNIT].phone = "13800001111"
    with django_capture_on_commit_callbacks(execute=True):
        result = import_workbook(io.BytesIO(data_of(generated(world, random.Random(6), 60))),
                                 actor=world.users[Role.STAFF], bulk=bulk)
    assert result.ok and Suggestion.objects.count() == 60
    assert Suggestion.objects.exclude(lead_unit=None).exists()
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("bulk", [False, True])
def test_a_cancelled_import_leaves_nothing(world: World, bulk: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BULK_BATCH", 20)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    seen: list[dict[str, Any]] = []
    events = AuditEvent.objects.count()

    def cancel_once_written(p: Progress) -> None:
        seen.append(p.as_dict())
        if p.rows_written >= 40 and not p.finished:
            raise ImportCancelled

    result = import_workbook(io.BytesIO(data_of(generated(world, random.Random(8), 100))), bulk=bulk,
                             progress=cancel_once_written)
    assert result.error_lines() == ["导入已取消，数据库未改动。"]
    assert any(p["rows_written"] >= 40 for p in seen) and seen[-1]["finished"]
    assert seen[-1]["rows_written"] == 0  # rolled back
    assert not Suggestion.objects.exists() and not SuggestionCategory.objects.exists()
    assert AuditEvent.objects.count() == events
    assert connection.vendor != "sqlite" or _search_trigger() is not None


def test_progress_counts_rows_checked_written_and_errors(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 25)
    monkeypatch.setattr(importer, "BULK_BATCH", 50)
    rows = generated(world, random.Random(9), 100)
    rows[10][HEADERS.index("标题")] = None
    reports: list[dict[str, Any]] = []
    result = import_workbook(io.BytesIO(data_of(rows)), bulk=True, dry_run=True,
                             progress=lambda p: reports.append(p.as_dict()))
    assert len(result.errors) == 1
    last = reports[-1]
    assert last["finished"] and last["rows_checked"] == 100 and last["rows_total"] == 100
    assert last["rows_written"] == 99 and last["errors"] == 1 and last["percent"] == 100
    assert [r["rows_checked"] for r in reports if not r["finished"]][:4] == [0, 25, 50, 75]


@pytest.mark.parametrize(("flag", "batches"), [("--bulk", 1), ("--no-bulk", 0)])
def test_the_command_takes_the_path_it_is_told(world: World, tmp_path: Any, flag: str, batches: int) -> None:
    from django.core.management import call_command

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data_of(generated(world, random.Random(10), 20)))
    call_command("import_ledger", str(path), flag, stdout=io.StringIO())
    assert Suggestion.objects.count() == 20
    assert AuditEvent.objects.filter(verb="suggestion.import_batch").count() == batches
    assert AuditEvent.objects.filter(verb="suggestion.register").count() == 20 - 20 * batches


def test_a_workbook_read_by_a_second_process_imports_the_same(world: World, tmp_path: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file is parsed by ``core.xlsx_reader`` beside the import (``READER_MIN_BYTES``): the
    same outcome and tables as reading it here; a sheet left early (a missing column) is skipped."""
    from renda.ledger.tests.helpers import workbook

    rows = generated(world, random.Random(11), 150, bad=0.1)
    broken_grid = [["网格编码", "名称"], ["340302100001009", "缺少所属村社区代码列"]]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook({"网格": broken_grid, "意见建议": [HEADERS, *rows]}).getvalue())
    started: list[Any] = []
    real = importer.SheetReader

    def recorded(*args: Any) -> Any:
        started.append(real(*args))
        return started[-1]

    monkeypatch.setattr(importer, "SheetReader", recorded)
    outcomes = []
    for threshold in (10**12, 0):
        monkeypatch.setattr(importer, "READER_MIN_BYTES", threshold)
        with transaction.atomic():
            result = import_workbook(path, actor=world.users[Role.STAFF], bulk=True)
            outcomes.append((outcome(result), tables()))
            transaction.set_rollback(True)
    assert len(started) == 1 and started[0].process.poll() is not None
    assert outcomes[1] == outcomes[0]
    assert any("缺少必填列" in e for e in outcomes[0][0][1]) and len(outcomes[0][0][1]) > 5


def test_a_cancelled_import_stops_its_reader(world: World, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "READER_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    started: list[Any] = []
    real = importer.SheetReader
    monkeypatch.setattr(importer, "SheetReader", lambda *a: started.append(real(*a)) or started[-1])
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data_of(generated(world, random.Random(12), 3000)))

    def cancel(p: Progress) -> None:
        if p.rows_checked >= 20 and not p.finished:
            raise ImportCancelled

    result = import_workbook(path, progress=cancel)
    assert result.error_lines() == ["导入已取消，数据库未改动。"]
    assert started and started[0].process.poll() is not None
    assert not Suggestion.objects.exists()


def _search_trigger() -> str | None:
    with connection.cursor() as cur:
        cur.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'suggestions_search_ai'")
        found = cur.fetchone()
    return found[0] if found else None


def _found(q: str) -> list[str]:
    return sorted(selectors.search(Suggestion.objects.all(), q).values_list("code", flat=True))


def test_the_search_finds_bulk_imported_items_as_it_finds_those_imported_row_by_row(world: World) -> None:
    """On SQLite the bulk path indexes a batch for search in one statement (the insert trigger
    suspended for the write): the same items are found, each indexed once, and the trigger is back."""
    data = data_of(generated(world, random.Random(13), 60))
    queries = ["路灯不亮", "道路破损", "YJ2022-001", "事项4", "排水沟"]
    found = []
    for bulk in (False, True):
        with transaction.atomic():
            assert import_workbook(io.BytesIO(data), bulk=bulk).ok
            found.append({q: _found(q) for q in queries})
            if connection.vendor == "sqlite":
                with connection.cursor() as cur:
                    cur.execute("SELECT COUNT(*) FROM suggestions_search_docsize")
                    assert cur.fetchone()[0] == Suggestion.objects.count() == 60
                    cur.execute("INSERT INTO suggestions_search (suggestions_search) VALUES ('integrity-check')")
            transaction.set_rollback(True)
    assert found[1] == found[0]
    assert all(found[0].values()) and len(found[0]["YJ2022-001"]) == 10  # YJ2022-0010 … 0019
    if connection.vendor == "sqlite":
        assert _search_trigger() is not None


def test_a_failed_batch_leaves_the_search_trigger_as_it_was(world: World) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 trigger is SQLite's")
    before = _search_trigger()
    assert before is not None
    drafts = [Draft.register(actor=None, on=START, town=world.town, kind="public", title=f"修路{n}",
                             submitter_name="张三", code="YJ2022-0500") for n in range(2)]  # the same 编号 twice
    with pytest.raises(IntegrityError), transaction.atomic():
        services.suggestion_import_batch(actor=None, drafts=drafts, rows="第2–3行")
    assert _search_trigger() == before
    # …and it still indexes what is registered next, as the search shows.
    services.suggestion_register(actor=None, town=world.town, kind="public", title="清理排水沟淤泥",
                                 submitter_name="张三", on=START)
    assert len(_found("排水沟淤泥")) == 1


def test_a_key_taken_between_the_check_and_the_write_fails_the_import(world: World,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A 编号 registered after its batch was checked (another writer) fails the batch on the unique
    index: the import reports it and writes nothing (the driver's error is Django's ``IntegrityError``)."""
    from dataclasses import replace

    from renda.core.ledger import registry

    rows = generated(world, random.Random(14), 30)
    assert import_workbook(io.BytesIO(data_of(rows[:1]))).ok
    real = registry.get

    def blind(name: str) -> Any:  # the batch's check misses what the database has
        spec = real(name)
        return replace(spec, bulk=replace(spec.bulk, existing=lambda keys: set())) if spec and spec.bulk else spec

    monkeypatch.setattr(registry, "get", blind)
    result = import_workbook(io.BytesIO(data_of(rows)), bulk=True)
    assert result.error_lines() == ["工作表「意见建议」: 与已有数据冲突（工作表「意见建议」第2–31行），请重新导入"]
    assert Suggestion.objects.count() == 1


@pytest.mark.parametrize("bulk", [False, True])
def test_the_import_keeps_the_active_language_and_time_zone(world: World, bulk: bool) -> None:
    """The importer sets the active language and time zone for its work as they are (a speed-up):
    a timeline row is labelled and timed as the caller's settings say."""
    from django.utils import timezone, translation

    from renda.suggestions.models import Transition

    with translation.override("en"), timezone.override(dt.timezone(dt.timedelta(hours=-5))):
        assert import_workbook(io.BytesIO(data_of(generated(world, random.Random(15), 3, stage=1))), bulk=bulk).ok
    steps = list(Transition.objects.order_by("id"))
    assert {t.actor_label for t in steps} == {"System"}
    assert {t.at.astimezone(dt.timezone(dt.timedelta(hours=-5))).hour for t in steps} == {12}
