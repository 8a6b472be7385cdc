"""End to end in Chromium: a presidium member opens the plan from their home card on a phone
(390×844), reviews a task of the half (a note refused first, then saved) and links the town's
contact targets; the office sees the plan and the division of duties on a desktop. Screenshots
of each step."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from renda.core.roles import Role
from renda.liaison import services as liaison_services
from renda.presidium import halves, services
from renda.presidium.tests.helpers import make_plan, make_task
from tests.browser.conftest import see, shot
from tests.browser.test_pages import log_in
from tests.support import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_presidium_member_reviews_a_task_on_a_phone(live_server: Any, phone_page: Any) -> None:
    world = World()
    today = timezone.localdate()
    plan = make_plan(world, year=today.year)
    task = make_task(world, plan, due_half=halves.of(today), text="开展代表述职活动，并认真组织评议",
                     supporters=[world.users[Role.STAFF]])
    liaison_services.settings_set(actor=None, town=world.town, voter_contacts_per_year=10,
                                  presidium_contacts_per_quarter=1, group_meetings_per_quarter=1)
    base, page = live_server.url, phone_page
    log_in(page, base, world.users[Role.PRESIDIUM].username)
    page.wait_for_load_state("networkidle")
    see(page, "待评估的工作任务")
    shot(page, "presidium-phone-home")

    page.locator("#plan-reviews a", has_text="开展代表述职活动").first.click()
    page.wait_for_load_state("networkidle")
    see(page, "半年进展评估")
    page.select_option("#action-review select[name=status]", "under_way")
    page.locator("#action-review button").click()
    page.wait_for_load_state("networkidle")
    see(page, "未完成的任务请填写进展说明")
    shot(page, "presidium-phone-review-refused")
    page.fill("#action-review textarea[name=note]", "已有5名代表完成述职，其余安排在下月")
    page.locator("#action-review button").click()
    page.wait_for_load_state("networkidle")
    see(page, "进展评估")
    assert task.reviews.get().status == "under_way"
    page.select_option("#action-link select[name=record]", index=1)
    page.locator("#action-link button").click()
    page.wait_for_load_state("networkidle")
    see(page, "已关联进展记录")
    assert task.links.count() == 1
    shot(page, "presidium-phone-task")


def test_the_office_reads_the_plan_and_the_division(live_server: Any, page: Any) -> None:
    world = World()
    plan = make_plan(world)
    for due, text in (("2023H1", "抓好重点建议督办：选定重点建议由主席团成员带队集中督办"),
                      ("2023H2", "推进民生实事项目"), ("2023H2", "规范代表联系群众活动室建设")):
        make_task(world, plan, due_half=due, text=text, supporters=[world.users[Role.STAFF]])
    services.division_create(actor=None, town=world.town, year=2023, member=world.presidium_deputy,
                             areas="代表工作、建议督办、信息宣传", responsibilities="负责代表建议交办督办",
                             regions=[world.village])
    base = live_server.url
    log_in(page, base, world.users[Role.STAFF].username)
    page.goto(f"{base}/presidium/plans/{plan.pk}/")
    page.wait_for_load_state("networkidle")
    see(page, "推进民生实事项目")
    shot(page, "presidium-plan")
    page.goto(f"{base}/presidium/divisions/?year=2023")
    page.wait_for_load_state("networkidle")
    see(page, "代表工作、建议督办、信息宣传")
    shot(page, "presidium-divisions")
