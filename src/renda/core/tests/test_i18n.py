"""Simplified Chinese is the default; the English catalog is complete, compiled and switchable."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for what makemessages writes (no polib at hand)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)

    def finish() -> None:
        nonlocal cur
        if cur is not None:
            entries.append(cur)
        cur = None

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            raise AssertionError(f"{path}:{n}: obsolete entry left in the catalog")
        if cur is None:
            cur = Entry(line=n)
        if line.startswith("#,"):
            cur.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            elif keyword == "msgstr":
                target = ("msgstr", 0)
            else:
                target = (keyword, 0)
                setattr(cur, keyword, "")
        name, index = target
        if name == "msgstr":
            cur.msgstr[index] = cur.msgstr.get(index, "") + value
        else:
            setattr(cur, name, (getattr(cur, name) or "") + value)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    entries = parse_po(PO)
    assert entries and entries[0].msgid == "", "the .po header is missing"
    return entries


def test_login_page_is_chinese_by_default(db: None) -> None:
    response = Client().get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "密码" in html
    assert "Log in" not in html


def test_login_page_is_english_with_accept_language(db: None) -> None:
    response = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for text in ("Log in", "Password", "Username", "Township People's Congress Work Platform"):
        assert text in html
    assert "登录" not in html and "密码" not in html


def test_language_switcher_is_on_the_login_page(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html and "English" in html
    assert 'name="language" value="zh-hans"' in html and "简体中文" in html
    assert 'name="next" value="/login/"' in html


def test_set_language_switches_subsequent_pages(db: None) -> None:
    client = Client()
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302 and response["Location"] == login
    html = client.get(login).content.decode()
    assert '<html lang="en">' in html and "Log in" in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    html = client.get(login).content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html


def test_every_message_is_translated(catalog: list[Entry]) -> None:
    header, messages = catalog[0], catalog[1:]
    assert "Language: en" in header.msgstr[0]
    assert "fuzzy" not in header.flags
    assert len(messages) > 300
    problems = []
    for entry in messages:
        where = f"{PO.name}:{entry.line} {entry.msgid!r}"
        expected = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected)):
            problems.append(f"{where}: expected {expected} msgstr forms")
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        for text in entry.msgstr.values():
            if not text.strip():
                problems.append(f"{where}: empty msgstr")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"{where}: placeholders differ in {text!r}")
    assert not problems, "\n".join(problems)


def test_mo_matches_po(catalog: list[Entry]) -> None:
    assert MO.is_file(), "run `renda compilemessages` and commit django.mo"
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in catalog[1:]:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled._catalog.get(key) != entry.msgstr[0]:  # type: ignore[attr-defined]
                stale.append(entry.msgid)
        else:
            for n, text in entry.msgstr.items():
                if compiled._catalog.get((key, n)) != text:  # type: ignore[attr-defined]
                    stale.append(entry.msgid)
    assert not stale, f"django.mo is out of date with django.po (recompile): {stale[:5]}"


def test_translations_are_active_in_django() -> None:
    with translation.override("en"):
        assert translation.gettext("新增代表") == "New deputy"
        assert translation.gettext("承办单位") == "Handling unit"
        assert translation.ngettext("另有 %(n)s 条未列出", "另有 %(n)s 条未列出", 3) % {"n": 3} == "3 more not listed"
    with translation.override("zh-hans"):
        assert translation.gettext("新增代表") == "新增代表"


@pytest.mark.skipif(shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
                    reason="makemessages needs GNU gettext (apt-get install gettext)")
def test_catalog_has_every_marked_string(tmp_path: Path) -> None:
    """``makemessages -l en`` over a copy of the source finds no string the catalog lacks: a new
    msgid would come out with an empty msgstr (or a fuzzy guess) and show in Chinese in English mode."""
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "renda"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    # makemessages writes to LOCALE_PATHS[0]: the copy's, never the repository's catalog
    (tmp_path / "i18n_settings.py").write_text(
        "from renda.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(copy / 'locale')!r}]\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "i18n_settings", "RENDA_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(source.parent)])}
    result = subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
                            cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    problems = [f"{e.msgid!r}: {'fuzzy' if 'fuzzy' in e.flags else 'not translated'}"
                for e in parse_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")[1:]
                if "fuzzy" in e.flags or any(not text.strip() for text in e.msgstr.values())]
    assert not problems, "add English translations to django.po:\n" + "\n".join(problems)


def test_dashboard_rates_are_translated(db: None) -> None:
    """The statistics labels that were left in Chinese in English mode (办结率 …)."""
    from renda.reports.views import RATES

    with translation.override("en"):
        labels = [str(label) for _key, label in RATES]
    assert not [label for label in labels if re.search(r"[\u4e00-\u9fff]", label)], labels
