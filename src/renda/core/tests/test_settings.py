"""Settings: SQLite pragmas, DATABASE_URL parsing, the secret key file, ``check --deploy``."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from renda.settings import database_from_url

REPO = Path(settings.BASE_DIR).parents[1]
sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite settings"
)


def pragma(name: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@sqlite_only
@pytest.mark.django_db
def test_sqlite_pragmas_are_in_force_on_a_live_connection():
    assert str(pragma("journal_mode")).lower() == "wal"
    assert int(pragma("busy_timeout")) > 0  # type: ignore[call-overload]
    assert int(pragma("foreign_keys")) == 1  # type: ignore[call-overload]
    assert int(pragma("synchronous")) == 1  # type: ignore[call-overload]  # NORMAL


@sqlite_only
def test_sqlite_transactions_start_immediate():
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path):
    db = database_from_url(None, tmp_path)
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "renda.sqlite3")
    options = db["OPTIONS"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=" in options["init_command"]


def test_postgres_url_is_parsed(tmp_path: Path):
    db = database_from_url("postgres://renda:p%40ss%2Fword@db.internal:5433/renda_prod", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "renda_prod",
        "renda",
        "p@ss/word",
        "db.internal",
        "5433",
    )
    assert db["CONN_HEALTH_CHECKS"] is True


def test_postgres_binds_parameters_on_the_server_and_prepares_unless_told_not_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Decision 0026: server-side binding and psycopg's prepared statements (after 5 runs of a
    statement on a connection); ``RENDA_PG_PREPARE=0`` (a pooler that keeps none) goes back to
    Django's client-side binding."""
    url = "postgres://u@localhost/renda"
    monkeypatch.delenv("RENDA_PG_PREPARE", raising=False)
    assert database_from_url(url, tmp_path)["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("RENDA_PG_PREPARE", "0")
    assert database_from_url(url, tmp_path)["OPTIONS"] == {}
    monkeypatch.setenv("RENDA_PG_PREPARE", "1")
    assert database_from_url(url, tmp_path)["OPTIONS"]["server_side_binding"] is True  # type: ignore[index]


@pytest.mark.django_db
def test_the_postgres_connection_prepares_repeated_statements() -> None:
    """On PostgreSQL, a statement run more than the threshold's times on the connection is
    prepared there (``pg_prepared_statements``)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        for _ in range(7):
            cursor.execute("SELECT %s::int + 1", [1])
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%::int + 1%"])
        assert cursor.fetchone()[0] >= 1  # type: ignore[index]


@pytest.mark.parametrize("scheme", ["postgresql", "pgsql"])
def test_postgres_url_aliases_and_default_port(tmp_path: Path, scheme: str):
    db = database_from_url(f"{scheme}://u@localhost/renda", tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "renda",
        "u",
        "",
        "localhost",
        "",
    )


def test_sqlite_url_names_the_file(tmp_path: Path):
    db = database_from_url(f"sqlite:///{tmp_path}/x.sqlite3", tmp_path)  # sqlite:////abs/path
    # The name keeps the URL's "//" root (the same directory on POSIX); compare below the root.
    assert Path(str(db["NAME"])).parts[1:] == (tmp_path / "x.sqlite3").parts[1:]
    assert db["ENGINE"] == "django.db.backends.sqlite3"


def test_unsupported_url_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://u:p@h/db", tmp_path)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RENDA_") and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(RENDA_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="renda.settings", **extra)
    return env


def _secret_key_in(data_dir: Path) -> str:
    code = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def test_secret_key_is_generated_into_the_data_dir_with_mode_0600(tmp_path: Path):
    key = _secret_key_in(tmp_path)
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == key
    assert len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _secret_key_in(tmp_path) == key  # read back, not regenerated
    other = tmp_path / "other"
    other.mkdir()
    assert _secret_key_in(other) != key  # every installation has its own


def _tracked_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        [git, "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return [REPO / name for name in out.split("\0") if name]


def test_secret_key_is_not_in_the_repository():
    key = settings.SECRET_KEY
    assignment = re.compile(r"""SECRET_KEY\s*=\s*[rbuf]*["']""")
    for path in _tracked_files():
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        assert key not in text, f"the secret key appears in {path}"
        assert not assignment.search(text), f"a literal SECRET_KEY assignment in {path}"


def test_check_deploy_reports_no_issues(tmp_path: Path):
    env = _env(tmp_path, RENDA_SECURE="1", RENDA_ALLOWED_HOSTS="renda.example.org")
    renda = REPO / ".venv" / "bin" / "renda"
    cmd = [str(renda)] if renda.exists() else [sys.executable, "-m", "renda.cli"]
    result = subprocess.run(
        [*cmd, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ([], "10.0.0.5", "203.0.113.9", "10.0.0.5"),  # no proxy configured: the header is ignored
        (["10.0.0.5"], "10.0.0.5", "203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/24"], "10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # nearest hop
        (["10.0.0.0/24"], "10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # skips our proxies
        (["10.0.0.5"], "192.0.2.44", "203.0.113.9", "192.0.2.44"),  # not from the proxy: spoofed
        (["10.0.0.5"], "10.0.0.5", "", "10.0.0.5"),
        (["10.0.0.5"], "10.0.0.5", "not-an-ip", "10.0.0.5"),
        (["::1", "127.0.0.1"], "::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_ip_behind_trusted_proxies(settings, trusted, remote, forwarded, expected):
    from django.test import RequestFactory

    from renda.core.middleware import client_ip

    settings.RENDA_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
