"""The services of livelihood projects, through their rules at the edges (one each side)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.support import World

from renda.audit.models import AuditEvent
from renda.congress import services as congress
from renda.congress.tests.helpers import make_session
from renda.core.errors import Conflict, IllegalTransition, InvalidInput
from renda.core.roles import Role
from renda.notifications.models import Notification
from renda.projects import selectors, services
from renda.projects.models import Candidate, CandidateList, Project, ProjectPhoto
from renda.projects.tests.helpers import (
    YEAR,
    D,
    candidate,
    candidates,
    presidium,
    project,
    staff,
    submitted_list,
    window,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
pytestmark = pytest.mark.django_db


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


# --- collection window, screening, excluded kinds --------------------------------------------------


def test_collection_window_edges(world: World) -> None:
    window(world)  # 2022-10-01 … 2022-12-31
    for day in ("2022-10-01", "2022-12-31"):
        assert candidate(world, screened=False, on=D(day)).state == "collected"
    for day in ("2022-09-30", "2023-01-01"):
        with pytest.raises(InvalidInput, match="不在 2023 年度项目征集期"):
            candidate(world, screened=False, on=D(day))


def test_no_window_refused(world: World) -> None:
    with pytest.raises(InvalidInput, match="征集期尚未设置"):
        candidate(world, screened=False)


def test_excluded_kind_cannot_be_listed(world: World) -> None:
    window(world)
    services.excluded_kind_create(actor=staff(world), town=world.town, name="楼堂馆所")
    c = candidate(world, kind="楼堂馆所")
    assert c.state == "rejected" and "不予列入" in c.feasibility
    ok = candidate(world, kind="道路")
    assert ok.state == "screened"
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    with pytest.raises(InvalidInput, match="不能列入候选名单"):
        services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[ok.pk, c.pk])


def test_screening_needs_an_estimate_in_decimal(world: World) -> None:
    window(world)
    c = candidate(world, screened=False)
    with pytest.raises(InvalidInput, match="估算投资"):
        services.candidate_screen(actor=staff(world), candidate_id=c.pk, feasible=True, on=D("2022-12-01"))
    c = services.candidate_screen(actor=staff(world), candidate_id=c.pk, feasible=True, estimate="1,234,567.891",
                                  on=D("2022-12-01"))
    c.refresh_from_db()
    assert c.estimate == Decimal("1234567.89") and isinstance(c.estimate, Decimal)


def test_suggestion_turned_into_a_candidate_linked_both_ways(world: World) -> None:
    from tests.reliability.samples import register_public

    window(world)
    s = register_public(world, world.town, world.grid)
    c = services.candidate_from_suggestion(actor=staff(world), suggestion_id=s.pk, year=YEAR, on=D("2022-11-02"))
    assert c.suggestion_id == s.pk and c.source == "suggestion"
    assert list(selectors.candidates_for_suggestion(staff(world), s.pk)) == [c]
    with pytest.raises(Conflict):
        services.candidate_from_suggestion(actor=staff(world), suggestion_id=s.pk, year=YEAR, on=D("2022-11-02"))


# --- 差额: the list must hold more candidates than seats -----------------------------------------


def test_surplus_refused_at_the_edge(world: World) -> None:
    services.settings_set(actor=staff(world), town=world.town, seats=2, min_surplus=1)
    cs = candidates(world, 3)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs[:2]])
    with pytest.raises(InvalidInput, match=r"差额票决.*应不少于 3 个候选项目，现有 2 个"):
        services.candidate_list_submit(actor=presidium(world), list_id=cl.pk)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    cl = services.candidate_list_submit(actor=presidium(world), list_id=cl.pk)
    assert cl.state == "submitted" and cl.submitted_by == world.presidium_deputy


def test_only_the_presidium_submits(world: World) -> None:
    cs = candidates(world, 3)
    cl = services.candidate_list_create(actor=staff(world), town=world.town, year=YEAR)
    services.candidate_list_set(actor=staff(world), list_id=cl.pk, candidate_ids=[c.pk for c in cs])
    from renda.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.candidate_list_submit(actor=staff(world), list_id=cl.pk)


# --- the vote through congress -------------------------------------------------------------------------


def _enter(world: World, r: Any, marks: dict[int, str], n: int) -> None:
    for _i in range(n):
        congress.ballot_enter(actor=staff(world), round_id=r.pk, choices=marks)


def _opt(r: Any) -> dict[int, int]:
    """candidate id → option id."""
    return dict(r.options.values_list("ref_id", "pk"))


def test_vote_adopts_the_top_n_over_half_of_all_deputies(world: World) -> None:
    cl = submitted_list(world, 4)
    session = make_session(world, total=9, present=9)
    r = services.candidate_list_vote(actor=staff(world), list_id=cl.pk, session_id=session.pk,
                                     chief_scrutineer="张总监", scrutineers="李监票")
    assert CandidateList.objects.get(pk=cl.pk).state == "voting"
    c1, c2, c3, c4 = cl.candidates.order_by("position")
    o = _opt(r)
    # c1: 9 for, c2: 5 for (more than half of 9), c3: 4 for (not more than half), c4: 0
    _enter(world, r, {o[c1.pk]: "for", o[c2.pk]: "for"}, 4)
    _enter(world, r, {o[c1.pk]: "for", o[c3.pk]: "for"}, 4)
    _enter(world, r, {o[c1.pk]: "for", o[c2.pk]: "for"}, 1)
    congress.round_close(actor=staff(world), round_id=r.pk)
    states = dict(Candidate.objects.filter(candidate_list=cl).values_list("pk", "state"))
    assert states == {c1.pk: "adopted", c2.pk: "adopted", c3.pk: "not_adopted", c4.pk: "not_adopted"}
    projects = Project.objects.filter(candidate__candidate_list=cl).order_by("code")
    assert [p.title for p in projects] == [c1.title, c2.title]
    assert all(session.starts_on <= p.adopted_on <= session.ends_on and p.lead_unit == world.unit for p in projects)
    assert all(p.stages.count() == 7 for p in projects)
    assert CandidateList.objects.get(pk=cl.pk).state == "decided"


def test_tie_at_the_cut_off_waits_for_the_further_round(world: World) -> None:
    cl = submitted_list(world, 3)
    session = make_session(world, total=10, present=10)
    r = services.candidate_list_vote(actor=staff(world), list_id=cl.pk, session_id=session.pk)
    c1, c2, c3 = cl.candidates.order_by("position")
    o = _opt(r)
    # seats 2 of 10 deputies: c1 8 for; c2 and c3 6 each (both over half): tied for the second seat
    _enter(world, r, {o[c1.pk]: "for", o[c2.pk]: "for"}, 4)
    _enter(world, r, {o[c1.pk]: "for", o[c3.pk]: "for"}, 4)
    _enter(world, r, {o[c2.pk]: "for", o[c3.pk]: "for"}, 2)
    r = congress.round_close(actor=staff(world), round_id=r.pk)
    states = dict(Candidate.objects.filter(candidate_list=cl).values_list("pk", "state"))
    assert states == {c1.pk: "adopted", c2.pk: "listed", c3.pk: "listed"}
    assert CandidateList.objects.get(pk=cl.pk).state == "voting"
    assert Project.objects.count() == 1
    further = congress.round_open_further(actor=staff(world), round_id=r.pk)
    o = _opt(further)
    assert set(o) == {c2.pk, c3.pk}
    _enter(world, further, {o[c2.pk]: "for"}, 6)
    _enter(world, further, {o[c3.pk]: "for"}, 4)
    congress.round_close(actor=staff(world), round_id=further.pk)
    states = dict(Candidate.objects.filter(candidate_list=cl).values_list("pk", "state"))
    assert states == {c1.pk: "adopted", c2.pk: "adopted", c3.pk: "not_adopted"}
    cl = CandidateList.objects.get(pk=cl.pk)
    assert cl.state == "decided" and cl.vote_round_id == r.pk
    assert Project.objects.count() == 2


def test_void_round_decides_nothing(world: World) -> None:
    cl = submitted_list(world, 3)
    session = make_session(world, total=9, present=9)
    r = services.candidate_list_vote(actor=staff(world), list_id=cl.pk, session_id=session.pk)
    o = _opt(r)
    c1 = cl.candidates.order_by("position")[0]
    _enter(world, r, {o[c1.pk]: "for"}, 9)
    congress.round_close(actor=staff(world), round_id=r.pk, returned=10)  # more returned than issued
    assert not Project.objects.exists()
    assert set(cl.candidates.values_list("state", flat=True)) == {"listed"}


# --- implementation plan ---------------------------------------------------------------------------------


def test_plan_deadline_within_the_year(world: World) -> None:
    p = project(world)
    kw: dict[str, Any] = {"actor": staff(world), "project_id": p.pk, "lead_unit": world.unit, "targets": "新建路灯"}
    services.project_plan(**kw, deadline=D("2023-12-31"), supervisor=world.presidium_deputy, deputies=[world.deputy])
    with pytest.raises(InvalidInput, match="完成时限应在 2023 年内"):
        services.project_plan(**kw, deadline=D("2024-01-01"))
    with pytest.raises(InvalidInput, match="缺少 2024 年"):
        services.project_plan(**kw, deadline=D("2024-06-30"), end_year=2024,
                              year_targets=[services.YearTargetIn(2023, "完成设计")])
    p = services.project_plan(**kw, deadline=D("2024-06-30"), end_year=2024, funding_amount="3000000",
                              year_targets=[services.YearTargetIn(2023, "完成设计", "1000000"),
                                            services.YearTargetIn(2024, "完工", Decimal("2000000"))])
    assert p.year_targets.count() == 2 and p.funding_amount == Decimal("3000000.00")


def test_supervisor_must_be_presidium(world: World) -> None:
    p = project(world)
    with pytest.raises(InvalidInput, match="主席团成员"):
        services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="",
                              deadline=None, supervisor=world.deputy)


# --- stages, progress, warnings --------------------------------------------------------------------------


def test_progress_from_stages_and_by_hand(world: World) -> None:
    p = project(world)
    assert selectors.progress_of(p) == 0 and selectors.stage_of(p) == "initiation"
    for stage in ("initiation", "design", "budget"):
        services.project_stage_set(actor=staff(world), project_id=p.pk, stage=stage, actual_start=D("2023-02-01"),
                                   actual_end=D("2023-03-01"))
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="tender", actual_start=D("2023-03-02"))
    p = Project.objects.get(pk=p.pk)
    assert selectors.progress_of(p) == 25  # 5 + 10 + 5 + half of 10
    assert selectors.stage_of(p) == "tender"
    with pytest.raises(InvalidInput, match="说明理由"):
        services.project_progress_set(actor=staff(world), project_id=p.pk, progress=40)
    with pytest.raises(InvalidInput, match="0 至 100"):
        services.project_progress_set(actor=staff(world), project_id=p.pk, progress=101, reason="x")
    p = services.project_progress_set(actor=staff(world), project_id=p.pk, progress=100, reason="已全部完工")
    assert selectors.progress_of(p) == 100
    p = services.project_progress_set(actor=staff(world), project_id=p.pk, progress=None)
    assert selectors.progress_of(Project.objects.get(pk=p.pk)) == 25


def test_stage_dates_checked(world: World) -> None:
    p = project(world)
    with pytest.raises(InvalidInput, match="实际开始"):
        services.project_stage_set(actor=staff(world), project_id=p.pk, stage="design", actual_end=D("2023-03-01"))
    with pytest.raises(InvalidInput, match="早于开始"):
        services.project_stage_set(actor=staff(world), project_id=p.pk, stage="design", planned_start=D("2023-03-01"),
                                   planned_end=D("2023-02-28"))


def test_stage_warning_the_day_after_its_planned_end(world: World) -> None:
    p = project(world)
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="tender", planned_start=D("2023-03-01"),
                               planned_end=D("2023-04-30"))
    p = Project.objects.get(pk=p.pk)
    assert selectors.warnings_of(p, D("2023-04-30")) == []
    (w,) = selectors.warnings_of(p, D("2023-05-01"))
    assert w.kind == "stage_overdue" and "招标" in w.text and "1 天" in w.text
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="tender", planned_start=D("2023-03-01"),
                               planned_end=D("2023-04-30"), actual_start=D("2023-03-01"), actual_end=D("2023-05-02"))
    assert selectors.warnings_of(Project.objects.get(pk=p.pk), D("2023-06-01")) == []


def test_money_warnings_at_the_edges_and_notified(world: World, django_capture_on_commit_callbacks: Any) -> None:
    p = project(world)
    services.project_money_set(actor=staff(world), project_id=p.pk, tender_ceiling=Decimal("2800000.00"),
                               bid_price=Decimal("2800000.00"), contract_price="2800000", paid="2800000.00")
    assert selectors.warnings_of(Project.objects.get(pk=p.pk)) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.project_money_set(actor=staff(world), project_id=p.pk, bid_price=Decimal("2800000.01"))
    (w,) = selectors.warnings_of(Project.objects.get(pk=p.pk))
    assert w.kind == "bid_over_ceiling" and "2,800,000.01" in w.text
    assert Notification.objects.filter(verb="project.warning", user=world.users[Role.STAFF]).exists()
    assert Notification.objects.filter(verb="project.warning", user=world.users[Role.PRESIDIUM]).exists()
    services.project_money_set(actor=staff(world), project_id=p.pk, paid="2800000.01")
    kinds = {w.kind for w in selectors.warnings_of(Project.objects.get(pk=p.pk))}
    assert kinds == {"bid_over_ceiling", "paid_over_contract"}


def test_no_float_reaches_money(world: World) -> None:
    p = project(world)
    with pytest.raises(TypeError):
        services.project_money_set(actor=staff(world), project_id=p.pk, paid=0.1)
    with pytest.raises(TypeError):
        services.project_adopt(actor=staff(world), town=world.town, year=YEAR, title="x", budget=1.5)
    with pytest.raises(InvalidInput, match="不能为负数"):
        services.project_money_set(actor=staff(world), project_id=p.pk, paid="-1")
    with pytest.raises(InvalidInput, match="不是有效的金额"):
        services.project_money_set(actor=staff(world), project_id=p.pk, paid="一百")
    # 0.1 + 0.2 is exactly 0.3 in yuan
    services.project_money_set(actor=staff(world), project_id=p.pk, contract_price="0.10", paid="0.20")
    p = Project.objects.get(pk=p.pk)
    assert p.contract_price is not None and p.paid is not None
    assert p.contract_price + p.paid == Decimal("0.30")
    for f in Project._meta.get_fields():
        value = getattr(p, f.name, None) if f.concrete else None
        assert not isinstance(value, float), f.name


# --- progress reports, photos ---------------------------------------------------------------------------


def test_progress_report_with_a_public_photo(world: World) -> None:
    p = project(world)
    r = services.project_report_progress(actor=staff(world), project_id=p.pk, text="路灯基础已完成", on=D("2023-05-10"),
                                         files=[png()], public=True)
    (photo,) = r.attachments.all()
    assert photo.public and photo.content_type == "image/png"
    assert selectors.public_photo(photo.pk) == photo
    services.project_photo_publish(actor=staff(world), photo_id=photo.pk, public=False)
    assert selectors.public_photo(photo.pk) is None
    ev = AuditEvent.objects.filter(verb="project.report_progress").get()
    assert ev.after["attachments"][0]["name"] == "现场.png"
    with pytest.raises(InvalidInput, match="早于票决日期"):
        services.project_report_progress(actor=staff(world), project_id=p.pk, text="x", on=D("2023-01-01"))
    assert ProjectPhoto.objects.count() == 1


def test_unit_reports_on_its_own_project_only(world: World) -> None:
    from renda.core.errors import NotFound

    p = project(world)
    unit = world.users[Role.UNIT]
    with pytest.raises(NotFound):
        services.project_report_progress(actor=unit, project_id=p.pk, text="x")
    services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="", deadline=None)
    services.project_report_progress(actor=unit, project_id=p.pk, text="已进场施工")


# --- supervision --------------------------------------------------------------------------------------


def test_inspection_finding_becomes_a_suggestion_for_the_lead_unit(world: World) -> None:
    p = project(world)
    services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="", deadline=None,
                          supervisor=world.presidium_deputy, deputies=[world.deputy])
    x = services.project_inspect(actor=world.users[Role.DEPUTY], project_id=p.pk, on=D("2023-06-01"),
                                 deputies=[world.deputy, world.presidium_deputy], findings="部分路段照度不足",
                                 files=[png()])
    s = services.inspection_to_suggestion(actor=staff(world), inspection_id=x.pk)
    assert s.lead_unit == world.unit and s.kind == "deputy" and s.state == "assigned"
    assert s.lead_deputy == world.deputy
    with pytest.raises(Conflict):
        services.inspection_to_suggestion(actor=staff(world), inspection_id=x.pk)
    services.project_note(actor=world.users[Role.PRESIDIUM], project_id=p.pk, text="督促加快进度", on=D("2023-06-02"))
    parts = {r["deputy"].pk: r for r in selectors.group_parts(p)}
    assert parts[world.deputy.pk]["inspections"] == 1 and parts[world.presidium_deputy.pk]["notes"] == 1
    mine = selectors.deputy_parts(world.users[Role.DEPUTY], world.deputy.pk)
    assert [m.project for m in mine] == [p] and mine[0].inspections == 1


def test_a_deputy_outside_the_group_cannot_inspect(world: World) -> None:
    from renda.core.errors import Forbidden

    p = project(world)
    with pytest.raises(Forbidden):
        services.project_inspect(actor=world.users[Role.DEPUTY], project_id=p.pk, on=D("2023-06-01"),
                                 deputies=[world.deputy], findings="x")


# --- completion, evaluation, rectification -----------------------------------------------------------


def _completed(world: World, title: str = "2022年项目", year: int = 2022) -> Project:
    p = project(world, title, year=year, adopted_on=D(f"{year}-01-13"))
    services.project_plan(actor=staff(world), project_id=p.pk, lead_unit=world.unit, targets="", deadline=None)
    services.project_start(actor=staff(world), project_id=p.pk, on=D(f"{year}-02-01"))
    return services.project_complete(actor=staff(world), project_id=p.pk, report="已全部完工", on=D(f"{year}-11-30"))


def test_workflow_refuses_out_of_order(world: World) -> None:
    p = project(world)
    with pytest.raises(IllegalTransition, match="「已票决」的民生实事项目不能「完成报告」"):
        services.project_complete(actor=staff(world), project_id=p.pk, report="x")
    with pytest.raises(InvalidInput, match="完成情况报告"):
        services.project_start(actor=staff(world), project_id=p.pk, on=D("2023-02-01"))
        services.project_complete(actor=staff(world), project_id=p.pk, report=" ")


def test_evaluation_round_grades_and_dissatisfied_goes_to_rectification(
        world: World, django_capture_on_commit_callbacks: Any) -> None:
    a, b, c = _completed(world, "项目甲"), _completed(world, "项目乙"), _completed(world, "项目丙")
    session = make_session(world, total=9, present=9)
    r = services.project_evaluation_open(actor=staff(world), session_id=session.pk, project_ids=[a.pk, b.pk, c.pk])
    o = _opt(r)
    # a: 5 satisfied of 9 valid → 满意; b: 4 satisfied + 1 basically → 基本满意; c: 4+0 → 不满意
    _enter(world, r, {o[a.pk]: "satisfied", o[b.pk]: "satisfied", o[c.pk]: "satisfied"}, 4)
    _enter(world, r, {o[a.pk]: "satisfied", o[b.pk]: "basically_satisfied", o[c.pk]: "dissatisfied"}, 1)
    _enter(world, r, {o[a.pk]: "dissatisfied", o[b.pk]: "dissatisfied", o[c.pk]: "dissatisfied"}, 4)
    with django_capture_on_commit_callbacks(execute=True):
        congress.round_close(actor=staff(world), round_id=r.pk)
    grades = dict(Project.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list("title", "grade"))
    assert grades == {"项目甲": "satisfied", "项目乙": "basically_satisfied", "项目丙": "dissatisfied"}
    c = Project.objects.get(pk=c.pk)
    assert c.state == "rectifying" and c.evaluation_session == session
    assert c.evaluated_on is not None and c.rectify_deadline == c.evaluated_on + dt.timedelta(days=90)
    assert Notification.objects.filter(verb="project.rectify", user=world.users[Role.UNIT]).exists()
    assert c in selectors.rectifications_due(staff(world))
    c = services.project_rectify(actor=world.users[Role.UNIT], project_id=c.pk, report="已补装路灯")
    assert c.state == "rectified"


def test_evaluation_needs_a_completion_report_before_the_session(world: World) -> None:
    p = project(world)
    session = make_session(world, total=9, present=9)
    with pytest.raises(InvalidInput, match="尚未提交完成情况报告"):
        services.project_evaluation_open(actor=staff(world), session_id=session.pk, project_ids=[p.pk])


def test_rectification_reminded_and_overdue(world: World) -> None:
    p = _completed(world)
    p = services.project_evaluate(actor=staff(world), project_id=p.pk, grade="dissatisfied", on=D("2023-01-13"),
                                  rectify_deadline=D("2023-04-13"))
    assert [w.kind for w in selectors.warnings_of(p, D("2023-04-13"))] == []
    assert [w.kind for w in selectors.warnings_of(p, D("2023-04-14"))] == ["rectify_overdue"]
    assert services.projects_remind(today=D("2023-04-10")) == 1
    assert services.projects_remind(today=D("2023-04-10")) == 0  # once a day
    assert services.projects_remind(today=D("2023-03-01")) == 0  # not yet due


def test_remind_overdue_stages(world: World) -> None:
    p = project(world)
    services.project_stage_set(actor=staff(world), project_id=p.pk, stage="design", planned_end=D("2023-03-31"))
    assert services.projects_remind(today=D("2023-03-31")) == 0
    assert services.projects_remind(today=D("2023-04-01")) == 1
    assert Notification.objects.filter(verb="project.remind", user=world.users[Role.STAFF]).exists()
