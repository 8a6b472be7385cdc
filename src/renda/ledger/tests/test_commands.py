from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.ledger.tests.helpers import GOOD, read, with_rows, workbook
from renda.places.models import Region

pytestmark = pytest.mark.django_db


def save(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "ledger.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(workbook(sheets).getvalue())
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_counts_and_reimport_prints_zero(tmp_path: Path) -> None:
    path = save(tmp_path, GOOD)
    out, err = run("import_ledger", str(path))
    assert err == ""
    assert "工作表「村社区」: 新增 2 条, 更新 0 条, 未变 0 条" in out
    assert out.splitlines()[-1] == "新增 12 条, 更新 0 条"
    out, _ = run("import_ledger", str(path))
    assert out.splitlines()[-1] == "新增 0 条, 更新 0 条"


def test_dry_run_lists_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    out, _ = run("import_ledger", str(save(tmp_path, GOOD)), "--dry-run")
    assert "  新增 340302100001 一村" in out
    assert out.splitlines()[-1] == "新增 12 条, 更新 0 条"
    assert not Region.objects.exists()


def test_errors_go_to_stderr_one_per_line_and_exit_1(tmp_path: Path) -> None:
    data = with_rows(
        GOOD, "网格", ["340302100001", "340302100001002", None], ["340302100009", "340302100009001", "九网格"]
    )
    path = save(tmp_path, data)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_ledger", str(path), stdout=out, stderr=err)
    assert info.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "工作表「网格」第4行「名称」: 不能为空",
        "工作表「网格」第5行「所属村社区代码」: 村社区代码 340302100009 不存在",
    ]
    assert "新增" not in out.getvalue()
    assert not Region.objects.exists()


def test_console_script_exit_status(tmp_path: Path) -> None:
    """The real ``renda`` console script, in a fresh instance: status 1 on errors, 0 otherwise."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"RENDA_DATA_DIR": str(tmp_path / "data")}

    def renda(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "renda.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    assert renda("migrate", "-v0").returncode == 0
    bad = save(tmp_path, {"镇街": [["区划代码", "名称"], ["123", "坏"], ["340302100000", ""]]}, "bad.xlsx")
    proc = renda("import_ledger", str(bad))
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[:2] == [
        "工作表「镇街」第2行「区划代码」: 区划代码应为12位数字",
        "工作表「镇街」第3行「名称」: 不能为空",
    ]
    good = save(tmp_path, GOOD, "good.xlsx")
    proc = renda("import_ledger", str(good))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "新增 12 条, 更新 0 条"
    proc = renda("import_ledger", str(good))
    assert (proc.returncode, proc.stdout.splitlines()[-1]) == (0, "新增 0 条, 更新 0 条")
    assert renda("import_ledger", str(tmp_path / "missing.xlsx")).returncode == 1


def test_import_as_user_is_audited_as_them_and_scoped(world: World, tmp_path: Path) -> None:
    staff = world.users[Role.STAFF]
    code = f"{world.village.code}777"
    path = save(tmp_path, {"网格": [["网格编码", "名称", "所属村社区代码"], [code, "新网格", world.village.code]]})
    run("import_ledger", str(path), "--user", staff.username)
    event = AuditEvent.objects.get(verb="region.create", target_label="新网格")
    assert event.actor == staff and event.source == "import"

    other = save(
        tmp_path,
        {
            "网格": [
                ["网格编码", "名称", "所属村社区代码"],
                [f"{world.other_village.code}777", "外网格", world.other_village.code],
            ]
        },
        "o.xlsx",
    )
    with pytest.raises(CommandError):
        call_command("import_ledger", str(other), "--user", staff.username, stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("import_ledger", str(path), "--user", "nobody")
    # Without --user the system imports anywhere.
    run("import_ledger", str(other))
    assert AuditEvent.objects.get(target_label="外网格").actor is None


def test_export_command_all_and_one_town(world: World, tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    out, _ = run("export_ledger", str(path))
    assert "已导出" in out
    towns = [r[0] for r in read(path.read_bytes())["镇街"][1:]]
    assert world.town.code in towns and world.other_town.code in towns
    one = tmp_path / "one.xlsx"
    run("export_ledger", str(one), "--town", world.town.code)
    assert [r[0] for r in read(one.read_bytes())["镇街"][1:]] == [world.town.code]
    with pytest.raises(CommandError):
        run("export_ledger", str(one), "--town", "999999999999")
