"""Reads of livelihood projects, already restricted to what the user may see (see ``policy``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.projects import rules
from renda.projects.models import (
    STAGE_ORDER,
    STAGE_WEIGHTS,
    Candidate,
    CandidateList,
    Inspection,
    Project,
    ProjectPhoto,
    ProjectStage,
    Stage,
    SupervisionNote,
)
from renda.projects.workflow import WORKING, State

TOWN_READERS = {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN, Role.DEPUTY}


def _project_base() -> QuerySet[Project]:
    return Project.objects.select_related("town", "lead_unit", "supervisor").prefetch_related(
        Prefetch("stages", queryset=ProjectStage.objects.order_by("id")), "deputies")


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """The office, presidium and deputies: their town's projects; a unit: the projects it leads;
    district viewers and administrators: every town."""
    qs = _project_base()
    if user is None or sees_every_town(user):
        return qs
    if not _active(user):
        return qs.none()
    if user.role == Role.UNIT:
        return qs.filter(lead_unit_id=user.unit_id) if user.unit_id else qs.none()
    if user.role in TOWN_READERS and user.town_id:
        return qs.filter(town_id=user.town_id)
    return qs.none()


def candidates_visible_to(user: Any) -> QuerySet[Candidate]:
    qs = Candidate.objects.select_related("town", "deputy", "unit", "suggestion", "proposed_unit", "candidate_list")
    if user is None or sees_every_town(user):
        return qs
    if not _active(user) or user.role not in TOWN_READERS or not user.town_id:
        return qs.none()
    return qs.filter(town_id=user.town_id)


def candidate_lists_visible_to(user: Any) -> QuerySet[CandidateList]:
    qs = CandidateList.objects.select_related("town", "submitted_by")
    if user is None or sees_every_town(user):
        return qs
    if not _active(user) or user.role not in TOWN_READERS or not user.town_id:
        return qs.none()
    return qs.filter(town_id=user.town_id)


def candidates_for_suggestion(user: Any, suggestion_id: int) -> QuerySet[Candidate]:
    """The candidates a suggestion was turned into (the link's other side, for the suggestion's page)."""
    return candidates_visible_to(user).filter(suggestion_id=suggestion_id)


# --- computed facts of one project ------------------------------------------------------------


def stages_of(p: Project) -> list[ProjectStage]:
    rows = {s.stage: s for s in p.stages.all()}
    return [rows[code] for code in STAGE_ORDER if code in rows]


def progress_of(p: Project) -> int:
    """Percent done: entered by hand (with a reason), or computed from the stages."""
    if p.progress_manual is not None:
        return p.progress_manual
    if p.state in {State.COMPLETED, State.EVALUATED, State.RECTIFYING, State.RECTIFIED}:
        return max(rules.stage_progress(stages_of(p), STAGE_WEIGHTS), 90)
    return rules.stage_progress(stages_of(p), STAGE_WEIGHTS)


def stage_of(p: Project) -> str:
    """The current stage's code (``done`` when every stage is finished)."""
    return rules.current_stage(stages_of(p), STAGE_ORDER)


def stage_label(code: str) -> str:
    return str(dict(Stage.choices).get(code, "")) if code != "done" else _("已全部完成")


def warnings_of(p: Project, today: dt.date | None = None) -> list[rules.Warning]:
    return rules.warnings_for(
        stages=stages_of(p), stage_labels={k: str(v) for k, v in Stage.choices}, tender_ceiling=p.tender_ceiling,
        bid_price=p.bid_price, contract_price=p.contract_price, paid=p.paid, today=today or timezone.localdate(),
        rectify_deadline=p.rectify_deadline, rectifying=p.state == State.RECTIFYING)


@dataclass(frozen=True)
class Warned:
    project: Project
    warnings: list[rules.Warning]


def warned_for(user: Any, today: dt.date | None = None) -> list[Warned]:
    """The projects this user sees that have warnings now (the office's and presidium's home card)."""
    qs = projects_visible_to(user).filter(state__in=[s.value for s in WORKING]).order_by("-year", "code")
    out = []
    for p in qs[:200]:
        ws = warnings_of(p, today)
        if ws:
            out.append(Warned(p, ws))
    return out


def overdue_stage_q(as_of: dt.date) -> Q:
    """Projects with a stage past its planned end and not done at ``as_of``."""
    late = ProjectStage.objects.filter(planned_end__lt=as_of).filter(
        Q(actual_end__isnull=True) | Q(actual_end__gt=as_of)).values("project_id")
    return Q(pk__in=late)


def rectifications_due(user: Any) -> QuerySet[Project]:
    """Dissatisfied projects waiting for the lead unit's rectification report (work queues)."""
    return projects_visible_to(user).filter(state=State.RECTIFYING).order_by("rectify_deadline", "code")


# --- the deputies' part ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeputyPart:
    project: Project
    roles: list[str]
    inspections: int
    notes: int


def deputy_parts(user: Any, deputy_id: int) -> list[DeputyPart]:
    """Each project a deputy takes part in (supervisor, group, inspections, notes), among those the
    user may see — for the deputy's page and the project's page."""
    visible = projects_visible_to(user)
    insp = Inspection.objects.filter(deputies=deputy_id)
    notes = SupervisionNote.objects.filter(deputy_id=deputy_id)
    ids = set(visible.filter(Q(supervisor_id=deputy_id) | Q(deputies=deputy_id)).values_list("pk", flat=True))
    ids |= set(insp.values_list("project_id", flat=True)) | set(notes.values_list("project_id", flat=True))
    out = []
    for p in visible.filter(pk__in=ids).order_by("-year", "code"):
        roles = []
        if p.supervisor_id == deputy_id:
            roles.append(_("督办主席团成员"))
        if any(d.pk == deputy_id for d in p.deputies.all()):
            roles.append(_("督办小组代表"))
        out.append(DeputyPart(p, roles, insp.filter(project=p).count(), notes.filter(project=p).count()))
    return out


def group_parts(p: Project) -> list[dict[str, Any]]:
    """Each deputy's part in one project: role, inspections, notes."""
    people: dict[int, dict[str, Any]] = {}

    def row(d: Any) -> dict[str, Any]:
        return people.setdefault(d.pk, {"deputy": d, "roles": [], "inspections": 0, "notes": 0})

    if p.supervisor is not None:
        row(p.supervisor)["roles"].append(_("督办主席团成员"))
    for d in p.deputies.all():
        row(d)["roles"].append(_("督办小组代表"))
    for x in p.inspections.prefetch_related("deputies"):
        for d in x.deputies.all():
            row(d)["inspections"] += 1
    for n in p.notes.select_related("deputy"):
        if n.deputy is not None:
            row(n.deputy)["notes"] += 1
    return list(people.values())


# --- the public board -----------------------------------------------------------------------------


def board_projects(year: int | None = None) -> QuerySet[Project]:
    """Every town's projects of ``year`` (all years when None) for the public board: no personal data
    is read from them but the title, the lead unit's name, the stages, the progress and public photos."""
    qs = Project.objects.select_related("town", "lead_unit").prefetch_related(
        Prefetch("stages", queryset=ProjectStage.objects.order_by("id")),
        Prefetch("attachments", queryset=ProjectPhoto.objects.filter(
            public=True, content_type__in=["image/png", "image/jpeg"]).order_by("-uploaded_at", "-id"),
            to_attr="public_photos"),
    ).order_by("-year", "town__code", "code")
    return qs.filter(year=year) if year is not None else qs


def board_years() -> list[int]:
    return sorted(set(Project.objects.values_list("year", flat=True)), reverse=True)


def public_photo(photo_id: int) -> ProjectPhoto | None:
    return ProjectPhoto.objects.filter(pk=photo_id, public=True, content_type__in=["image/png", "image/jpeg"]).first()
