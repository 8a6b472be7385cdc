"""Playwright driving Debian's Chromium. Mandatory under RENDA_REQUIRE_BROWSER=1 (CI);
skipped with a printed reason elsewhere when the browser is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RENDA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("RENDA_ARTIFACTS_DIR", "artifacts")) / "screenshots"


def _require() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("RENDA_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there
    # unless told otherwise. Set only while the browser runs, so no other test inherits it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        try:
            yield b
        finally:
            b.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    yield pg
    context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def see(page: Any, text: str, timeout: float = 15_000) -> None:
    """Wait until the page shows ``text``: after a click the next page may still be loading
    (``page.content()`` is then empty), so a plain assert right after a click is a race."""
    from playwright.sync_api import expect

    expect(page.locator("body")).to_contain_text(text, timeout=timeout)
