from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from tests.support import World

from renda.audit.models import AuditEvent
from renda.calendar_days import services, views
from renda.calendar_days.models import CalendarDay
from renda.core.roles import Role

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
INDEX = "/calendar/"
WARNING = "2027年的节假日安排尚未录入"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    day = D("2026-11-27")
    monkeypatch.setattr(views, "today", lambda: day)
    return day


def login(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_url_names() -> None:
    assert reverse("calendar_days:index") == INDEX
    assert reverse("calendar_days:set") == "/calendar/set/"
    assert reverse("calendar_days:delete", args=["2027-01-01"]) == "/calendar/2027-01-01/delete/"


def test_anonymous_is_sent_to_login(db: None) -> None:
    for url in (INDEX, reverse("calendar_days:delete", args=["2027-01-01"])):
        response = Client().get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = Client().post(reverse("calendar_days:set"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.DEPUTY, Role.UNIT, Role.DISTRICT_VIEWER])
def test_non_admin_sees_the_calendar_without_the_form(world: World, role: str) -> None:
    response = login(world, role).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作日历 2026年" in html
    assert "2026-02-28" in html and "调休上班" in html and "春节" in html
    assert WARNING in html and "请联系系统管理员录入" in html
    assert reverse("calendar_days:set") not in html and 'name="kind"' not in html
    assert "删除调整" not in html


def test_admin_sees_the_form(world: World) -> None:
    response = login(world, Role.ADMIN).get(INDEX, {"year": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作日历 2023年" in html
    assert "2022-12-31" not in html  # listed under 2023's 元旦 but it is a 2022 date
    assert "2023-01-28" in html and "2023-10-06" in html
    assert f'action="{reverse("calendar_days:set")}"' in html and 'name="kind"' in html
    assert WARNING in html  # about the year after today, whichever year is shown


def test_prefill_from_date(world: World) -> None:
    html = login(world, Role.ADMIN).get(INDEX, {"year": 2024, "date": "2024-02-18"}).content.decode()
    assert 'value="2024-02-18"' in html
    assert '<option value="workday" selected>' in html


def test_unknown_year_notice(world: World) -> None:
    html = login(world, Role.STAFF).get(INDEX, {"year": 2031}).content.decode()
    assert "2031年没有节假日数据" in html
    html = login(world, Role.STAFF).get(INDEX, {"year": "abc"}).content.decode()
    assert "工作日历 2026年" in html


def test_admin_adds_changes_and_deletes_a_day(world: World) -> None:
    client = login(world, Role.ADMIN)
    response = client.post(reverse("calendar_days:set"),
                           {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "note": "国办发明电"})
    assert response.status_code == 302 and response["Location"] == f"{INDEX}?year=2027"
    day = CalendarDay.objects.get(date=D("2027-01-01"))
    assert AuditEvent.objects.filter(verb="calendar_day.create", target_id=str(day.pk), source="web").exists()

    html = client.get(response["Location"]).content.decode()
    assert "管理员录入" in html and "国办发明电" in html and "删除调整" in html
    assert WARNING not in html  # 2027 now has an arrangement

    # Change a bundled day: the page shows the override and what the notice said.
    client.post(reverse("calendar_days:set"), {"date": "2023-01-28", "kind": "holiday", "name": "春节"})
    html = client.get(INDEX, {"year": 2023}).content.decode()
    assert "原通知：" in html

    delete_url = reverse("calendar_days:delete", args=["2027-01-01"])
    confirm = client.get(delete_url)
    assert confirm.status_code == 200
    assert "确认删除" in confirm.content.decode() and "按工作日计算" in confirm.content.decode()
    assert CalendarDay.objects.filter(date=D("2027-01-01")).exists()
    done = client.post(delete_url)
    assert done.status_code == 302
    assert not CalendarDay.objects.filter(date=D("2027-01-01")).exists()
    assert AuditEvent.objects.filter(verb="calendar_day.delete", target_id=str(day.pk)).exists()

    confirm = client.get(reverse("calendar_days:delete", args=["2023-01-28"])).content.decode()
    assert "按国务院通知计算：调休上班（春节）" in confirm
    assert client.get(reverse("calendar_days:delete", args=["2027-01-01"])).status_code == 404
    assert client.get(reverse("calendar_days:delete", args=["not-a-date"])).status_code == 404


def test_admin_form_errors(world: World) -> None:
    client = login(world, Role.ADMIN)
    response = client.post(reverse("calendar_days:set"), {"date": "2027-01-01", "kind": "holiday", "name": ""})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    response = client.post(reverse("calendar_days:set"), {"date": "1999-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 400
    assert "日期须在2000年至2099年之间" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_non_admin_cannot_change(world: World) -> None:
    services.calendar_day_set(actor=None, date=D("2027-01-01"), kind="holiday", name="元旦")
    client = login(world, Role.STAFF)
    response = client.post(reverse("calendar_days:set"), {"date": "2027-01-02", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 403
    delete_url = reverse("calendar_days:delete", args=["2027-01-01"])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url).status_code == 403
    assert CalendarDay.objects.count() == 1
