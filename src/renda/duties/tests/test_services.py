"""The duties services: activities (plan, hold, attendance, files, findings → suggestions),
the archive and its points, the settings, awards, and the reports to voters with their tally —
only counts are stored, no rating is linked to anyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.duties import selectors, services
from renda.duties.models import Activity, Attendance, VoterReport
from renda.duties.tests.helpers import D, make_activity, other_town_activity
from renda.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def held(world: World, **kw: object) -> Activity:
    staff = world.users[Role.STAFF]
    a = make_activity(world, **kw)  # type: ignore[arg-type]
    services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.deputy, attendance="attended")
    return services.activity_hold(actor=staff, activity_id=a.pk)


# --- activities -------------------------------------------------------------------------------


def test_plan_numbers_and_invites(world: World) -> None:
    a = make_activity(world)
    assert a.code == "HD2023-001" and a.state == "planned"
    assert set(a.participations.values_list("deputy_id", "attendance")) == {
        (world.deputy.pk, "expected"), (world.presidium_deputy.pk, "expected")}
    assert make_activity(world).code == "HD2023-002"


def test_plan_refuses_another_towns_deputy_and_a_bad_type(world: World) -> None:
    with pytest.raises(InvalidInput, match="不属于"):
        make_activity(world, deputies=[world.other_deputy])
    with pytest.raises(InvalidInput, match="活动类型不正确"):
        make_activity(world, type="party")
    with pytest.raises(InvalidInput, match="结束时间不能早于开始时间"):
        make_activity(world, starts_at=dt.time(9), ends_at=dt.time(8, 59))
    assert make_activity(world, starts_at=dt.time(9), ends_at=dt.time(9)).pk


def test_who_may_plan(world: World) -> None:
    for role in (Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER):
        with pytest.raises((Forbidden, NotFound)):
            make_activity(world, actor=world.users[role])
    with pytest.raises((Forbidden, NotFound)):
        make_activity(world, actor=world.other_staff)
    assert make_activity(world, actor=world.users[Role.PRESIDIUM]).pk


def test_holding_marks_those_not_signed_in_absent(world: World) -> None:
    a = held(world)
    assert dict(a.participations.values_list("deputy_id", "attendance")) == {
        world.deputy.pk: "attended", world.presidium_deputy.pk: "absent"}
    with pytest.raises(IllegalTransition):
        services.activity_hold(actor=world.users[Role.STAFF], activity_id=a.pk)


def test_an_activity_to_come_cannot_be_held_today_can(world: World) -> None:
    today = timezone.localdate()
    staff = world.users[Role.STAFF]
    later = make_activity(world, on=today + dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="还未到"):
        services.activity_hold(actor=staff, activity_id=later.pk)
    now = make_activity(world, on=today)
    assert services.activity_hold(actor=staff, activity_id=now.pk).state == "held"


def test_attendance_adds_a_deputy_and_an_archived_activity_takes_no_more(world: World) -> None:
    staff = world.users[Role.STAFF]
    a = held(world)
    p, changed = services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.plain_deputy,
                                                  attendance="leave", note="外出")
    assert changed and p.attendance == "leave" and p.note == "外出"
    _p, again = services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.plain_deputy,
                                                 attendance="leave", note="外出")
    assert not again
    services.activity_archive(actor=staff, activity_id=a.pk)
    with pytest.raises(IllegalTransition):
        services.activity_set_attendance(actor=staff, activity_id=a.pk, deputy=world.plain_deputy,
                                         attendance="attended")
    with pytest.raises(Forbidden):
        services.activity_set_attendance(actor=world.users[Role.DEPUTY], activity_id=a.pk, deputy=world.deputy,
                                         attendance="attended")


def test_cancel_needs_a_reason(world: World) -> None:
    a = make_activity(world)
    with pytest.raises(InvalidInput, match="请填写取消理由"):
        services.activity_cancel(actor=world.users[Role.STAFF], activity_id=a.pk, reason=" ")
    assert services.activity_cancel(actor=world.users[Role.STAFF], activity_id=a.pk, reason="改期").state == \
        "cancelled"


def test_files_and_photos_by_the_office_and_a_participant(world: World) -> None:
    a = make_activity(world)
    f = SimpleUploadedFile("听证报告.pdf", PDF, content_type="application/pdf")
    (saved,) = services.activity_attach(actor=world.users[Role.DEPUTY], activity_id=a.pk, files=[f])
    assert saved.original_name == "听证报告.pdf" and saved.kind == "report"
    with pytest.raises(InvalidInput, match="请选择要上传的文件"):
        services.activity_attach(actor=world.users[Role.STAFF], activity_id=a.pk, files=[])
    with pytest.raises(Forbidden):
        services.activity_attach(actor=world.extra_user, activity_id=a.pk, files=[f])  # a deputy not taking part


def test_a_finding_becomes_a_deputy_suggestion(world: World) -> None:
    a = held(world)
    link = services.activity_finding(actor=world.users[Role.DEPUTY], activity_id=a.pk, title="听证室无障碍设施不足",
                                     content="建议增设坡道")
    s = Suggestion.objects.get(pk=link.suggestion_id)
    assert s.kind == "deputy" and s.lead_deputy == world.deputy and s.town == world.town
    a.refresh_from_db()
    assert s.code in a.findings
    with pytest.raises(InvalidInput, match="不是本次活动的参加代表"):
        services.activity_finding(actor=world.users[Role.STAFF], activity_id=a.pk, title="另一问题",
                                  lead_deputy=world.plain_deputy)
    with pytest.raises(InvalidInput, match="请选择领衔代表"):
        services.activity_finding(actor=world.users[Role.STAFF], activity_id=a.pk, title="另一问题")


# --- archive, points, settings, awards ------------------------------------------------------


def test_the_archive_sorts_attendances_into_its_parts(world: World) -> None:
    staff = world.users[Role.STAFF]
    for t in ("inspection", "training", "group_meeting", "judicial_witness", "congress_session"):
        held(world, type=t, title=t)
    absent = make_activity(world, type="research", title="缺席的调研")
    services.activity_hold(actor=staff, activity_id=absent.pk)
    arc = selectors.archive(world.deputy)
    assert [p.activity.title for p in arc.inspections] == ["inspection"]
    assert [p.activity.title for p in arc.trainings] == ["training"]
    assert [p.activity.title for p in arc.groups] == ["group_meeting"]
    assert [p.activity.title for p in arc.others] == ["judicial_witness"]
    assert [p.activity.title for p in arc.sessions] == ["congress_session"]
    assert arc.motions == []


def test_session_attendance_is_one_selector_with_its_dates(world: World) -> None:
    held(world, type="congress_session", on=D("2023-01-05"))
    held(world, type="congress_session", on=D("2023-07-05"))
    assert selectors.session_attendance(world.deputy, D("2023-01-01"), D("2023-06-30")).count() == 1
    assert selectors.session_attendance(world.deputy).count() == 2


def test_points_follow_the_towns_weights(world: World) -> None:
    held(world, type="inspection")  # 3 by default
    held(world, type="study")  # 1
    services.report_draft(actor=world.users[Role.STAFF], deputy=world.deputy, year=2023)
    assert selectors.archive(world.deputy).points == 4
    services.settings_update(actor=world.users[Role.STAFF], town=world.town,
                             weights={"inspection": 10, "study": 0}, per_report=7)
    assert selectors.archive(world.deputy).points == 10
    r = VoterReport.objects.get()
    _rate(world, r)
    assert selectors.archive(world.deputy).points == 17
    ranks = selectors.ranking(world.users[Role.STAFF])
    assert ranks[0].deputy == world.deputy and ranks[0].points == 17 and ranks[0].attendances == 2
    assert {r.deputy for r in ranks} >= {world.plain_deputy} and world.other_deputy not in {r.deputy for r in ranks}


def test_settings_refuse_out_of_range_weights_and_others(world: World) -> None:
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput, match="0 至 100"):
        services.settings_update(actor=staff, town=world.town, weights={"study": 101})
    s, changed = services.settings_update(actor=staff, town=world.town, weights={"study": 100}, min_present=1)
    assert changed and s.weight("study") == 100 and s.min_present == 1
    with pytest.raises(InvalidInput, match="最少到会人数"):
        services.settings_update(actor=staff, town=world.town, min_present=0)
    with pytest.raises(Forbidden):
        services.settings_update(actor=world.users[Role.PRESIDIUM], town=world.town, min_present=40)
    with pytest.raises((Forbidden, NotFound)):
        services.settings_update(actor=world.other_staff, town=world.town, min_present=40)


def test_an_award_is_dated_not_after_today(world: World) -> None:
    staff = world.users[Role.STAFF]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        services.award_create(actor=staff, deputy=world.deputy, title="优秀代表", body="区人大常委会", on=tomorrow)
    award = services.award_create(actor=staff, deputy=world.deputy, title="优秀代表", body="区人大常委会",
                                  on=timezone.localdate())
    assert selectors.archive(world.deputy).awards == [award]


# --- reports to voters ----------------------------------------------------------------------


def _rate(world: World, r: VoterReport, **kw: int) -> VoterReport:
    staff = world.users[Role.STAFF]
    if r.state == "drafting":
        services.report_submit(actor=staff, report_id=r.pk)
    counts = {"present": 80, "satisfied": 60, "basically_satisfied": 15, "dissatisfied": 3} | kw
    return services.report_rate(actor=staff, report_id=r.pk, meeting_on=D("2023-06-20"), meeting_place="村委会",
                                **counts)


def test_the_draft_comes_from_the_archive_and_the_deputy_edits_it(world: World) -> None:
    held(world, type="inspection", title="实地检查防返贫监测", on=D("2023-03-22"))
    deputy = world.users[Role.DEPUTY]
    r = services.report_draft(actor=deputy, deputy=world.deputy, year=2023)
    assert "实地检查防返贫监测" in r.text and "视察调研" in r.text
    r, changed = services.report_edit(actor=deputy, report_id=r.pk, text="我的述职报告")
    assert changed and r.text == "我的述职报告"
    with pytest.raises(Conflict, match="已存在"):
        services.report_draft(actor=deputy, deputy=world.deputy, year=2023)
    with pytest.raises((Forbidden, NotFound)):
        services.report_draft(actor=deputy, deputy=world.plain_deputy, year=2023)
    assert services.report_submit(actor=deputy, report_id=r.pk).state == "submitted"
    with pytest.raises(Forbidden):
        services.report_rate(actor=deputy, report_id=r.pk, meeting_on=D("2023-06-20"), present=80, satisfied=1,
                             basically_satisfied=0, dissatisfied=0)


def test_a_term_cadence_allows_one_report_a_term(world: World) -> None:
    staff = world.users[Role.STAFF]
    services.settings_update(actor=staff, town=world.town, report_cadence="term")
    services.report_draft(actor=staff, deputy=world.deputy, year=2022)
    with pytest.raises(Conflict, match="每届一次"):
        services.report_draft(actor=staff, deputy=world.deputy, year=2023)


def test_the_tally_is_recorded_from_the_minimum_present(world: World) -> None:
    r = services.report_draft(actor=world.users[Role.STAFF], deputy=world.deputy, year=2023)
    with pytest.raises(InvalidInput, match="到会人数不足 50 人"):
        _rate(world, r, present=49, satisfied=40, basically_satisfied=5, dissatisfied=0)
    r.refresh_from_db()
    assert r.state == "submitted" and r.present is None
    r = _rate(world, r, present=50, satisfied=40, basically_satisfied=8, dissatisfied=2)
    assert (r.state, r.present, r.satisfied, r.basically_satisfied, r.dissatisfied) == ("rated", 50, 40, 8, 2)


def test_the_minimum_is_the_towns(world: World) -> None:
    services.settings_update(actor=world.users[Role.STAFF], town=world.town, min_present=30)
    r = services.report_draft(actor=world.users[Role.STAFF], deputy=world.deputy, year=2023)
    r = _rate(world, r, present=30, satisfied=20, basically_satisfied=5, dissatisfied=5)
    assert r.state == "rated"


def test_no_rating_is_linked_to_a_person(world: World) -> None:
    """Only three counts are stored: no model of the app holds a row per voter or a rater, and
    the audit trail of the rating names no one but the office that recorded it."""
    r = services.report_draft(actor=world.users[Role.STAFF], deputy=world.deputy, year=2023)
    r = _rate(world, r)
    rating_fields = {f.name for f in VoterReport._meta.get_fields()}
    assert {"satisfied", "basically_satisfied", "dissatisfied"} <= rating_fields
    for model in (VoterReport,):
        for f in model._meta.get_fields():
            if f.is_relation:
                assert f.name in {"town", "deputy", "transitions"}, f.name
    tables = {t for t in connection.introspection.table_names() if t.startswith("duties_")}
    assert tables == {"duties_activity", "duties_activityattachment", "duties_activitysuggestion",
                      "duties_activitytransition", "duties_award", "duties_dutysettings", "duties_participation",
                      "duties_voterreport", "duties_voterreporttransition"}  # no table of ratings or raters
    event = AuditEvent.objects.filter(verb="voter_report.rate").get()
    assert event.after["satisfied"] == 60 and "voter" not in str(event.after)


def test_feedback_and_filing(world: World) -> None:
    staff = world.users[Role.STAFF]
    r = _rate(world, services.report_draft(actor=staff, deputy=world.deputy, year=2023))
    with pytest.raises(InvalidInput, match="请填写反馈意见"):
        services.report_feedback(actor=staff, report_id=r.pk, feedback=" ")
    r, _c = services.report_feedback(actor=staff, report_id=r.pk, feedback="希望多反映村道维修问题")
    r = services.report_file(actor=staff, report_id=r.pk, on=D("2023-06-25"))
    assert r.state == "filed" and r.filed_on == D("2023-06-25")
    with pytest.raises(IllegalTransition):
        services.report_edit(actor=staff, report_id=r.pk, text="改")


def test_a_district_deputy_elected_in_the_town_reports_too(world: World) -> None:
    from tests.support import make_deputy

    district = make_deputy(world.town, level="district")
    r = services.report_draft(actor=world.users[Role.STAFF], deputy=district, year=2023)
    assert r.town == world.town and _rate(world, r).state == "rated"


def test_another_towns_activity_is_not_found_for_the_office(world: World) -> None:
    a = other_town_activity(world)
    with pytest.raises(NotFound):
        services.activity_hold(actor=world.users[Role.STAFF], activity_id=a.pk)
    assert Attendance.ATTENDED == "attended"
