"""Project pages: the list (query count, export), the project page and its actions, the candidate
and list pages (差额 message, Word), settings, the public board (public photos only, no login)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook
from tests.support import World

from renda.core.roles import Role
from renda.projects import services
from renda.projects.models import Candidate, CandidateList, Project, ProjectPhoto
from renda.projects.tests.helpers import YEAR, D, candidates, presidium, project, staff
from renda.projects.tests.test_services import PNG

pytestmark = pytest.mark.django_db


def test_list_query_count_is_constant_and_export(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    project(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/projects/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(6):
        project(world, f"项目{i}")
    assert count() == few
    r = client.get("/projects/?export=xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content if r.streaming else [r.content]))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "项目名称" and len(rows) == 8
    assert "2,860,000.00" in rows[1]


def test_detail_shows_warnings_and_takes_an_action(world: World, client: Client) -> None:
    p = project(world)
    services.project_money_set(actor=staff(world), project_id=p.pk, tender_ceiling=Decimal("100.00"),
                               bid_price=Decimal("100.01"))
    client.force_login(world.users[Role.STAFF])
    html = client.get(f"/projects/{p.pk}/").content.decode()
    assert "中标价 100.01 元高于招标控制价 100.00 元" in html and 'id="action-start"' in html
    r = client.post(f"/projects/{p.pk}/do/start/", {"start-on": "2023-02-01", "start-comment": ""})
    assert r.status_code == 302 and Project.objects.get(pk=p.pk).state == "implementing"
    r = client.post(f"/projects/{p.pk}/do/report_progress/", {
        "reportprogress-on": "2023-05-01", "reportprogress-text": "路灯基础施工", "reportprogress-public": "on",
        "reportprogress-photos": SimpleUploadedFile("现场.png", PNG, content_type="image/png")})
    assert r.status_code == 302
    ph = ProjectPhoto.objects.get()
    assert ph.public
    assert client.get(f"/projects/{p.pk}/photos/{ph.pk}/").status_code == 200
    r = client.post(f"/projects/{p.pk}/do/complete/", {"complete-on": "2023-01-01", "complete-report": ""})
    assert r.status_code == 400 and Project.objects.get(pk=p.pk).state == "implementing"
    r = client.post(f"/projects/{p.pk}/do/complete/", {"complete-on": "2023-01-01", "complete-report": "完工"})
    assert r.status_code == 400 and "完成日期不能早于票决日期" in r.content.decode()


def test_unit_sees_only_the_projects_it_leads(world: World, client: Client) -> None:
    p, other = project(world), project(world, "别的项目")
    services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="", deadline=None)
    client.force_login(world.users[Role.UNIT])
    html = client.get("/projects/").content.decode()
    assert p.title in html and other.title not in html
    assert client.get(f"/projects/{other.pk}/").status_code == 404


def test_public_board_shows_public_photos_only(world: World, client: Client) -> None:
    p = project(world)
    services.project_report_progress(actor=staff(world), project_id=p.pk, text="公开", on=D("2023-05-01"),
                                     files=[SimpleUploadedFile("a.png", PNG, content_type="image/png")], public=True)
    services.project_report_progress(actor=staff(world), project_id=p.pk, text="内部", on=D("2023-05-02"),
                                     files=[SimpleUploadedFile("b.png", PNG, content_type="image/png")])
    shown, hidden = ProjectPhoto.objects.get(original_name="a.png"), ProjectPhoto.objects.get(original_name="b.png")
    r = client.get(f"/projects/board/{YEAR}/")
    html = r.content.decode()
    assert r.status_code == 200 and p.title in html
    assert f"/projects/board/photos/{shown.pk}/" in html and f"/projects/board/photos/{hidden.pk}/" not in html
    assert client.get(f"/projects/board/photos/{shown.pk}/").status_code == 200
    assert client.get(f"/projects/board/photos/{hidden.pk}/").status_code == 404
    # no personal data: no deputy's name or phone, no reporter
    assert world.deputy.name not in html and str(world.users[Role.STAFF]) not in html


def test_list_page_refuses_a_list_without_surplus_and_prints_word(world: World, client: Client) -> None:
    cs = candidates(world, 3)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    client.force_login(world.users[Role.STAFF])
    r = client.post(f"/projects/lists/{cl.pk}/candidates/", {"candidates": [cs[0].pk, cs[1].pk]})
    assert r.status_code == 302
    client.force_login(world.users[Role.PRESIDIUM])
    r = client.post(f"/projects/lists/{cl.pk}/submit/", follow=True)
    assert "应不少于 3 个候选项目，现有 2 个" in r.content.decode()
    assert CandidateList.objects.get(pk=cl.pk).state == "draft"
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    services.candidate_list_submit(actor=presidium(world), list_id=cl.pk)
    r = client.get(f"/projects/lists/{cl.pk}/docx/")
    assert r.status_code == 200
    text = "\n".join(c.text for t in Document(io.BytesIO(r.content)).tables for row in t.rows for c in row.cells)
    assert all(c.title in text for c in cs) and "1,200,000.00" in text


def test_candidate_collect_and_screen_pages(world: World, client: Client) -> None:
    from renda.projects.tests.helpers import window

    window(world)
    client.force_login(world.users[Role.STAFF])
    r = client.post("/projects/candidates/new/", {"year": YEAR, "title": "村道亮化", "source": "public",
                                                 "collected_on": "2022-11-01", "content": "", "kind": "道路",
                                                 "source_note": ""})
    assert r.status_code == 302
    c = Candidate.objects.get()
    r = client.post(f"/projects/candidates/{c.pk}/screen/", {"feasible": "1", "estimate": "1234.5",
                                                             "on": "2022-12-01", "kind": "道路", "feasibility": ""})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.state == "screened" and c.estimate == Decimal("1234.50")


def test_settings_page(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    assert client.post("/projects/settings/", {"form": "settings", "seats": "3", "min_surplus": "2"}).status_code == 302
    assert services.settings_for(world.town).seats == 3
    r = client.post("/projects/settings/", {"form": "window", "year": "2024", "opens_on": "2023-10-01",
                                            "closes_on": "2023-09-01"})
    assert r.status_code == 400 and "征集截止日期不能早于开始日期" in r.content.decode()
    assert client.post("/projects/settings/", {"form": "kind", "name": "楼堂馆所"}).status_code == 302


def test_vote_and_evaluation_pages_open_congress_rounds(world: World, client: Client) -> None:
    from renda.congress.models import VoteRound
    from renda.congress.tests.helpers import make_session

    cs = candidates(world, 3)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    services.candidate_list_submit(actor=presidium(world), list_id=cl.pk)
    session = make_session(world, total=9, present=9)
    client.force_login(world.users[Role.STAFF])
    r = client.post(f"/projects/lists/{cl.pk}/vote/", {"session": session.pk, "mode": "paper",
                                                        "chief_scrutineer": "张总监", "scrutineers": "李监票"})
    assert r.status_code == 302
    rnd = VoteRound.objects.get(kind="select")
    assert rnd.seats == 2 and rnd.chief_scrutineer == "张总监" and rnd.options.count() == 3
    assert f"/congress/rounds/{rnd.pk}/" in client.get(f"/projects/lists/{cl.pk}/").content.decode()
    from renda.congress import services as congress

    a, b, _c = rnd.options.order_by("order").values_list("pk", flat=True)
    for _i in range(9):
        congress.ballot_enter(actor=staff(world), round_id=rnd.pk, choices={a: "for", b: "for"})
    congress.round_close(actor=staff(world), round_id=rnd.pk)
    assert Project.objects.filter(candidate__candidate_list=cl).count() == 2
    p = project(world, "旧项目", year=2022, adopted_on=D("2022-01-14"))
    services.project_start(actor=staff(world), project_id=p.pk, on=D("2022-02-01"))
    services.project_complete(actor=staff(world), project_id=p.pk, report="完工", on=D("2022-11-30"))
    page = client.get("/projects/evaluation/")
    assert page.status_code == 200 and "旧项目" in page.content.decode()
    r = client.post("/projects/evaluation/", {"session": session.pk, "projects": [p.pk], "mode": "paper",
                                              "chief_scrutineer": "", "scrutineers": ""})
    assert r.status_code == 302
    assert VoteRound.objects.filter(kind="evaluate").exists()


def test_home_card_warns_the_office(world: World, client: Client) -> None:
    p = project(world)
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="design", planned_end=D("2023-03-31"))
    client.force_login(world.users[Role.PRESIDIUM])
    html = client.get("/home/presidium/").content.decode() if client.get("/home/presidium/").status_code == 200 \
        else client.get("/", follow=True).content.decode()
    assert "项目预警" in html and "规划设计" in html and p.title in html


def test_the_deputys_page_shows_their_part_in_projects_and_their_archive(world: World) -> None:
    """Issue 15 item 5: each deputy's part in each project is visible on the deputy's page (a panel
    the projects app adds to the people app's page, core.panels); the duties app adds the archive."""
    from django.urls import reverse

    from renda.projects import services as project_services
    from renda.projects.tests.helpers import project, staff

    p = project(world)
    project_services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="",
                                  deadline=None, supervisor=world.presidium_deputy, deputies=[world.deputy])
    other = project(world, "镇区公园提升工程", town=world.other_town)
    client = Client()
    client.force_login(world.users[Role.STAFF])
    html = client.get(f"/deputies/{world.presidium_deputy.pk}/").content.decode()
    assert "参与民生实事项目" in html and p.title in html and "督办主席团成员" in html
    assert other.title not in html
    assert reverse("duties:archive", args=[world.presidium_deputy.pk]) in html
    html = client.get(f"/deputies/{world.plain_deputy.pk}/").content.decode()
    assert "参与民生实事项目" in html and p.title not in html
