"""The layering contract (pyproject.toml ``[tool.importlinter]``; docs/architecture.md) holds on
the code as it is, and breaks when an import points back down the stack."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_code_keeps_the_layers() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "message"),
    [
        # the floor reaching up into accounts (what core/policy.py once did to log a denial)
        ("core/errors.py", "from renda.accounts import models as _up",
         "renda.core is not allowed to import renda.accounts"),
        ("audit/verbs.py", "from renda.core import errors as _up", "renda.audit is not allowed to import renda.core"),
        # the organisation reaching into a domain app
        ("places/selectors.py", "from renda.suggestions import selectors as _up",
         "renda.places is not allowed to import renda.suggestions"),
        # accounts reaching into a domain app (what the old role dashboards did)
        ("accounts/views.py", "from renda.petitions import selectors as _up",
         "renda.accounts is not allowed to import renda.petitions"),
        # a domain app using another's private helpers instead of its services/selectors
        ("petitions/views.py", "from renda.suggestions import views as _up",
         "renda.petitions is not allowed to import renda.suggestions"),
        # a late import inside a function counts as much as one at the top
        ("units/services.py", "def _late():\n    from renda.accounts import services as _up  # noqa: F401\n",
         "renda.units is not allowed to import renda.accounts"),
    ],
)
def test_a_back_pointing_import_breaks_the_contract(tmp_path: Path, module: str, line: str, message: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "renda", src / "renda", ignore=shutil.ignore_patterns("__pycache__", "static"))
    target = src / "renda" / module
    target.write_text(target.read_text() + "\n" + line + "\n")
    result = lint_imports(src)
    assert result.returncode != 0
    assert message in " ".join(result.stdout.split()), result.stdout
