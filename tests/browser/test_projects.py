"""End to end in Chromium: the office records a progress report with a site photo on a phone
(390×844), and the public board — without login, on a phone — shows the project's stage,
progress and that photo; the presidium downloads the candidate list as Word. Screenshots of
each step (artifacts/screenshots/projects-*.png)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from renda.core.roles import Role
from renda.projects import services
from renda.projects.demo import png
from renda.projects.models import ProjectPhoto
from renda.projects.tests.helpers import YEAR, candidates, presidium, project, staff
from tests.browser.conftest import ARTIFACTS, see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 400


def test_progress_report_with_a_photo_on_a_phone_then_the_public_board(live_server: Any, phone_page: Any,
                                                                       tmp_path: Path) -> None:
    world = World()
    p = project(world, "XX镇XXX路、XX路绿化亮化工程")
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="initiation",
                               actual_start=services.dt.date(2023, 1, 20), actual_end=services.dt.date(2023, 2, 8))
    page = phone_page
    log_in(page, live_server.url, world.users[Role.STAFF].username)
    page.goto(f"{live_server.url}/projects/{p.pk}/")
    see(page, p.title)
    shot(page, "projects-detail-phone")
    photo = tmp_path / "施工现场.png"
    photo.write_bytes(png(320, 200))
    page.click("#action-report_progress summary")
    page.fill("#id_reportprogress-on", "2023-06-15")
    page.fill("#id_reportprogress-text", "施工单位已进场，路灯基础浇筑 58 处")
    page.set_input_files("#id_reportprogress-photos", str(photo))
    shot(page, "projects-report-form-phone")
    page.click("#action-report_progress button[type=submit]")
    see(page, "已报告进度")
    see(page, "路灯基础浇筑 58 处")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "projects-reported-phone")
    ph = ProjectPhoto.objects.get()
    assert ph.public and ph.original_name == "施工现场.png"

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/projects/board/{YEAR}/")
    see(page, "2023年民生实事项目公示")
    see(page, p.title)
    img = page.locator(f"img[src='/projects/board/photos/{ph.pk}/']")
    img.wait_for()
    assert img.evaluate("e => e.complete && e.naturalWidth") == 320
    text = page.locator("body").inner_text()
    assert "当前阶段" in text and "进度" in text and world.users[Role.STAFF].display_name not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "projects-board-phone")


def test_candidate_list_as_word(live_server: Any, page: Any) -> None:
    world = World()
    cs = candidates(world, 4)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    services.candidate_list_submit(actor=presidium(world), list_id=cl.pk)
    log_in(page, live_server.url, world.users[Role.PRESIDIUM].username)
    page.goto(f"{live_server.url}/projects/lists/{cl.pk}/")
    see(page, "已提请票决")
    shot(page, "projects-list")
    with page.expect_download() as d:
        page.click("#docx")
    path = ARTIFACTS / "projects-candidate-list.docx"
    d.value.save_as(str(path))
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert all(c.title in text for c in cs)
