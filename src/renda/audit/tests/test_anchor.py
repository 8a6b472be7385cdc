"""The anchored chain (decision 0010): the hashes are keyed with the audit key from the data
directory, checkpoints of the head live outside the database, and ``renda audit verify`` fails on
a chain re-forged without the key, with a wrong key, or not matching a checkpoint."""

from __future__ import annotations

import hashlib
import hmac
import importlib
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.support import make_district, make_town, make_unit

from renda.audit import anchor, chain
from renda.audit.models import AuditEvent, AuditHead
from renda.audit.services import ChainBroken, verify_chain, write_checkpoint

migration = importlib.import_module("renda.audit.migrations.0003_keyed_hashes")


def run(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def town(db: None):
    town = make_town(district=make_district())
    for _ in range(3):
        make_unit(town)
    assert AuditEvent.objects.count() == 5
    return town


def more_events(town: object, n: int = 2) -> None:
    for _ in range(n):
        make_unit(town)


def reforge(hasher: object, *, edit_id: int | None = None) -> None:
    """The attack of issue #14: edit a row, recompute every hash in order, update the head."""
    prev = chain.GENESIS
    for e in AuditEvent.objects.order_by("id"):
        if e.id == edit_id:
            e.comment = "事后补记：此单位从未设立"
        e.prev_hash = prev
        e.hash = hasher(prev, e)  # type: ignore[operator]
        AuditEvent.objects.filter(pk=e.pk).update(comment=e.comment, prev_hash=e.prev_hash, hash=e.hash)
        prev = e.hash
    AuditHead.objects.update(last_hash=prev)


def cut_tail(keep: int) -> None:
    """Delete the events after the first ``keep`` and re-point the head at the new last one."""
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    AuditEvent.objects.filter(id__in=ids[keep:]).delete()
    last = AuditEvent.objects.order_by("id").last()
    assert last is not None
    AuditHead.objects.update(last_event_id=last.pk, last_hash=last.hash, count=keep)


# -- the key -----------------------------------------------------------------------------------


def test_hash_is_an_hmac_under_the_audit_key(town):
    e = AuditEvent.objects.order_by("id")[1]
    message = (e.prev_hash + chain.canonical(chain.event_content(e))).encode()
    assert e.hash == hmac.new(anchor.audit_key(), message, hashlib.sha256).hexdigest()
    assert e.hash != hashlib.sha256(message).hexdigest()


def test_key_file_is_generated_0600_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path, raising=False)
    monkeypatch.delenv(anchor.KEY_ENV, raising=False)
    anchor.reset_key()
    try:
        first = anchor.audit_key()
        path = tmp_path / "audit_key"
        assert path.is_file()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text().strip()) == 64
        anchor.reset_key()
        assert anchor.audit_key() == first  # read back, not regenerated
    finally:
        anchor.reset_key()


def test_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path, raising=False)
    monkeypatch.setenv(anchor.KEY_ENV, "a-key-kept-elsewhere")
    anchor.reset_key()
    try:
        assert anchor.audit_key() == hmac.new(b"a-key-kept-elsewhere", b"renda.audit.chain", hashlib.sha256).digest()
        assert not (tmp_path / "audit_key").exists()
    finally:
        anchor.reset_key()


# -- the forge attack --------------------------------------------------------------------------


def test_chain_reforged_with_the_unkeyed_function_fails(town):
    victim = AuditEvent.objects.order_by("id")[2].pk
    reforge(chain.unkeyed_hash, edit_id=victim)
    problem = verify_chain()
    assert problem is not None
    assert problem.event_id == AuditEvent.objects.order_by("id")[0].pk  # the very first hash is wrong
    assert "审计密钥" in problem.reason
    with pytest.raises(CommandError) as exc:
        run("verify")
    assert exc.value.returncode == 1


def test_chain_reforged_with_a_wrong_key_fails(town):
    wrong = hmac.new(b"guessed", b"renda.audit.chain", hashlib.sha256).digest()
    reforge(lambda prev, e: chain.compute_hash(prev, e, key=wrong), edit_id=AuditEvent.objects.order_by("id")[3].pk)
    problem = verify_chain()
    assert problem is not None
    assert "被修改" in problem.reason


def test_chain_reforged_with_the_key_is_caught_by_a_checkpoint(town):
    """Even a holder of the key cannot rewrite history before a checkpoint."""
    write_checkpoint(source="test")
    more_events(town)
    reforge(chain.compute_hash, edit_id=AuditEvent.objects.order_by("id")[2].pk)
    assert verify_chain(checkpoints=Path("/nonexistent")) is not None  # a missing file is an error
    problem = verify_chain()
    assert problem is not None
    assert "与检查点不符" in problem.reason and "第 5 条" in problem.reason
    with pytest.raises(CommandError, match="与检查点不符"):
        run("verify")


def test_reforged_without_a_checkpoint_and_with_the_key_is_not_detectable(town):
    """The limit, stated: the key alone is the anchor until the first checkpoint."""
    reforge(chain.compute_hash, edit_id=AuditEvent.objects.order_by("id")[2].pk)
    assert verify_chain() is None


# -- truncation --------------------------------------------------------------------------------


def test_chain_truncated_after_a_checkpoint_fails(town):
    more_events(town, 3)  # 8 events
    write_checkpoint(source="test")
    cut_tail(6)  # head, count and hash rewritten to agree with the shorter chain
    problem = verify_chain(checkpoints=Path(anchor.checkpoint_file()))
    assert problem is not None
    assert "链短于检查点" in problem.reason and "记录了 8 条" in problem.reason and "现只有 6 条" in problem.reason


def test_chain_truncated_before_the_last_checkpoint_but_after_an_earlier_one_fails(town):
    write_checkpoint(source="test")  # 5
    more_events(town, 2)
    write_checkpoint(source="test")  # 7
    more_events(town, 2)
    cut_tail(6)
    problem = verify_chain()
    assert problem is not None and "链短于检查点" in problem.reason


# -- normal use --------------------------------------------------------------------------------


def test_normal_chain_with_checkpoints_passes(town):
    assert "已记录检查点: 5 条事件" in run("checkpoint")
    more_events(town)
    run("checkpoint")
    more_events(town)
    cps = anchor.read_checkpoints()
    assert [cp.count for cp in cps] == [5, 7]
    out = run("verify")
    assert "审计链完整: 9 条事件" in out and "与 2 个检查点一致" in out


def test_checkpoint_file_is_0600_and_outside_the_database(town):
    run("checkpoint")
    path = anchor.checkpoint_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    head = AuditHead.objects.get()
    (cp,) = anchor.read_checkpoints()
    assert (cp.count, cp.event_id, cp.hash) == (head.count, head.last_event_id, head.last_hash)
    assert cp.at.tzinfo is not None


def test_checkpoint_print_shows_every_checkpoint_for_paper(town):
    run("checkpoint")
    more_events(town)
    run("checkpoint")
    out = run("checkpoint", "--print")
    head = AuditHead.objects.get()
    lines = out.strip().splitlines()
    assert lines[0].startswith("审计链检查点")
    assert len(lines) == 3
    assert "| 7 条 |" in lines[2]
    assert " ".join(head.last_hash[i:i + 8] for i in range(0, 64, 8)) in lines[2]
    assert len(anchor.read_checkpoints()) == 2  # printing writes nothing


def test_no_checkpoint_is_written_for_a_broken_chain(town):
    AuditEvent.objects.filter(pk=AuditEvent.objects.order_by("id")[1].pk).update(verb="unit.delete")
    with pytest.raises(ChainBroken):
        write_checkpoint(source="test")
    with pytest.raises(CommandError, match="未写检查点"):
        run("checkpoint")
    assert anchor.read_checkpoints() == []


def test_verify_against_a_checkpoint_file_typed_back_from_paper(town, tmp_path: Path):
    run("checkpoint")
    copy = tmp_path / "paper.tsv"
    copy.write_text(anchor.checkpoint_file().read_text())
    assert "与 1 个检查点一致" in run("verify", "--checkpoints", str(copy))
    bad = anchor.read_checkpoints()[0]
    copy.write_text(anchor.Checkpoint(at=bad.at, count=bad.count, event_id=bad.event_id, hash="f" * 64).line())
    with pytest.raises(CommandError, match="与检查点不符"):
        run("verify", "--checkpoints", str(copy))


def test_unreadable_checkpoint_file_fails_verify(town):
    anchor.checkpoint_file().write_text("not a checkpoint\n")
    with pytest.raises(CommandError, match="第 1 行无法读取"):
        run("verify")


def test_verify_stays_linear_with_many_checkpoints(town, django_assert_max_num_queries):
    for _ in range(50):
        write_checkpoint(source="test")
    with django_assert_max_num_queries(4):
        assert verify_chain() is None


# -- migration of existing chains --------------------------------------------------------------


def test_migration_rehashes_an_existing_unkeyed_chain(town):
    reforge(chain.unkeyed_hash)  # the chain as the old code wrote it (plain SHA-256)
    assert verify_chain() is not None
    contents = [chain.event_content(e) for e in AuditEvent.objects.order_by("id")]
    migration.forward(apps, None)
    assert verify_chain() is None
    assert [chain.event_content(e) for e in AuditEvent.objects.order_by("id")] == contents
    assert AuditHead.objects.get().last_hash == AuditEvent.objects.order_by("id").last().hash  # type: ignore[union-attr]
    migration.backward(apps, None)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[-1].hash == chain.unkeyed_hash(events[-1].prev_hash, events[-1])


def test_migration_refuses_to_launder_a_tampered_old_chain(town):
    reforge(chain.unkeyed_hash)
    victim = AuditEvent.objects.order_by("id")[2].pk
    AuditEvent.objects.filter(pk=victim).update(comment="改过")
    with pytest.raises(RuntimeError, match=f"事件 #{victim}"):
        migration.forward(apps, None)


def test_migration_of_an_empty_trail_does_nothing(db: None):
    migration.forward(apps, None)
    assert not AuditEvent.objects.exists()
