"""End to end in Chromium: a letter petition goes register → route for instruction → instruct →
accept (with the Word 受理告知书) → handling opinion across the office and presidium logins, the
petitioner's data masked everywhere except in the one response to a reveal; and a grid worker on
a phone registers a risk that a deputy works on and the office resolves. Screenshots of each step."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document

from renda.calendar_days.workdays import calendar
from renda.core.roles import Role
from renda.petitions import rules
from renda.petitions.models import Petition
from renda.risks.models import Risk
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME, ID_NUMBER, PHONE = "张小三", "11010519491231002X", "13812345678"
NAME_MASKED, ID_MASKED, PHONE_MASKED = "张*三", "1101**********002X", "138****5678"
PHONE_WIDTH = 400  # a 390 px viewport: no horizontal scrolling


def _as(page: Any, base: str, world: World, role: Role) -> None:
    page.context.clear_cookies()
    log_in(page, base, world.users[role].username)


def _act(page: Any, action: str, prefix: str, fill: dict[str, str] | None = None,
         select: dict[str, str] | None = None) -> None:
    """Open the action's <details>, fill its form (field ids ``id_<prefix>-<name>``) and submit."""
    page.click(f"#action-{action} summary")
    for name, value in (fill or {}).items():
        page.fill(f"#id_{prefix}-{name}", value)
    for name, value in (select or {}).items():
        page.select_option(f"#id_{prefix}-{name}", value)
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_load_state("networkidle")


def _assert_masked(text: str) -> None:
    for masked in (NAME_MASKED, ID_MASKED, PHONE_MASKED):
        assert masked in text, masked
    for plain in (NAME, ID_NUMBER, PHONE):
        assert plain not in text, plain


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def test_letter_petition_across_logins(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url

    # The office registers a letter with one petitioner.
    _as(page, base, world, Role.STAFF)
    page.goto(f"{base}/petitions/new/")
    page.select_option("#id_channel", "letter")
    page.fill("#id_name", NAME)
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", PHONE)
    page.fill("#id_subject", "村道硬化工程拖欠工程款")
    page.fill("#id_content", "来信反映村道硬化工程完工两年仍拖欠农民工工资")
    page.select_option("#id_village", str(world.village.pk))
    page.select_option("#id_grid", str(world.grid.pk))
    shot(page, "petitions-register")
    page.click("#register-form > button[type=submit]")
    page.wait_for_load_state("networkidle")
    p = Petition.objects.get(subject="村道硬化工程拖欠工程款")
    assert p.channel == "letter" and p.state == "registered" and p.town_id == world.town.pk
    assert p.petitioners.count() == 1
    see(page, f"已登记，编号 {p.code}")
    detail = f"{base}/petitions/{p.pk}/"
    assert page.url == detail
    assert page.locator("#state").inner_text() == "待受理"
    # Masked on the page, plain nowhere in the HTML.
    _assert_masked(page.locator("#petitioners").inner_text())
    _assert_masked(page.content())
    shot(page, "petitions-registered")

    # The office routes the letter to the presidium member for instructions.
    _act(page, "route", "route", select={"presidium_member": str(world.presidium_deputy.pk)},
         fill={"comment": "请阅示"})
    see(page, f"已送{world.presidium_deputy.name}阅批")
    assert "尚未阅批" in page.locator("#instructions").inner_text()
    ri = p.instructions.get()
    assert ri.presidium_member_id == world.presidium_deputy.pk and ri.instructed_on is None
    shot(page, "petitions-routed")

    # The presidium member finds it among the letters to instruct and writes an instruction.
    _as(page, base, world, Role.PRESIDIUM)
    page.goto(f"{base}/petitions/instructions/")
    assert page.locator("#tabs [data-tab=pending] .badge").inner_text() == "1"
    assert "村道硬化工程拖欠工程款" in page.locator("#items").inner_text()
    shot(page, "petitions-instructions-pending")
    page.click("#items a")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(detail)
    _assert_masked(page.content())
    _act(page, "instruct", "instruct", fill={"text": "请人大办会同住建部门核实，依法依规处理"})
    see(page, "已阅批")
    assert "会同住建部门核实" in page.locator("#instructions").inner_text()
    ri.refresh_from_db()
    assert ri.instructed_on is not None and ri.text.startswith("请人大办会同住建部门核实")
    assert page.locator("#action-instruct").count() == 0  # instructed once
    shot(page, "petitions-instructed")
    page.goto(f"{base}/petitions/instructions/?tab=done")
    assert "会同住建部门核实" in page.locator("#items").inner_text()
    shot(page, "petitions-instructions-done")

    # The office accepts it and downloads the 受理告知书.
    _as(page, base, world, Role.STAFF)
    page.goto(detail)
    _act(page, "accept", "accept", fill={"comment": "属本机关职责范围"})
    p.refresh_from_db()
    assert p.state == "handling" and p.accepted_on is not None and p.handling_due is not None
    see(page, f"已受理，办理期限 {p.handling_due.isoformat()}")
    assert page.locator("#state").inner_text() == "办理中"
    shot(page, "petitions-accepted")
    with page.expect_download() as info:
        page.click("#notices a:has-text('受理告知书')")
    download = info.value
    assert download.suggested_filename == f"受理告知书-{p.code}.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(par.text for par in doc.paragraphs)
    assert f"本机关已于{_cn_date(p.accepted_on)}依法受理" in text
    assert NAME in text  # a notice is addressed to the petitioner by name

    # The office issues the handling opinion: the 30-day window to ask for review is shown.
    _act(page, "issue_opinion", "opinion", fill={"opinion": "经核实，施工方已于本月结清工程款"})
    see(page, "已出具处理意见")
    p.refresh_from_db()
    assert p.state == "closed" and p.opinion_on is not None
    review_by = rules.review_request_by(p.opinion_on, rules.rules_for(p.town), calendar())
    assert review_by >= p.opinion_on + dt.timedelta(days=30)
    row = page.locator("#deadlines li", has_text="申请复查（处理意见后30日内）")
    assert review_by.isoformat() in row.inner_text()
    assert page.locator("#state").inner_text() == "已出具处理意见"
    timeline = page.locator("#timeline").inner_text()
    for step in ("登记", "送主席团成员阅批", "阅批", "受理", "出具处理意见"):
        assert step in timeline, step
    assert "处理意见书" in page.locator("#notices").inner_text()
    shot(page, "petitions-opinion")

    # Reveal with a reason: plain values in that response only.
    page.fill("#reveal-form input[name=reason]", "电话回访信访人")
    with page.expect_response(lambda r: r.url.endswith(f"/petitions/{p.pk}/reveal/")) as resp_info:
        page.click("#reveal-form button[type=submit]")
    response = resp_info.value
    assert response.status == 200
    assert "no-store" in response.headers.get("cache-control", "")
    body = response.text()
    for plain in (NAME, ID_NUMBER, PHONE):
        assert plain in body, plain
    page.wait_for_selector("#petitioners [data-revealed]")
    revealed = page.locator("#petitioners").inner_text()
    for plain in (NAME, ID_NUMBER, PHONE):
        assert plain in revealed, plain
    assert "本次查看已记入审计日志" in revealed
    shot(page, "petitions-revealed")
    page.reload()
    page.wait_for_load_state("networkidle")
    _assert_masked(page.content())
    shot(page, "petitions-masked-again")

    # The same page on a phone: masked and no horizontal scrolling.
    log_in(phone_page, base, world.users[Role.STAFF].username)
    phone_page.goto(detail)
    _assert_masked(phone_page.content())
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone_page, "petitions-detail-phone")


def test_risk_reported_on_a_phone_and_resolved(live_server: Any, page: Any, phone_page: Any) -> None:
    world = World()
    base = live_server.url

    # The grid worker, on a phone, reports a risk in their grid with the deputy taking part.
    log_in(phone_page, base, world.users[Role.GRID_WORKER].username)
    phone_page.goto(f"{base}/risks/new/")
    assert phone_page.locator("h1").first.inner_text() == "上报信访隐患"
    phone_page.fill("#id_title", "相邻宅基地排水沟纠纷")
    phone_page.select_option("#id_level", "high")
    phone_page.select_option("#id_grid", str(world.grid.pk))
    phone_page.fill("#id_description", "两户因排水沟走向争执，已发生推搡")
    phone_page.select_option("#id_deputies", [str(world.deputy.pk)])
    phone_page.fill("#id_people-0-name", "王大五")
    phone_page.fill("#id_people-0-role", "申请人")
    phone_page.fill("#id_people-0-phone", "13900001111")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone_page, "risks-register-phone")
    phone_page.click("#register-form > button[type=submit]")
    phone_page.wait_for_load_state("networkidle")
    risk = Risk.objects.get(title="相邻宅基地排水沟纠纷")
    assert risk.grid_id == world.grid.pk and risk.village_id == world.village.pk and risk.level == "high"
    assert risk.state == "registered"
    participants = {(x.deputy_id, x.grid_worker_id) for x in risk.participants.all()}
    assert participants == {(world.deputy.pk, None), (None, world.grid_worker.pk)}  # 本人参与化解 by default
    detail = f"{base}/risks/{risk.pk}/"
    assert phone_page.url == detail
    see(phone_page, f"已登记，编号 {risk.code}")
    people = phone_page.locator("#people").inner_text()
    assert "王*" in people and "139****1111" in people, people
    assert "王大五" not in phone_page.content() and "13900001111" not in phone_page.content()
    assert risk.people.get().name == "王大五"  # stored (encrypted at rest), shown masked
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(phone_page, "risks-registered-phone")

    # The deputy (a participant) logs a step.
    _as(page, base, world, Role.DEPUTY)
    page.goto(detail)
    _act(page, "log_step", "logstep", fill={"on": risk.registered_on.isoformat(),
                                            "text": "走访两户当事人，约定周五现场协调"})
    see(page, "已记录化解过程")
    assert "走访两户当事人" in page.locator("#steps").inner_text()
    step = risk.steps.get()
    assert step.text.startswith("走访两户当事人") and step.actor_id == world.users[Role.DEPUTY].pk
    shot(page, "risks-step-logged")

    # The office resolves it with a date.
    _as(page, base, world, Role.STAFF)
    page.goto(detail)
    on = risk.registered_on
    _act(page, "resolve", "resolve", fill={"resolved_on": on.isoformat(), "comment": "重新确定排水沟走向，双方签字认可",
                                           "deputies_role": "代表现场参与调解"})
    assert page.locator("#state").inner_text() == "已化解"
    risk.refresh_from_db()
    assert risk.state == "resolved" and risk.resolved_on == on
    assert risk.deputies_role == "代表现场参与调解"
    assert on.isoformat() in page.locator("dl").inner_text()
    assert page.locator("#action-resolve").count() == 0
    shot(page, "risks-resolved")

    # The grid worker sees it resolved on the phone.
    phone_page.goto(detail)
    assert phone_page.locator("#state").inner_text() == "已化解"
    shot(phone_page, "risks-resolved-phone")


def test_risk_action_dates_default_to_today(live_server: Any, page: Any) -> None:
    """Date pickers render ISO dates under zh-hans (core.widgets.DateInput): today's default shows."""
    from django.utils import timezone

    from renda.risks.tests.helpers import make_risk

    world = World()
    today = timezone.localdate()
    risk = make_risk(world, on=today)
    _as(page, live_server.url, world, Role.STAFF)
    page.goto(f"{live_server.url}/risks/{risk.pk}/")
    page.click("#action-log_step summary")
    page.click("#action-resolve summary")
    shot(page, "risks-date-defaults")
    assert page.input_value("#id_logstep-on") == today.isoformat()
    assert page.input_value("#id_resolve-resolved_on") == today.isoformat()
