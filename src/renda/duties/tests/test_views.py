"""The duties pages: the activity list (filters, export), the form, the detail page and its
actions, the A4 QR poster, the phone sign-in page, the archive (page and Word), the ranking,
the settings and the report-to-voters pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from tests.support import World

from renda.core.roles import Role
from renda.duties import services
from renda.duties.models import Activity, Attendance, DutySettings, VoterReport
from renda.duties.tests.helpers import make_activity, other_town_activity

pytestmark = pytest.mark.django_db


def client(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.users[role])
    return c


def test_list_filters_search_and_export(world: World) -> None:
    make_activity(world)
    make_activity(world, type="study", title="学习会")
    other_town_activity(world)
    c = client(world, Role.STAFF)
    html = c.get(reverse("duty_activities:list")).content.decode()
    assert "区检察院案件公开听证" in html and "学习会" in html and "别镇学习会" not in html
    html = c.get(reverse("duty_activities:list"), {"type": "study"}).content.decode()
    assert "学习会" in html and "区检察院案件公开听证" not in html
    html = c.get(reverse("duty_activities:list"), {"q": "公开听证"}).content.decode()
    assert "区检察院案件公开听证" in html and "学习会" not in html
    response = c.get(reverse("duty_activities:list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:3] == ("编号", "活动名称", "活动类型") and len(rows) == 3


def test_a_deputy_filters_their_own_activities(world: World) -> None:
    make_activity(world)
    make_activity(world, title="别人的活动", deputies=[world.plain_deputy])
    html = client(world, Role.DEPUTY).get(reverse("duty_activities:list"), {"mine": "yes"}).content.decode()
    assert "区检察院案件公开听证" in html and "别人的活动" not in html


def test_the_form_plans_an_activity_and_reports_errors(world: World) -> None:
    c = client(world, Role.STAFF)
    data = {"type": "symposium", "title": "区检察院座谈会", "on": "2023-06-15", "starts_at": "14:30",
            "ends_at": "14:00", "organizer_kind": "procuratorate", "organizer": "区人民检察院",
            "deputies": [world.deputy.pk]}
    response = c.post(reverse("duty_activities:create"), data)
    assert response.status_code == 200 and "结束时间不能早于开始时间" in response.content.decode()
    response = c.post(reverse("duty_activities:create"), data | {"ends_at": "17:00"})
    a = Activity.objects.get()
    assert response.status_code == 302 and a.town == world.town and a.starts_at == dt.time(14, 30)
    assert list(a.participations.values_list("deputy_id", flat=True)) == [world.deputy.pk]


def test_detail_offers_the_actions_and_holds(world: World) -> None:
    a = make_activity(world)
    c = client(world, Role.STAFF)
    html = c.get(reverse("duty_activities:detail", args=[a.pk])).content.decode()
    for action in ("hold", "attendance", "attach", "finding", "cancel"):
        assert f'id="action-{action}"' in html
    assert 'id="action-archive"' not in html and "poster-link" in html
    response = c.post(reverse("duty_activities:act", args=[a.pk, "attendance"]),
                      {"attendance-state": "planned", "attendance-deputy": world.deputy.pk,
                       "attendance-attendance": "leave", "attendance-note": "外出学习"})
    assert response.status_code == 302
    response = c.post(reverse("duty_activities:act", args=[a.pk, "hold"]),
                      {"hold-state": "planned", "hold-outcome": "发表听证意见"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.state == "held" and a.outcome == "发表听证意见"
    assert a.participations.get(deputy=world.deputy).attendance == "leave"
    stale = c.post(reverse("duty_activities:act", args=[a.pk, "cancel"]), {"cancel-state": "planned",
                                                                          "cancel-reason": "x"})
    assert stale.status_code == 400


def test_a_deputy_sees_no_management_actions(world: World) -> None:
    a = make_activity(world)
    html = client(world, Role.DEPUTY).get(reverse("duty_activities:detail", args=[a.pk])).content.decode()
    assert 'id="action-hold"' not in html and 'id="action-finding"' in html and "poster-link" not in html
    assert 'id="my-attendance"' in html


def test_the_poster_is_an_a4_page_with_the_signed_qr(world: World) -> None:
    a = make_activity(world)
    html = client(world, Role.STAFF).get(reverse("duty_activities:poster", args=[a.pk])).content.decode()
    assert "<svg" in html and "viewBox" in html and "poster.css" in html
    assert "参加代表请用手机扫码签到" in html and "2023-03-01 07:00" in html


def _today_activity(world: World) -> Activity:
    return make_activity(world, on=timezone.localdate(), starts_at=None, ends_at=None)


def test_signing_in_through_the_page(world: World) -> None:
    a = _today_activity(world)
    url = reverse("duties:signin", args=[services.signin_token(a)])
    c = client(world, Role.DEPUTY)
    html = c.get(url).content.decode()
    assert 'id="signin-form"' in html and a.title in html
    response = c.post(url)
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    assert a.participations.get(deputy=world.deputy).attendance == Attendance.ATTENDED
    again = c.post(url)
    assert again.status_code == 409 and "无需重复签到" in again.content.decode()
    assert "无需重复签到" in c.get(url).content.decode()


def test_sign_in_refusals_on_the_page(world: World) -> None:
    a = _today_activity(world)
    url = reverse("duties:signin", args=[services.signin_token(a)])
    forged = client(world, Role.DEPUTY).post(reverse("duties:signin", args=["abc:def"]))
    assert forged.status_code == 400 and "签到链接无效" in forged.content.decode()
    outsider = Client()
    outsider.force_login(world.extra_user)  # the plain deputy: same town, not taking part
    response = outsider.post(url)
    assert response.status_code == 400 and "参加代表名单" in response.content.decode()
    assert client(world, Role.STAFF).post(url).status_code == 403
    other = other_town_activity(world, on=timezone.localdate())
    assert client(world, Role.DEPUTY).get(reverse("duties:signin", args=[services.signin_token(other)])) \
        .status_code == 404


def test_the_archive_page_and_its_word_file(world: World) -> None:
    staff = world.users[Role.STAFF]
    a = make_activity(world, type="inspection", title="实地检查防返贫监测")
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.deputy, attendance="attended")
    services.activity_hold(actor=staff, activity_id=a.pk)
    c = client(world, Role.DEPUTY)
    assert c.get(reverse("duties:archives")).status_code == 302
    html = c.get(reverse("duties:archive", args=[world.deputy.pk])).content.decode()
    assert "实地检查防返贫监测" in html and 'id="motions"' in html and "暂无议案" in html
    assert 'id="points-total">3<' in html
    assert c.get(reverse("duties:archive", args=[world.plain_deputy.pk])).status_code == 404
    response = c.get(reverse("duties:archive_docx", args=[world.deputy.pk]))
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    assert "人大代表履职档案" in text and "实地检查防返贫监测" in text and "合计 3 分" in text


def test_the_archive_period_filter(world: World) -> None:
    staff = world.users[Role.STAFF]
    a = make_activity(world, type="inspection", title="三月的视察")
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.deputy, attendance="attended")
    services.activity_hold(actor=staff, activity_id=a.pk)
    c = client(world, Role.STAFF)
    url = reverse("duties:archive", args=[world.deputy.pk])
    assert "三月的视察" not in c.get(url, {"date_from": "2023-03-02"}).content.decode()
    assert "三月的视察" in c.get(url, {"date_from": "2023-03-01", "date_to": "2023-03-01"}).content.decode()
    assert "截止日期不能早于起始日期" in c.get(url, {"date_from": "2023-03-02", "date_to": "2023-03-01"}) \
        .content.decode()


def test_the_ranking_is_for_the_presidium_and_office(world: World) -> None:
    assert client(world, Role.PRESIDIUM).get(reverse("duties:ranking")).status_code == 200
    response = client(world, Role.STAFF).get(reverse("duties:ranking"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "名次" and len(rows) > 1
    for role in (Role.DEPUTY, Role.UNIT, Role.DISTRICT_VIEWER):
        assert client(world, role).get(reverse("duties:ranking")).status_code == 403


def test_settings_page_saves_the_weights(world: World) -> None:
    c = client(world, Role.STAFF)
    html = c.get(reverse("duties:settings")).content.decode()
    assert "司法见证（每次）" in html
    data = {f"weight_{k}": 2 for k in ("research", "inspection", "law_inspection", "hearing", "judicial_witness",
                                       "symposium", "training", "voter_reception", "review", "study",
                                       "law_comment", "group_meeting", "presidium_meeting", "congress_session")}
    data |= {"per_suggestion": 4, "per_report": 6, "report_cadence": "term", "min_present": 30}
    assert c.post(reverse("duties:settings"), data).status_code == 302
    s = DutySettings.objects.get(town=world.town)
    assert s.weight("judicial_witness") == 2 and s.min_present == 30 and s.report_cadence == "term"
    bad = c.post(reverse("duties:settings"), data | {"min_present": 0})
    assert bad.status_code == 400


def test_the_report_pages_draft_rate_and_keep_only_counts(world: World) -> None:
    deputy = client(world, Role.DEPUTY)
    response = deputy.post(reverse("duty_reports:create"), {"deputy": world.deputy.pk, "year": 2023})
    r = VoterReport.objects.get()
    assert response.status_code == 302 and r.deputy == world.deputy and "各位选民" in r.text
    assert deputy.post(reverse("duty_reports:act", args=[r.pk, "submit"]), {"submit-state": "drafting"}) \
        .status_code == 302
    staff = client(world, Role.STAFF)
    rate = {"rate-state": "submitted", "rate-meeting_on": "2023-06-20", "rate-meeting_place": "村委会",
            "rate-present": 49, "rate-satisfied": 40, "rate-basically_satisfied": 5, "rate-dissatisfied": 1}
    response = staff.post(reverse("duty_reports:act", args=[r.pk, "rate"]), rate)
    assert response.status_code == 400 and "到会人数不足 50 人" in response.content.decode()
    response = staff.post(reverse("duty_reports:act", args=[r.pk, "rate"]), rate | {"rate-present": 50})
    assert response.status_code == 302
    html = staff.get(reverse("duty_reports:detail", args=[r.pk])).content.decode()
    assert 'data-key="satisfied">40<' in html and "不记录任何人的测评意见" in html


def test_archive_index_search_with_a_nul_byte_is_not_an_error(world: World) -> None:
    """PostgreSQL refuses NUL in text: the search drops it (found by tests/reliability/test_query_params)."""
    from django.test import Client

    client = Client()
    client.force_login(world.users[Role.STAFF])
    assert client.get("/duties/archive/", {"q": "a\x00b"}).status_code == 200
