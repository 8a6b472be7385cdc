"""End to end in Chromium: the office opens a phone vote at a congress session; a deputy votes on
a phone (390×844): the home card, the N limit explained and enforced, the confirmation step,
「已投票」; the office closes the round, sees the tally and downloads the result sheet (Word).
Screenshots of each step."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from renda.congress.models import VoteRound
from renda.congress.tests.helpers import make_session
from renda.core.roles import Role
from tests.browser.conftest import ARTIFACTS, see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 400  # a 390 px viewport: no horizontal scrolling


def test_deputy_votes_on_a_phone(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    session = make_session(world, total=5)
    base = live_server.url

    # the office opens a phone vote on the session's page
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/congress/{session.pk}/")
    see(page, "已达到法定人数")
    shot(page, "congress-session")
    page.click("#action-open")
    see(page, "开始投票")
    page.select_option("#id_kind", "select")
    page.fill("#id_title", "2023年镇民生实事项目票决")
    page.fill("#id_options", "XXX路、XX路绿化亮化工程\n农贸市场提升改造工程\n村级道路硬化工程\n镇区公园提升工程")
    page.fill("#id_seats", "2")
    page.select_option("#id_mode", "phone")
    page.fill("#id_chief_scrutineer", "张总监")
    page.fill("#id_scrutineers", "李监票、王监票")
    page.click("main button[type=submit]")
    see(page, "投票进行中：只显示发出和收回的选票数")
    r = VoteRound.objects.get()
    assert r.state == "open" and r.issued == 5
    shot(page, "congress-round-open")

    # the deputy, on a phone: the home card, then the ballot
    phone = phone_page
    log_in(phone, base, world.users[Role.DEPUTY].username)
    see(phone, "请您投票")
    shot(phone, "congress-phone-home")
    phone.click("#congress-vote a")
    see(phone, "最多对 2 个事项投赞成票")
    a, b, c, _d = list(r.options.order_by("order").values_list("pk", flat=True))
    for pk in (a, b, c):
        phone.click(f"label[for=id_opt_{pk}_0]")  # 赞成 on three: one too many
    phone.wait_for_timeout(400)  # the buttons' colour transition
    shot(phone, "congress-phone-ballot")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    phone.click("#submit")
    see(phone, "赞成票不能超过应选数 2 个，您选了 3 个")
    shot(phone, "congress-phone-too-many")
    phone.click(f"label[for=id_opt_{c}_1]")  # 反对 instead
    phone.click("#submit")
    see(phone, "请确认您的选择")
    shot(phone, "congress-phone-confirm")
    assert r.ballots.filter(filled=True).count() == 0
    phone.click("#confirm")
    see(phone, "已投票")
    shot(phone, "congress-phone-voted")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    r.refresh_from_db()
    assert r.returned == 1

    # the office sees only issued/returned, then closes and sees the tally
    page.goto(f"{base}/congress/rounds/{r.pk}/")
    see(page, "投票进行中")
    assert page.locator("#returned").inner_text() == "1"
    assert page.locator("#tally").count() == 0
    page.click("#action-close")
    see(page, "确认结束并计票")
    page.click("main button[type=submit]")
    see(page, "计票结果")
    shot(page, "congress-round-tally")
    assert page.locator("#tally").count() == 1
    with page.expect_download() as download:
        page.click("#sheet")
    path = ARTIFACTS / "congress-result-sheet.docx"
    download.value.save_as(str(path))
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "计票结果报告单" in text and "发出选票 5 张，收回选票 1 张" in text and "总监票人：张总监" in text
