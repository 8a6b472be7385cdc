"""The seeded world the reliability tests share: ``tests.support.World`` (two towns, one
user per role) plus, in each town, a suggestion with an attachment, a petition (accepted, with
an attachment), a duty shift with its people, a risk with participants and an export job of the
office's — and an API token per role, a notification and a calendar day: something real behind
every URL argument. Everything is built through the apps' services (as each app's
``tests/helpers.py`` does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.accounts.models import User
from renda.accounts.services import api_token_create
from renda.calendar_days.services import calendar_day_set
from renda.core.jobs import finished_file
from renda.core.roles import Role
from renda.duties import services as duty_services
from renda.duties.models import Activity, ActivityAttachment, Award, VoterReport
from renda.petitions import services as petition_services
from renda.petitions.models import Attachment as PetitionAttachment
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.risks import services as risk_services
from renda.risks.models import Risk, RiskParticipant
from renda.risks.services import ParticipantIn, PersonIn
from renda.shifts import services as shift_services
from renda.shifts.models import DutyAssignment, DutyShift
from renda.suggestions import exports
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Attachment, Suggestion
from tests.support import World, make_deputy

ROLES: tuple[str, ...] = ("presidium", "staff", "deputy", "unit", "grid_worker", "district_viewer", "admin",
                          "anonymous")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
D = dt.date.fromisoformat


def register_public(world: World, town: Any, grid: Any, *, actor: User | None = None, **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": town, "kind": "public", "title": "修建公交车站台", "content": "村口无站台",
                            "source": "visit", "submitter_name": "张小三", "submitter_phone": "13812345678",
                            "grid": grid, "on": D("2023-03-01")}
    args.update(kw)
    return suggestion_services.suggestion_register(actor=actor or world.users[Role.STAFF], **args)


@dataclass
class Sample:
    world: World
    suggestion: Suggestion
    other_suggestion: Suggestion
    attachment: Attachment
    other_attachment: Attachment
    petition: Petition
    other_petition: Petition
    petition_attachment: PetitionAttachment
    other_petition_attachment: PetitionAttachment
    shift: DutyShift
    other_shift: DutyShift
    assignment: DutyAssignment
    other_assignment: DutyAssignment
    risk: Risk
    other_risk: Risk
    participant: RiskParticipant
    other_participant: RiskParticipant
    duty_activity: Activity
    other_duty_activity: Activity
    duty_attachment: ActivityAttachment
    other_duty_attachment: ActivityAttachment
    duty_report: VoterReport
    other_duty_report: VoterReport
    duty_award: Award
    other_duty_award: Award
    delivery: Any  # a failed SMS of each town's outbox (notifications)
    other_delivery: Any
    export_job: str  # a finished export of the own town's office (staff); only its owner sees it
    other_export_job: str  # the other town's office's
    tokens: dict[str, str] = field(default_factory=dict)
    # projects (民生实事): project, candidate, list, photo, inspection, kind and other_* (renda.projects.tests.samples)
    projects: dict[str, Any] = field(default_factory=dict)
    # congress (人代会): a session per town with its deputies present, an agenda item, a closed
    # paper round and an open phone round (filled in by ``add_congress``)
    congress_session: Any = None
    other_congress_session: Any = None
    congress_agenda_item: Any = None
    other_congress_agenda_item: Any = None
    congress_closed_round: Any = None
    other_congress_closed_round: Any = None
    congress_round: Any = None
    other_congress_round: Any = None

    def export_files(self) -> list[Path]:
        """The sample exports' files (in ``$RENDA_DATA_DIR/exports``), for the fixture to remove."""
        out = []
        for job_id in (self.export_job, self.other_export_job):
            done = finished_file(exports.export_list.get_result(job_id))
            if done is not None:
                out.append(done[0])
        return out

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else self.world.users[role]


def _scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")


def register_petition(town: Any, grid: Any, actor: User) -> tuple[Petition, PetitionAttachment]:
    """A letter in ``grid`` (the World's deputy and grid worker serve the own town's grid),
    accepted — so that its 受理告知书 exists — with a scan attached."""
    p = petition_services.petition_register(
        actor=actor, town=town, channel="letter", subject="反映征地补偿款未足额发放", content="请求核实",
        grid=grid, village=grid.parent, respondent="某村民委员会", on=D("2023-03-01"),
        petitioners=[PetitionerData(name="欧阳明远", phone="13912345678", address="幸福村5组18号")])
    petition_services.petition_accept(actor=actor, petition_id=p.pk, on=D("2023-03-03"))
    (att,) = petition_services.petition_attach(actor=actor, petition_id=p.pk, files=[_scan()])
    p.refresh_from_db()
    return p, att


def register_risk(town: Any, grid: Any, actor: User, participants: list[ParticipantIn]) -> Risk:
    return risk_services.risk_register(
        actor=actor, town=town, title="宅基地界址纠纷", description="两户村民因翻建房屋发生争议", level="medium",
        grid=grid, village=grid.parent, on=D("2023-03-01"), participants=participants,
        people=[PersonIn(name="张小三", phone="13812345678", address="东湖村3组12号", role="申请人")])


def finished_export(user: User) -> str:
    """An export of the suggestions list started by ``user`` and run as the worker runs it
    (``db_worker`` claims the job and runs it), so that its download exists."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    job_id = exports.start(user, "")
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=1, worker_id="reliability", excluded_queue_names=[])
    job = DBTaskResult.objects.get(pk=job_id)
    job.claim(worker.worker_id)
    worker.run_task(job)
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL", job.traceback
    return job_id


def duty_samples(world: World) -> dict[str, Any]:
    """An activity of today without a start time (its sign-in is open all day) with the deputy and
    the presidium member taking part, a file of it, a report to voters and an award of the
    deputy — in each town."""
    out: dict[str, Any] = {}
    today = timezone.localdate()
    for prefix, town, staff, deputies in (
            ("", world.town, world.users[Role.STAFF], [world.deputy, world.presidium_deputy]),
            ("other_", world.other_town, world.other_staff, [world.other_deputy])):
        a = duty_services.activity_plan(actor=staff, town=town, type="judicial_witness", title="案件公开听证",
                                        on=today, deputies=deputies, organizer="区人民检察院",
                                        organizer_kind="procuratorate")
        (att,) = duty_services.activity_attach(actor=staff, activity_id=a.pk, files=[_scan()])
        out[f"{prefix}duty_activity"], out[f"{prefix}duty_attachment"] = a, att
        out[f"{prefix}duty_report"] = duty_services.report_draft(actor=staff, deputy=deputies[0], year=today.year)
        out[f"{prefix}duty_award"] = duty_services.award_create(actor=staff, deputy=deputies[0], title="优秀人大代表",
                                                               body="区人大常委会", on=D("2023-01-15"))
    return out


def delivery_samples(world: World) -> dict[str, Any]:
    """A failed SMS in each town's outbox (the gateway refused it)."""
    from django.test import override_settings

    from renda.notifications import services as outbox

    with override_settings(RENDA_SMS_BACKEND="renda.notifications.tests.fakes.RefusingBackend"):
        own = outbox.sms_to(phone="13812345678", verb="suggestion.reply", params={"code": "A"}, town_id=world.town.pk)
        other = outbox.sms_to(phone="13812345678", verb="suggestion.reply", params={"code": "B"},
                              town_id=world.other_town.pk)
        outbox.send_due()
    return {"delivery": own, "other_delivery": other}


def build_sample() -> Sample:
    world = World()
    other_staff = world.other_staff
    s = register_public(world, world.town, world.grid)
    o = register_public(world, world.other_town, world.other_grid, actor=other_staff)
    (att,) = suggestion_services.suggestion_attach(
        actor=world.users[Role.STAFF], suggestion_id=s.pk,
        files=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    (oatt,) = suggestion_services.suggestion_attach(
        actor=other_staff, suggestion_id=o.pk,
        files=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    make_deputy(world.town, name="无账号代表")  # for the user form: a deputy to link an account to
    calendar_day_set(actor=world.users[Role.ADMIN], date=D("2030-01-01"), kind="holiday", name="元旦")
    staff = world.users[Role.STAFF]
    petition, patt = register_petition(world.town, world.grid, staff)
    other_petition, opatt = register_petition(world.other_town, world.other_grid, other_staff)
    today = timezone.localdate()
    shift = shift_services.shift_create(actor=staff, town=world.town, date=today,
                                        deputies=[world.presidium_deputy, world.deputy])
    other_shift = shift_services.shift_create(actor=other_staff, town=world.other_town, date=today,
                                              deputies=[world.other_deputy])
    risk = register_risk(world.town, world.grid, staff, [ParticipantIn(deputy=world.deputy, part="现场调解"),
                                                         ParticipantIn(grid_worker=world.grid_worker)])
    other_risk = register_risk(world.other_town, world.other_grid, other_staff,
                               [ParticipantIn(deputy=world.other_deputy)])
    sample = Sample(
        world=world, suggestion=s, other_suggestion=o, attachment=att, other_attachment=oatt,
        petition=petition, other_petition=other_petition, petition_attachment=patt, other_petition_attachment=opatt,
        shift=shift, other_shift=other_shift, assignment=shift.assignments.order_by("id")[0],
        other_assignment=other_shift.assignments.get(),
        risk=risk, other_risk=other_risk, participant=risk.participants.order_by("id")[0],
        other_participant=other_risk.participants.get(),
        **duty_samples(world), **delivery_samples(world),
        export_job=finished_export(staff), other_export_job=finished_export(other_staff))
    from renda.projects.tests.samples import build as build_projects

    sample.projects = build_projects(world)
    for role, user in world.users.items():
        sample.tokens[role] = api_token_create(actor=None, user=user, name="reliability")[1]
    add_congress(sample)
    from tests.reliability import liaison_samples  # liaison: its records in both towns (found or created)

    liaison_samples.build(sample)
    from tests.reliability import presidium_samples  # presidium: its records in both towns (found or created)

    presidium_samples.build(sample)

    from tests.reliability import motions_samples  # motions: an adopted motion in each town

    motions_samples.build(sample)
    return sample


def _congress_town(actor: User, town: Any) -> tuple[Any, Any, Any, Any]:
    from renda.congress import selectors as congress_selectors
    from renda.congress import services as congress_services
    from renda.congress.models import OptionSpec

    session = congress_services.session_create(actor=actor, town=town, term=18, number=3, starts_on=D("2023-01-12"),
                                               ends_on=D("2023-01-13"), venue="镇政府三楼会议室")
    for deputy in congress_selectors.town_deputies(town.pk, session.starts_on):
        congress_services.attendance_set(actor=actor, session_id=session.pk, deputy_id=deputy.pk, status="present")
    item = congress_services.agenda_add(actor=actor, session_id=session.pk, title="票决民生实事项目", needs_vote=True)
    options = [OptionSpec("text", 1, "道路亮化工程"), OptionSpec("text", 2, "农贸市场改造"),
               OptionSpec("text", 3, "公园提升")]
    closed = congress_services.round_open(actor=actor, session_id=session.pk, kind="select", title="民生实事项目票决",
                                          options=options, seats=2, chief_scrutineer="张总监", scrutineers="李、王")
    first = closed.options.order_by("order")[0].pk
    for _i in range(closed.issued):
        congress_services.ballot_enter(actor=actor, round_id=closed.pk, choices={first: "for"})
    congress_services.round_close(actor=actor, round_id=closed.pk)
    open_round = congress_services.round_open(actor=actor, session_id=session.pk, kind="evaluate", title="满意度测评",
                                              options=options[:2], mode="phone")
    return session, item, closed, open_round


def add_congress(sample: Sample) -> None:
    world = sample.world
    (sample.congress_session, sample.congress_agenda_item, sample.congress_closed_round,
     sample.congress_round) = _congress_town(world.users[Role.STAFF], world.town)
    (sample.other_congress_session, sample.other_congress_agenda_item, sample.other_congress_closed_round,
     sample.other_congress_round) = _congress_town(world.other_staff, world.other_town)
