"""Presidium pages: lists (constant query count, export), forms, the plan and task pages with the
review and link forms, the Word prints, the honours page for every recipient, the home card."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document
from tests.support import World

from renda.core.roles import Role
from renda.duties import services as duty_services
from renda.duties.models import Award
from renda.liaison import services as liaison_services
from renda.presidium import services
from renda.presidium.models import InfoItem, Plan, PlanTask
from renda.presidium.tests.helpers import D, make_info, make_plan, make_task

pytestmark = pytest.mark.django_db
LISTS = ["/presidium/plans/", "/presidium/tasks/", "/presidium/divisions/", "/presidium/information/",
         "/duties/awards/"]


def _fill(world: World, k: int) -> None:
    plan = make_plan(world, year=2010 + k)
    make_task(world, plan, due_half=f"{2010 + k}H1", supporters=[world.users[Role.STAFF]])
    services.division_create(actor=None, town=world.town, year=2010 + k, member=world.presidium_deputy,
                             areas="代表工作", regions=[world.village])
    make_info(world)
    duty_services.award_create(actor=None, recipient="presidium", town=world.town, title="先进", body="区人大常委会",
                               on=D("2023-07-01"))
    duty_services.award_create(actor=None, deputy=world.deputy, title="优秀代表", body="区人大常委会",
                               on=D("2023-07-01"))


@pytest.mark.parametrize("url", LISTS)
def test_list_query_count_is_constant_and_exports(world: World, client: Client, url: str) -> None:
    client.force_login(world.users[Role.STAFF])
    _fill(world, 0)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for k in range(1, 3):
        _fill(world, k)
    assert count() == few
    r = client.get(url + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_plan_page_lists_its_tasks_and_prints(world: World, client: Client) -> None:
    task = make_task(world, supporters=[world.users[Role.STAFF]])
    client.force_login(world.users[Role.DEPUTY])  # deputies read the plan
    page = client.get(f"/presidium/plans/{task.plan_id}/").content.decode()
    assert "开展代表述职评议" in page and "未评估" in page and "/edit/" not in page
    r = client.get(f"/presidium/plans/{task.plan_id}/document/")
    assert r.status_code == 200
    text = "\n".join(c.text for t in Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells)
    assert "开展代表述职评议" in text and world.presidium_deputy.name in text


def test_the_forms_create_a_plan_and_a_task(world: World, client: Client) -> None:
    client.force_login(world.users[Role.PRESIDIUM])
    r = client.post("/presidium/plans/new/", {"year": "2023", "title": "2023年工作要点", "goals": "目标"})
    assert r.status_code == 302
    plan = Plan.objects.get()
    bad = client.post("/presidium/tasks/new/", {"plan": plan.pk, "area": "代表工作", "text": "述职",
                                                "lead": world.presidium_deputy.pk, "due_half": "2024H1"})
    assert bad.status_code == 200 and "完成时限应在2023年度内" in bad.content.decode()
    r = client.post("/presidium/tasks/new/", {"plan": plan.pk, "area": "代表工作", "text": "述职",
                                              "lead": world.presidium_deputy.pk, "due_half": "2023H1",
                                              "supporters": [world.users[Role.STAFF].pk]})
    assert r.status_code == 302 and PlanTask.objects.get().ordinal == 1


def test_reviewing_and_linking_on_the_task_page(world: World, client: Client) -> None:
    task = make_task(world)
    target = liaison_services.settings_set(actor=None, town=world.town, voter_contacts_per_year=10,
                                           presidium_contacts_per_quarter=1, group_meetings_per_quarter=1)[0]
    client.force_login(world.users[Role.STAFF])
    page = client.get(f"/presidium/tasks/{task.pk}/").content.decode()
    assert 'id="action-review"' in page and 'id="action-link"' in page and "2023年上半年" in page
    r = client.post(f"/presidium/tasks/{task.pk}/review/", {"half": "2023H1", "status": "under_way", "note": ""})
    assert r.status_code == 400 and "未完成的任务请填写进展说明" in r.content.decode()
    r = client.post(f"/presidium/tasks/{task.pk}/review/", {"half": "2023H1", "status": "done", "note": "已完成"})
    assert r.status_code == 302 and task.reviews.get().status == "done"
    r = client.post(f"/presidium/tasks/{task.pk}/link/", {"record": f"contact_target:{target.pk}"})
    assert r.status_code == 302
    link = task.links.get()
    page = client.get(f"/presidium/tasks/{task.pk}/").content.decode()
    assert f"/liaison/settings/{target.pk}/" in page and "data-confirm" in page
    assert client.post(f"/presidium/tasks/{task.pk}/links/{link.pk}/remove/").status_code == 302
    assert not task.links.exists()
    client.force_login(world.users[Role.DEPUTY])
    page = client.get(f"/presidium/tasks/{task.pk}/").content.decode()
    assert 'id="action-review"' not in page and 'id="action-link"' not in page
    assert client.post(f"/presidium/tasks/{task.pk}/review/", {"half": "2023H1", "status": "done"}).status_code == 403


def test_the_division_of_duties_prints_the_filtered_year(world: World, client: Client) -> None:
    services.division_create(actor=None, town=world.town, year=2023, member=world.presidium_deputy,
                             areas="代表联络站建设", regions=[world.village])
    client.force_login(world.users[Role.STAFF])
    page = client.get("/presidium/divisions/?year=2023").content.decode()
    assert "/presidium/divisions/document/?year=2023" in page
    r = client.get("/presidium/divisions/document/?year=2023")
    doc = Document(io.BytesIO(r.content))
    assert "2023年度职责分工" in "\n".join(p.text for p in doc.paragraphs)
    assert "代表联络站建设" in "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)


def test_information_and_honour_forms(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    r = client.post("/presidium/information/new/", {"title": "我镇代表述职", "submitted_on": "2023-05-10",
                                                    "recipient": "district", "adopted": "on"})
    assert r.status_code == 200 and "已采用的信息请填写采用日期" in r.content.decode()
    r = client.post("/presidium/information/new/", {"title": "我镇代表述职", "submitted_on": "2023-05-10",
                                                    "recipient": "district", "adopted": "on",
                                                    "adopted_on": "2023-05-20", "published_in": "区人大工作动态"})
    assert r.status_code == 302 and InfoItem.objects.get().adopted
    r = client.post("/duties/awards/new/", {"recipient": "office", "title": "全区人大信息工作先进单位",
                                            "body": "区人大常委会", "on": "2023-07-20"})
    assert r.status_code == 302
    award = Award.objects.get()
    assert award.deputy is None and award.town == world.town
    assert "人大办" in client.get("/duties/awards/").content.decode()


def test_the_home_card_lists_the_tasks_of_this_half_not_reviewed(world: World, client: Client) -> None:
    from django.utils import timezone

    from renda.presidium import halves

    year = timezone.localdate().year
    plan = make_plan(world, year=year)
    make_task(world, plan, due_half=halves.of(timezone.localdate()), text="推进民生实事项目")
    client.force_login(world.users[Role.PRESIDIUM])
    page = client.get("/home/presidium/").content.decode()
    assert "推进民生实事项目" in page
