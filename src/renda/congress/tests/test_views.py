"""The pages: sessions list/detail/create/edit, attendance, agenda, opening, paper entry, close,
tally, result sheet, the deputy's phone ballot."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from tests.support import PASSWORD, World

from renda.congress import selectors, services
from renda.congress.models import Ballot, Session, Voted, VoteRound
from renda.congress.tests.helpers import STARTS, enter, ids, make_session, open_round, staff
from renda.core.roles import Role


def login(user: object) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return c


def test_session_pages(world: World) -> None:
    c = login(staff(world))
    r = c.post(reverse("congress:create"), {"term": 18, "number": 3, "starts_on": "2023-01-12",
                                            "ends_on": "2023-01-13", "venue": "镇政府", "quorum_numerator": 2,
                                            "quorum_denominator": 3})
    s = Session.objects.get()
    assert r.status_code == 302 and s.town == world.town
    page = c.get(reverse("congress:detail", args=[s.pk])).content.decode()
    assert s.title in page and world.deputy.name in page and "未达到法定人数" in page
    c.post(reverse("congress:attendance", args=[s.pk]), {"deputy": world.deputy.pk, "status": "present"})
    assert s.attendance.get(deputy=world.deputy).status == "present"
    c.post(reverse("congress:agenda_add", args=[s.pk]), {"title": "票决民生实事项目", "needs_vote": "on"})
    item = s.agenda.get()
    assert item.needs_vote
    assert "确定要删除议程" in c.get(reverse("congress:agenda_remove", args=[s.pk, item.pk])).content.decode()
    c.post(reverse("congress:agenda_remove", args=[s.pk, item.pk]))
    assert not s.agenda.exists()
    r = c.get(reverse("congress:list"))
    assert s.title in r.content.decode()
    r = c.get(reverse("congress:list") + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = c.post(reverse("congress:edit", args=[s.pk]), {"term": 18, "number": 3, "starts_on": "2023-01-12",
                                                       "ends_on": "2023-01-11", "quorum_numerator": 2,
                                                       "quorum_denominator": 3})
    assert "闭幕日期不能早于开幕日期" in r.content.decode()


def test_open_enter_close_tally_sheet(world: World) -> None:
    s = make_session(world, total=3)
    c = login(staff(world))
    r = c.post(reverse("congress:round_open", args=[s.pk]), {
        "kind": "select", "title": "民生实事项目票决", "options": "道路亮化\n农贸市场改造\n公园提升", "seats": 2,
        "basis": "all", "mode": "paper", "chief_scrutineer": "张总监", "scrutineers": "李、王"})
    rnd = VoteRound.objects.get()
    assert r.status_code == 302
    a, b, _c = ids(rnd)
    page = c.get(reverse("congress_rounds:detail", args=[rnd.pk])).content.decode()
    assert "录入纸质选票" in page and "投票进行中" in page and 'id="tally"' not in page
    assert c.get(reverse("congress_rounds:sheet", args=[rnd.pk])).status_code == 302   # not before the close
    for _i in range(3):
        r = c.post(reverse("congress_rounds:enter", args=[rnd.pk]), {f"b-opt_{a}": "for", f"b-opt_{b}": "for"})
        assert r.status_code == 302
    r = c.post(reverse("congress_rounds:enter", args=[rnd.pk]), {f"b-opt_{a}": "for"})
    assert "选票已全部收回" in r.content.decode() and r.status_code == 400
    assert "确认结束并计票" in c.get(reverse("congress_rounds:close", args=[rnd.pk])).content.decode()
    r = c.post(reverse("congress_rounds:close", args=[rnd.pk]), {"returned": 3})
    assert r.status_code == 302
    page = c.get(reverse("congress_rounds:detail", args=[rnd.pk])).content.decode()
    assert 'id="tally"' in page and "当选" in page
    r = c.get(reverse("congress_rounds:sheet", args=[rnd.pk]))
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    for needle in ("计票结果报告单", "发出选票 3 张", "收回选票 3 张", "有效票 3 张", "无效票 0 张", "道路亮化",
                   "赞成 3 票，反对 0 票，弃权 0 票；当选", "总监票人：张总监", "监票人：李、王"):
        assert needle in text, needle
    assert c.get(reverse("congress_rounds:list")).status_code == 200
    assert c.get(reverse("congress_rounds:list") + "?export=xlsx").status_code == 200


def test_phone_ballot_with_confirmation(world: World) -> None:
    s = make_session(world, total=3)
    rnd = open_round(world, s, n=3, seats=1, mode="phone")
    a, b, _c = ids(rnd)
    c = login(world.users[Role.DEPUTY])
    url = reverse("congress:vote", args=[rnd.pk])
    page = c.get(url).content.decode()
    assert "最多对 1 个事项投赞成票" in page
    r = c.post(url, {f"opt_{a}": "for", f"opt_{b}": "for"})
    assert r.status_code == 400 and "赞成票不能超过应选数 1 个" in r.content.decode()
    r = c.post(url, {})
    assert r.status_code == 400 and "请至少对一个事项作出选择" in r.content.decode()
    r = c.post(url, {f"opt_{a}": "for", f"opt_{b}": "against"})
    assert "请确认您的选择" in r.content.decode() and not Voted.objects.exists()
    r = c.post(url, {f"opt_{a}": "for", f"opt_{b}": "against", "confirm": "1"})
    assert r.status_code == 302
    assert "已投票" in c.get(url).content.decode()
    assert Ballot.objects.filter(round=rnd, filled=True).count() == 1
    assert list(selectors.rounds_open_for_deputy(world.users[Role.DEPUTY])) == []


def test_staff_sees_no_ballot_page_for_themselves(world: World) -> None:
    s = make_session(world, total=3)
    rnd = open_round(world, s, n=3, seats=1, mode="phone")
    assert login(staff(world)).get(reverse("congress:vote", args=[rnd.pk])).status_code == 403


@pytest.mark.parametrize("state", ["closed"])
def test_tally_visible_after_close(world: World, state: str) -> None:
    s = make_session(world, total=3)
    rnd = open_round(world, s, n=3, seats=1)
    enter(world, rnd, {ids(rnd)[0]: "for"})
    services.round_close(actor=staff(world), round_id=rnd.pk)
    page = login(world.users[Role.DEPUTY]).get(reverse("congress_rounds:detail", args=[rnd.pk])).content.decode()
    assert 'id="tally"' in page


def test_other_town_is_404(world: World) -> None:
    s = make_session(world, total=3)
    rnd = open_round(world, s, n=3, seats=1)
    c = login(world.other_staff)
    for url in (reverse("congress:detail", args=[s.pk]), reverse("congress_rounds:detail", args=[rnd.pk]),
                reverse("congress:vote", args=[rnd.pk])):
        assert c.get(url).status_code == 404


def test_start_date_is_kept(world: World) -> None:
    s = make_session(world, total=3)
    assert s.starts_on == STARTS


def test_home_cards(world: World) -> None:
    s = make_session(world, total=3)
    rnd = open_round(world, s, n=3, seats=1, mode="phone")
    deputy_home = login(world.users[Role.DEPUTY]).get(reverse("accounts:home"), follow=True).content.decode()
    assert "请您投票" in deputy_home and reverse("congress:vote", args=[rnd.pk]) in deputy_home
    office_home = login(staff(world)).get(reverse("accounts:home"), follow=True).content.decode()
    assert 'id="congress-work"' in office_home and "发出 3 张，收回 0 张" in office_home
    services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=rnd.pk, choices={ids(rnd)[0]: "for"})
    assert "请您投票" not in login(world.users[Role.DEPUTY]).get(reverse("accounts:home"), follow=True).content.decode()


def test_void_and_further_round_through_the_pages(world: World) -> None:
    s = make_session(world, total=9)
    c = login(staff(world))
    rnd = open_round(world, s, n=4, seats=2)
    a, b, cc, _d = ids(rnd)
    for marks in [{a: "for", b: "for"}] * 3 + [{a: "for", cc: "for"}] * 3 + [{b: "for", cc: "for"}] * 3:
        enter(world, rnd, marks)
    c.post(reverse("congress_rounds:close", args=[rnd.pk]), {"returned": 9})
    page = c.get(reverse("congress_rounds:detail", args=[rnd.pk])).content.decode()
    assert "并列，另行投票" in page and 'id="action-further"' in page
    r = c.post(reverse("congress_rounds:further", args=[rnd.pk]))
    further = VoteRound.objects.get(parent=rnd)
    assert r.status_code == 302 and r["Location"] == reverse("congress_rounds:detail", args=[further.pk])
    assert further.seats == 2 and further.options.count() == 3
    for _i in range(9):
        enter(world, further, {})
    r = c.post(reverse("congress_rounds:close", args=[further.pk]), {"returned": 10})
    further.refresh_from_db()
    assert further.state == "void"
    page = c.get(reverse("congress_rounds:detail", args=[further.pk])).content.decode()
    assert "收回选票多于发出选票，本轮投票无效" in page
