"""Adding an app edits no central file: a minimal app (tests/plugin_app), registered only in
the INSTALLED_APPS of its own settings, appears in the URL table, the API schema, the audit
verbs, the ``renda stats`` JSON, the home page and the menu (tests/plugin_app/probe.py, run here
in a process of its own so that the probe stays out of every other test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_minimal_app_plugs_in_without_a_central_edit(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.plugin_app.settings", "RENDA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own throwaway SQLite database
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=-p no:cacheprovider", "-p", "no:xdist", "--no-migrations",
         "--ds=tests.plugin_app.settings", "tests/plugin_app/probe.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert "6 passed" in result.stdout
