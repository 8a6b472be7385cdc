"""The pages keep to the Content-Security-Policy (#14 item 8): every role's home and the key
pages — lists, details, forms, the statistics page with its charts, the ledger, the duty roster —
load in Chromium with the policy on, and the browser reports no violation (no inline script,
handler or style; htmx adds no <style>; the charts' tooltips stay in the canvas)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from renda.core.roles import Role
from renda.petitions.models import Petition
from renda.risks.models import Risk
from renda.suggestions.models import Suggestion
from tests.browser.conftest import see, shot
from tests.browser.test_homes import _world_with_work
from tests.browser.test_pages import HEADINGS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Collects the violations the page reports (the event fires on the document).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                    (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _watch(page: Any) -> list[str]:
    seen: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: seen.append(f"{page.url}: {m.location} {m.text[:120]}")
            if "Content Security Policy" in m.text else None)
    return seen


def _visit(page: Any, url: str, seen: list[str], where: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, (where, response and response.status)
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), where
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)
    for text in page.evaluate("window.__csp || []"):
        seen.append(f"{where}: {text}")


def test_every_role_s_pages_satisfy_the_csp(live_server: Any, browser: Any) -> None:
    world = _world_with_work()
    s = Suggestion.objects.filter(town=world.town).first()
    p = Petition.objects.filter(town=world.town).first()
    r = Risk.objects.filter(town=world.town).first()
    staff_pages = ["suggestions:list", "suggestions:create", "petitions:list", "petitions:create", "risks:list",
                   "risks:create", "shifts:roster", "shifts:create", "reports:dashboard", "ledger:index",
                   "calendar_days:index", "notifications:index", "deputies:list", "units:list", "grid_work:list",
                   "accounts:password_change"]
    urls = [reverse(n) for n in staff_pages]
    urls += [reverse("suggestions:detail", args=[s.pk])] if s else []
    urls += [reverse("petitions:detail", args=[p.pk])] if p else []
    urls += [reverse("risks:detail", args=[r.pk])] if r else []
    urls += [reverse("suggestions:list") + "?q=路灯&page=abc", reverse("reports:dashboard") + "?kind=year"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = _watch(page)
    page.goto(f"{live_server.url}/login/")
    for role in HEADINGS:
        page.context.clear_cookies()
        log_in(page, live_server.url, world.users[role].username)
        _visit(page, page.url, seen, f"{role} home")
        if role == Role.STAFF:
            for url in urls:
                _visit(page, live_server.url + url, seen, f"{role} {url}")
                if url.split("?")[0] == reverse("reports:dashboard"):
                    chart = page.locator("#chart-months canvas")
                    assert chart.count() == 1, "the statistics chart was not drawn"
                    box = chart.bounding_box()
                    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a tooltip
                    page.wait_for_timeout(300)
                    shot(page, "csp-dashboard")
            # htmx: a filter change redraws the table (and shows its indicator)
            _visit(page, live_server.url + reverse("suggestions:list"), seen, "suggestions list again")
            # the "tick all" box (its handler moved from an inline script to forms.js)
            page.check("#bulk-all")
            boxes = page.locator('input[name="ids"][form="bulk-form"]')
            assert boxes.count() > 0 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
            page.fill("input[name=q]", "路灯")
            page.keyboard.press("Enter")
            page.wait_for_load_state("networkidle")
            seen += [f"after a search: {t}" for t in page.evaluate("window.__csp || []")]
            shot(page, "csp-suggestions-list")
    # The error pages: a missing page, and a form posted without its CSRF cookie (expired page).
    page.goto(f"{live_server.url}/no-such-page/")
    see(page, "页面不存在")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.context.clear_cookies()
    page.fill("#id_username", "someone")
    page.fill("#id_password", "whatever-1234")
    page.click("main button[type=submit]")
    see(page, "页面已过期，请重新提交")
    shot(page, "csrf-failure")
    seen += [f"error pages: {t}" for t in page.evaluate("window.__csp || []")]
    context.close()
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)
