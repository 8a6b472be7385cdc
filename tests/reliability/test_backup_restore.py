"""``renda backup`` while a writer keeps inserting, then ``renda restore``: the restored database
has exactly the row counts and checksums of the backup's manifest (SQLite: online backup API;
PostgreSQL: pg_dump/pg_restore), the audit chain is intact, and restore refuses to overwrite
data without --force."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from renda.audit import anchor
from renda.audit.services import verify_chain
from renda.core import backup
from renda.core.roles import Role
from renda.suggestions.models import Suggestion
from tests.reliability.samples import register_public
from tests.support import World


def run(*args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_under_writes_then_restore(tmp_path: Path) -> None:
    world = World()
    register_public(world, world.town, world.grid)
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            while not stop.is_set():
                s = register_public(world, world.town, world.grid, title=f"写入中的事项{len(written)}")
                written.append(s.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5 and thread.is_alive():
            time.sleep(0.02)
        path = tmp_path / "renda.backup"
        out = run("backup", str(path))
        during = len(written)
        while len(written) < during + 5 and thread.is_alive():  # the writer goes on after the backup
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors
    assert "已备份" in out
    manifest = backup.read_manifest(path)
    assert manifest is not None
    backed_up = manifest.tables["suggestions_suggestion"].rows
    assert 5 < backed_up < Suggestion.objects.count()
    # The backup is one moment: every audit event of a suggestion in it is in it too.
    assert manifest.tables["audit_auditevent"].rows > 0

    assert "备份校验通过" in run("backup", str(path), verify=True)

    # The audit head in the backup is recorded (manifest), anchored (checkpoint file) and copied
    # beside it; the audit key is not in the backup (decision 0010).
    assert manifest.audit is not None
    assert manifest.audit["count"] == manifest.tables["audit_auditevent"].rows
    (cp,) = anchor.read_checkpoints()
    assert (cp.count, cp.event_id, cp.hash) == (manifest.audit["count"], manifest.audit["last_event_id"],
                                                manifest.audit["hash"])
    assert anchor.read_checkpoints(backup.checkpoints_path(path)) == [cp]
    assert not list(tmp_path.glob("*audit_key*"))
    assert "与 1 个检查点一致" in run("audit", "verify")
    run("audit", "checkpoint")  # a later checkpoint names events the restore will remove

    with pytest.raises(CommandError, match="--force"):
        run("restore", str(path))
    out = run("restore", str(path), force=True)
    assert "行数与校验和与备份清单一致" in out
    assert "1 个审计检查点" in out
    assert anchor.read_checkpoints() == [cp]
    assert "suggestions_suggestion" in out
    assert backup.differences(manifest, backup.live_manifest()) == []
    assert Suggestion.objects.count() == backed_up
    assert verify_chain() is None
    assert "审计链完整" in run("audit", "verify")
    assert world.users[Role.STAFF].__class__.objects.filter(pk=world.users[Role.STAFF].pk).exists()


@pytest.mark.django_db(transaction=True)
def test_verify_finds_a_tampered_manifest(tmp_path: Path) -> None:
    World()
    path = tmp_path / "renda.backup"
    run("backup", str(path))
    mp = backup.manifest_path(path)
    data = backup.Manifest.from_json(mp.read_text(encoding="utf-8"))
    data.tables["accounts_user"].rows += 1
    mp.write_text(data.to_json(), encoding="utf-8")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="备份校验失败"):
            run("backup", str(path), verify=True)
    with pytest.raises(CommandError, match="不一致"):
        run("restore", str(path), force=True)
