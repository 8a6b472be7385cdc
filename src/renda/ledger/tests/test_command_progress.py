"""``renda import_ledger`` and ``renda export_ledger`` draw a progress bar (rich) on a terminal and
print nothing more when their output is not one (a log, a pipe, these tests): the TTY decision is
forced both ways, by a stream that says it is a terminal and by ``--progress``/``--no-progress``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.support import World

from renda.ledger import console, importer
from renda.ledger.tests.helpers import GOOD, workbook
from renda.ledger.tests.test_large_imports import SUGGESTION_HEADERS, suggestion_row

pytestmark = pytest.mark.django_db

ANSI = "\x1b["


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def save(tmp_path: Path, world: World, rows: int) -> Path:
    path = tmp_path / "ledger.xlsx"
    body = [suggestion_row(world, f"YJ2023-{n:04d}") for n in range(1, rows + 1)]
    path.write_bytes(workbook({"意见建议": [SUGGESTION_HEADERS, *body]}).getvalue())
    return path


def test_the_decision_follows_the_option_then_the_stream() -> None:
    assert console.wants_progress(None, Terminal()) is True
    assert console.wants_progress(None, io.StringIO()) is False
    assert console.wants_progress(None, object()) is False
    assert console.wants_progress(True, io.StringIO()) is True
    assert console.wants_progress(False, Terminal()) is False


def test_import_on_a_terminal_draws_the_counts_and_the_report_follows(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    out = Terminal()
    call_command("import_ledger", str(save(tmp_path, world, 5)), stdout=out, stderr=io.StringIO())
    shown = out.getvalue()
    assert ANSI in shown
    assert "已检查 2/5 行" in shown and "已检查 4/5 行" in shown  # as the rows go
    assert "已写入 2 行" in shown
    assert "错误 0 个" in shown and "剩余" in shown
    assert "已检查 5/5 行 · 已写入 5 行 · 错误 0 个" in shown  # the last (rows: the category is not one)
    assert shown.rstrip().splitlines()[-1] == "新增 6 条, 更新 0 条"  # the report is still there


def test_import_not_on_a_terminal_prints_only_the_report(world: World, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    path = save(tmp_path, world, 5)
    out = io.StringIO()
    call_command("import_ledger", str(path), "--dry-run", stdout=out)
    assert ANSI not in out.getvalue() and "已检查" not in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "新增 6 条, 更新 0 条"
    # --no-progress on a terminal, --progress off one.
    quiet = Terminal()
    call_command("import_ledger", str(path), "--dry-run", "--no-progress", stdout=quiet)
    assert quiet.getvalue() == out.getvalue()
    forced = io.StringIO()
    call_command("import_ledger", str(path), "--dry-run", "--progress", stdout=forced)
    assert "已检查 5/5 行" in forced.getvalue() and ANSI in forced.getvalue()


def test_an_import_with_errors_shows_them_counted_on_the_bar(tmp_path: Path) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["网格"].append(["340302100009", "340302100009001", "九网格"])  # no such village
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(sheets).getvalue())
    out, err = Terminal(), io.StringIO()
    with pytest.raises(Exception, match="导入失败"):
        call_command("import_ledger", str(path), stdout=out, stderr=err)
    assert "错误 1 个" in out.getvalue()
    assert "已写入 0 行" in out.getvalue()  # rolled back: nothing written in the end


def test_export_on_a_terminal_shows_the_rows_written_and_off_one_only_the_path(world: World,
                                                                              tmp_path: Path) -> None:
    out = Terminal()
    call_command("export_ledger", str(tmp_path / "a.xlsx"), stdout=out)
    shown = out.getvalue()
    assert ANSI in shown and "已写入" in shown and "工作表" in shown
    assert shown.rstrip().endswith(f"已导出到 {tmp_path / 'a.xlsx'}")
    plain = io.StringIO()
    call_command("export_ledger", str(tmp_path / "b.xlsx"), stdout=plain)
    assert plain.getvalue() == f"已导出到 {tmp_path / 'b.xlsx'}\n"
