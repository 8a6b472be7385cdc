"""The only writers of livelihood projects (民生实事): one keyword-only, typed function per verb.

Each runs in one transaction: locks the row it changes, checks the policy (404/403) and the
workflow table, validates (``full_clean``: the edge rule on every text), writes the change, the
timeline row and the audit event, and notifies on commit. Money is Decimal yuan (``rules.money``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.congress import services as congress_services
from renda.congress.models import OptionSpec, Session, VoteRound
from renda.congress.selectors import RoundResult
from renda.core import attachments, sequences, uploads
from renda.core.errors import Conflict, InvalidInput, NotFound
from renda.core.services import (
    actor_label,
    actor_user,
    business_at,
    business_date,
    check_edges,
    clean_text,
    commit_transition,
    full_clean,
    insert_coded,
    lock,
    record_transition,
    required_text,
    update_audited,
)
from renda.core.types import Actor
from renda.people.models import Deputy
from renda.places.models import Region
from renda.projects import policy, rules, workflow
from renda.projects.models import (
    STAGE_ORDER,
    Candidate,
    CandidateList,
    CollectionWindow,
    ExcludedKind,
    Grade,
    Inspection,
    Procurement,
    ProgressReport,
    Project,
    ProjectPhoto,
    ProjectSettings,
    ProjectStage,
    ProjectTransition,
    Source,
    Stage,
    SupervisionNote,
    YearTarget,
)
from renda.projects.workflow import Action, CandidateAction, CandidateState, State
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Suggestion
from renda.units.models import Unit

CANDIDATE_PREFIX = "HX"
PROJECT_PREFIX = "MS"

# --- settings, excluded kinds, collection windows -------------------------------------------------


def settings_for(town: Region | int) -> ProjectSettings:
    """The town's vote settings (defaults when never set: N=2, surplus 1)."""
    town_id = town if isinstance(town, int) else town.pk
    found = ProjectSettings.objects.filter(town_id=town_id).first()
    return found or ProjectSettings(town_id=town_id)


@transaction.atomic
def settings_set(*, actor: Actor, town: Region, seats: int, min_surplus: int) -> ProjectSettings:
    """票决项目数 N and the minimum 差额 of the town's candidate lists."""
    current = ProjectSettings.objects.select_for_update().filter(town=town).first()
    obj = current or ProjectSettings(town=town)
    policy.require(actor, "settings", obj)
    if seats < 1 or min_surplus < 1:
        raise InvalidInput(_("票决项目数和差额数均应不少于 1"), fields={"seats": _("不少于 1")})
    if current is None:
        obj.seats, obj.min_surplus = seats, min_surplus
        full_clean(obj)
        obj.save()
        record(actor=actor, verb="project.settings", target=obj, before=None, after=snapshot(obj))
        return obj
    obj, _changed = update_audited(obj, actor=actor, verb="project.settings",
                                   changes={"seats": seats, "min_surplus": min_surplus})
    return obj


@transaction.atomic
def excluded_kind_create(*, actor: Actor, town: Region, name: str) -> ExcludedKind:
    """A kind of project the town does not put to the vote (负面清单)."""
    obj = ExcludedKind(town=town, name=required_text(name, "name", _("请填写类别名称"), max_length=100))
    policy.require(actor, "excluded_kinds", obj)
    if ExcludedKind.objects.filter(town=town, name=obj.name).exists():
        raise InvalidInput(_("类别「{name}」已存在").format(name=obj.name), fields={"name": _("已存在")})
    full_clean(obj)
    obj.save()
    record(actor=actor, verb="project.excluded_kind", target=obj, before=None, after=snapshot(obj))
    return obj


@transaction.atomic
def excluded_kind_set_active(*, actor: Actor, kind_id: int, active: bool) -> ExcludedKind:
    obj = lock(ExcludedKind, kind_id)
    policy.require(actor, "excluded_kinds", obj)
    obj, _changed = update_audited(obj, actor=actor, verb="project.excluded_kind", changes={"is_active": active})
    return obj


def excluded_kinds(town_id: int) -> list[str]:
    return list(ExcludedKind.objects.filter(town_id=town_id, is_active=True).values_list("name", flat=True))


def is_excluded(town_id: int, kind: str) -> bool:
    kind = (kind or "").strip()
    return bool(kind) and kind in excluded_kinds(town_id)


@transaction.atomic
def window_set(*, actor: Actor, town: Region, year: int, opens_on: dt.date, closes_on: dt.date) -> CollectionWindow:
    """The collection window (征集期) of a year's ideas."""
    current = CollectionWindow.objects.select_for_update().filter(town=town, year=year).first()
    obj = current or CollectionWindow(town=town, year=year)
    policy.require(actor, "window", obj)
    if closes_on < opens_on:
        raise InvalidInput(_("征集截止日期不能早于开始日期"), fields={"closes_on": _("早于开始日期")})
    if current is None:
        obj.opens_on, obj.closes_on = opens_on, closes_on
        full_clean(obj)
        obj.save()
        record(actor=actor, verb="project.window", target=obj, before=None, after=snapshot(obj))
        return obj
    obj, _changed = update_audited(obj, actor=actor, verb="project.window",
                                   changes={"opens_on": opens_on, "closes_on": closes_on})
    return obj


# --- candidates ----------------------------------------------------------------------------------


def _candidate_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"project_candidate:{year}", f"{CANDIDATE_PREFIX}{year}-", Candidate.objects.all())


def _project_series(year: int) -> sequences.CodeSeries:
    return sequences.CodeSeries(f"project:{year}", f"{PROJECT_PREFIX}{year}-", Project.objects.all())


def _check_window(town: Region, year: int, on: dt.date) -> None:
    window = CollectionWindow.objects.filter(town=town, year=year).first()
    if window is None:
        raise InvalidInput(_("{year} 年度的项目征集期尚未设置").format(year=year), fields={"year": _("未设置征集期")})
    if not window.is_open_on(on):
        raise InvalidInput(_("{on} 不在 {year} 年度项目征集期（{a} 至 {b}）内").format(
            on=on.isoformat(), year=year, a=window.opens_on.isoformat(), b=window.closes_on.isoformat()),
            fields={"collected_on": _("不在征集期内")})


@transaction.atomic
def candidate_collect(
    *, actor: Actor, town: Region, year: int, title: str, source: str, content: str = "", kind: str = "",
    source_note: str = "", deputy: Deputy | None = None, unit: Unit | None = None,
    suggestion: Suggestion | None = None, on: dt.date | None = None, code: str | None = None,
) -> Candidate:
    """征集: an idea in the project pool (储备库), from the public, a deputy, a department or a
    suggestion, collected within the year's collection window."""
    on = business_date(on)
    if source not in Source.values:
        raise InvalidInput(_("来源不正确"), fields={"source": _("不正确")})
    if source == Source.DEPUTY and deputy is None:
        raise InvalidInput(_("请选择提出项目的代表"), fields={"deputy": _("必填")})
    if source == Source.DEPARTMENT and unit is None:
        raise InvalidInput(_("请选择提出项目的部门"), fields={"unit": _("必填")})
    if source == Source.SUGGESTION and suggestion is None:
        raise InvalidInput(_("请选择来源意见建议"), fields={"suggestion": _("必填")})
    if deputy is not None and deputy.town_id != town.pk:
        raise InvalidInput(_("代表「{name}」不属于{town}").format(name=deputy.name, town=town.name),
                           fields={"deputy": _("不属于该镇街")})
    if unit is not None and unit.town_id != town.pk:
        raise InvalidInput(_("部门「{name}」不属于{town}").format(name=unit.name, town=town.name),
                           fields={"unit": _("不属于该镇街")})
    if suggestion is not None and suggestion.town_id != town.pk:
        raise InvalidInput(_("意见建议不属于{town}").format(town=town.name), fields={"suggestion": _("不属于该镇街")})
    c = Candidate(
        code=(code or "").strip(), town=town, year=year, title=required_text(title, "title", _("请填写项目名称")),
        content=(content or "").strip(), kind=clean_text(kind, "kind", max_length=100), source=source,
        source_note=clean_text(source_note, "source_note", max_length=200),
        deputy=deputy if source == Source.DEPUTY else None, unit=unit if source == Source.DEPARTMENT else None,
        suggestion=suggestion if source == Source.SUGGESTION else None, collected_on=on,
        state=CandidateState.COLLECTED,
    )
    check_edges(c)
    policy.require(actor, "collect", c)
    _check_window(town, year, on)
    if code:
        _candidate_series(year).note(code)
    insert_coded(c, code=code, next_code=lambda: _candidate_series(year).next())
    record(actor=actor, verb="project.candidate_collect", target=c, before=None, after=snapshot(c))
    return c


@transaction.atomic
def candidate_from_suggestion(*, actor: Actor, suggestion_id: int, year: int, kind: str = "",
                              on: dt.date | None = None) -> Candidate:
    """意见建议转为候选项目: the suggestion (which the actor must see) becomes an idea linked to it."""
    s = suggestion_services.suggestion_lock_for_link(actor=actor, suggestion_id=suggestion_id)
    if Candidate.objects.filter(suggestion=s, year=year).exists():
        raise Conflict(_("该意见建议已转为 {year} 年度的候选项目").format(year=year))
    return candidate_collect(actor=actor, town=s.town, year=year, title=s.title, content=s.content, kind=kind,
                             source=Source.SUGGESTION, suggestion=s, source_note=s.code, on=on)


def _candidate(actor: Actor, candidate_id: int, action: str) -> Candidate:
    c = lock(Candidate, candidate_id)
    policy.require(actor, action, c)
    return c


@transaction.atomic
def candidate_screen(
    *, actor: Actor, candidate_id: int, feasible: bool, feasibility: str = "", estimate: Any = None,
    proposed_unit: Unit | None = None, kind: str | None = None, on: dt.date | None = None,
) -> Candidate:
    """初审 by the town government: feasibility, estimate, proposed lead unit; an infeasible idea,
    or one of an excluded kind (负面清单), is not listed (``rejected``)."""
    on = business_date(on)
    c = _candidate(actor, candidate_id, "screen")
    before = snapshot(c)
    if kind is not None:
        c.kind = clean_text(kind, "kind", max_length=100)
    c.feasibility = (feasibility or "").strip()
    c.estimate = rules.money(estimate, "estimate", _("估算投资"))
    if proposed_unit is not None and proposed_unit.town_id != c.town_id:
        raise InvalidInput(_("拟牵头单位不属于本镇街"), fields={"proposed_unit": _("不属于该镇街")})
    c.proposed_unit = proposed_unit
    if on < c.collected_on:
        raise InvalidInput(_("初审日期不能早于征集日期"), fields={"screened_on": _("早于征集日期")})
    c.screened_on = on
    excluded = is_excluded(c.town_id, c.kind)
    if feasible and not excluded:
        c.state = workflow.candidate_next(c.state, CandidateAction.SCREEN)
        if c.estimate is None:
            raise InvalidInput(_("请填写估算投资"), fields={"estimate": _("必填")})
    else:
        c.state = workflow.candidate_next(c.state, CandidateAction.REJECT)
        if excluded:
            note = _("属于不予列入的项目类别「{kind}」").format(kind=c.kind)
            c.feasibility = f"{c.feasibility}\n{note}".strip() if note not in c.feasibility else c.feasibility
    full_clean(c)
    c.save()
    record(actor=actor, verb="project.candidate_screen", target=c, before=before, after=snapshot(c))
    return c


# --- candidate lists ------------------------------------------------------------------------------


@transaction.atomic
def candidate_list_create(*, actor: Actor, town: Region, year: int, title: str = "", session: Session | None = None,
                          seats: int | None = None, min_surplus: int | None = None) -> CandidateList:
    """A draft candidate list of a year, with the town's N and 差额 (or given ones, not below the town's)."""
    rules_ = settings_for(town)
    seats = seats or rules_.seats
    min_surplus = max(min_surplus or rules_.min_surplus, rules_.min_surplus)
    obj = CandidateList(town=town, year=year, title=clean_text(title, "title", max_length=200) or _(
        "{town}{year}年度民生实事候选项目名单").format(town=town.name, year=year), session=session,
        seats=seats, min_surplus=min_surplus)
    policy.require(actor, "create", obj)
    if session is not None and session.town_id != town.pk:
        raise InvalidInput(_("人代会不属于本镇街"), fields={"session": _("不属于该镇街")})
    full_clean(obj)
    obj.save()
    record(actor=actor, verb="project.list_create", target=obj, before=None, after=snapshot(obj))
    return obj


def _list_snap(cl: CandidateList) -> dict[str, Any]:
    return snapshot(cl) | {"candidates": [c.code for c in cl.candidates.order_by("position", "id")]}


@transaction.atomic
def candidate_list_set(*, actor: Actor, list_id: int, candidate_ids: Sequence[int]) -> CandidateList:
    """The candidates of a draft list, in order: screened ones of the list's town and year."""
    cl = lock(CandidateList, list_id)
    policy.require(actor, "edit", cl)
    if cl.state != CandidateList.ListState.DRAFT:
        raise InvalidInput(_("名单已提请票决，不能再修改"))
    before = _list_snap(cl)
    wanted = list(dict.fromkeys(candidate_ids))
    found = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=wanted)}
    for pk in wanted:
        c = found.get(pk)
        if c is None or c.town_id != cl.town_id:
            raise InvalidInput(_("候选项目不存在或不属于本镇街"), fields={"candidates": _("不可用")})
        if c.year != cl.year:
            raise InvalidInput(_("「{title}」不是 {year} 年度的候选项目").format(title=c.title, year=cl.year),
                               fields={"candidates": _("年度不符")})
        if is_excluded(c.town_id, c.kind):
            raise InvalidInput(_("「{title}」属于不予列入的项目类别「{kind}」，不能列入候选名单").format(
                title=c.title, kind=c.kind), fields={"candidates": _("不予列入")})
        if c.state == CandidateState.LISTED and c.candidate_list_id == cl.pk:
            continue
        if c.state != CandidateState.SCREENED:
            raise InvalidInput(_("「{title}」{state}，不能列入候选名单").format(
                title=c.title, state=workflow.candidate_label(CandidateState(c.state))),
                fields={"candidates": _("不可用")})
    for c in cl.candidates.exclude(pk__in=wanted):
        c.state = workflow.candidate_next(c.state, CandidateAction.UNLIST)
        c.candidate_list = None
        c.save(update_fields=["state", "candidate_list", "updated_at"])
    for i, pk in enumerate(wanted):
        c = found[pk]
        if c.state != CandidateState.LISTED:
            c.state = workflow.candidate_next(c.state, CandidateAction.LIST)
        c.candidate_list, c.position = cl, i + 1
        c.save(update_fields=["state", "candidate_list", "position", "updated_at"])
    cl.save(update_fields=["updated_at"])
    record(actor=actor, verb="project.list_set", target=cl, before=before, after=_list_snap(cl))
    return cl


@transaction.atomic
def candidate_list_submit(*, actor: Actor, list_id: int, on: dt.date | None = None,
                          submitted_by: Deputy | None = None) -> CandidateList:
    """The presidium submits the list to the session: refused unless it holds at least N + 差额 candidates."""
    on = business_date(on)
    cl = lock(CandidateList, list_id)
    policy.require(actor, "submit", cl)
    if cl.state != CandidateList.ListState.DRAFT:
        raise InvalidInput(_("名单已提请票决"))
    rules.check_surplus(n=cl.candidates.count(), seats=cl.seats, min_surplus=cl.min_surplus)
    submitter = submitted_by or getattr(actor, "deputy", None)
    if submitter is not None and (not submitter.is_presidium or submitter.town_id != cl.town_id):
        raise InvalidInput(_("提请人应为本镇主席团成员"), fields={"submitted_by": _("不是主席团成员")})
    before = _list_snap(cl)
    cl.state, cl.submitted_on, cl.submitted_by = CandidateList.ListState.SUBMITTED, on, submitter
    full_clean(cl)
    cl.save()
    record(actor=actor, verb="project.list_submit", target=cl, before=before, after=_list_snap(cl))
    return cl


@dataclass(frozen=True)
class Outcome:
    """One candidate's result of the vote."""

    candidate_id: int
    elected: bool
    votes_for: int | None = None


@transaction.atomic
def candidate_list_decide(*, actor: Actor, list_id: int, outcomes: Sequence[Outcome], on: dt.date | None = None,
                          vote_round: VoteRound | None = None, final: bool = True) -> list[Project]:
    """The vote's result on the list: each elected candidate adopted (a project created), the others
    not adopted. With ``final=False`` (ties waiting for a further round) only the elected ones are
    decided and the list stays in the vote."""
    on = business_date(on)
    cl = lock(CandidateList, list_id)
    policy.require(actor, "vote", cl)
    if cl.state not in (CandidateList.ListState.SUBMITTED, CandidateList.ListState.VOTING):
        raise InvalidInput(_("名单尚未提请票决或已票决"))
    before = _list_snap(cl)
    by_id = {c.pk: c for c in cl.candidates.select_for_update()}
    projects = []
    decided = set()
    for o in outcomes:
        c = by_id.get(o.candidate_id)
        if c is None:
            raise InvalidInput(_("候选项目不在名单中"))
        if c.state != CandidateState.LISTED:
            continue
        if o.votes_for is not None:
            c.votes_for = o.votes_for
        if o.elected:
            c.state = workflow.candidate_next(c.state, CandidateAction.ADOPT)
            c.save(update_fields=["state", "votes_for", "updated_at"])
            projects.append(_adopt(actor=actor, candidate=c, on=on))
            decided.add(c.pk)
        elif final:
            c.state = workflow.candidate_next(c.state, CandidateAction.NOT_ADOPT)
            c.save(update_fields=["state", "votes_for", "updated_at"])
            decided.add(c.pk)
        else:
            c.save(update_fields=["votes_for", "updated_at"])
    if final:
        for c in by_id.values():
            if c.state == CandidateState.LISTED:
                c.state = workflow.candidate_next(c.state, CandidateAction.NOT_ADOPT)
                c.save(update_fields=["state", "updated_at"])
    cl.state = CandidateList.ListState.DECIDED if final else CandidateList.ListState.VOTING
    if vote_round is not None and cl.vote_round_id is None:
        cl.vote_round = vote_round
    cl.save()
    record(actor=actor, verb="project.list_decide", target=cl, before=before, after=_list_snap(cl))
    return projects


# --- projects -------------------------------------------------------------------------------------


def _snap(p: Project) -> dict[str, Any]:
    data = snapshot(p)
    if p.pk is not None:
        data["stages"] = {s.stage: [str(s.planned_start or ""), str(s.planned_end or ""), str(s.actual_start or ""),
                                    str(s.actual_end or "")] for s in p.stages.order_by("id")}
    return data


def _history(p: Project, *, action: Action, actor: Actor, on: dt.date, from_state: str,
             comment: str = "") -> ProjectTransition:
    return record_transition(ProjectTransition, project=p, action=action, from_state=from_state, to_state=p.state,
                             actor=actor, on=on, comment=comment)


def _commit(p: Project, *, action: Action, actor: Actor, on: dt.date, from_state: str, before: dict[str, Any],
            comment: str = "") -> Project:
    return commit_transition(p, history=_history, snap=_snap, verb=f"project.{action.value}", action=action,
                             actor=actor, on=on, from_state=from_state, before=before, comment=comment)


def _open(actor: Actor, project_id: int, action: Action) -> Project:
    p = lock(Project, project_id)
    policy.require(actor, action, p)
    workflow.next_state(p.state, action)
    return p


def _adopt(*, actor: Actor, candidate: Candidate, on: dt.date) -> Project:
    return project_adopt(actor=actor, town=candidate.town, year=candidate.year, title=candidate.title,
                         candidate=candidate, adopted_on=on, lead_unit=candidate.proposed_unit,
                         budget=candidate.estimate)


@transaction.atomic
def project_adopt(*, actor: Actor, town: Region, year: int, title: str, adopted_on: dt.date | None = None,
                  candidate: Candidate | None = None, lead_unit: Unit | None = None, budget: Any = None,
                  code: str | None = None) -> Project:
    """确定项目: a project adopted by the session's vote (or entered for an earlier year), with its seven
    stages (立项 … 决算审计) still to be planned."""
    on = business_date(adopted_on)
    p = Project(code=(code or "").strip(), town=town, year=year, candidate=candidate,
                title=required_text(title, "title", _("请填写项目名称")), state=State.ADOPTED, adopted_on=on,
                lead_unit=lead_unit, budget=rules.money(budget, "budget", _("预算总造价")))
    check_edges(p)
    policy.require(actor, "adopt", p)
    if lead_unit is not None and lead_unit.town_id != town.pk:
        raise InvalidInput(_("牵头单位不属于本镇街"), fields={"lead_unit": _("不属于该镇街")})
    if code:
        _project_series(year).note(code)
    insert_coded(p, code=code, next_code=lambda: _project_series(year).next())
    ProjectStage.objects.bulk_create([ProjectStage(project=p, stage=s) for s in STAGE_ORDER])
    _history(p, action=Action.ADOPT, actor=actor, on=on, from_state="")
    record(actor=actor, verb="project.adopt", target=p, before=None, after=_snap(p))
    return p


@dataclass(frozen=True)
class YearTargetIn:
    year: int
    target: str
    amount: Any = None


@transaction.atomic
def project_plan(
    *, actor: Actor, project_id: int, lead_unit: Unit | None, targets: str, deadline: dt.date | None,
    funding_source: str = "", funding_amount: Any = None, supervisor: Deputy | None = None,
    deputies: Sequence[Deputy] = (), end_year: int | None = None, year_targets: Sequence[YearTargetIn] = (),
) -> Project:
    """实施方案: lead unit, targets, deadline (within the year, or within the last year of a multi-year
    project, which then has yearly targets), funding, the supervising presidium member and the
    deputies' group."""
    p = _open(actor, project_id, Action.PLAN)
    before = _snap(p)
    if lead_unit is not None and (lead_unit.town_id != p.town_id or not lead_unit.is_active):
        raise InvalidInput(_("牵头单位不属于本镇街或已停用"), fields={"lead_unit": _("不可用")})
    if end_year is not None and end_year <= p.year:
        end_year = None
    last = end_year or p.year
    if deadline is not None and not (dt.date(p.year, 1, 1) <= deadline <= dt.date(last, 12, 31)):
        msg = (_("完成时限应在 {a} 年至 {b} 年内").format(a=p.year, b=last) if end_year
               else _("完成时限应在 {year} 年内（跨年度项目请填写完成年度）").format(year=p.year))
        raise InvalidInput(msg, fields={"deadline": msg})
    if end_year is not None:
        years = {t.year for t in year_targets}
        missing = [y for y in range(p.year, end_year + 1) if y not in years]
        if missing:
            msg = _("跨年度项目须填写每一年度的目标，缺少 {years} 年").format(years="、".join(map(str, missing)))
            raise InvalidInput(msg, fields={"year_targets": msg})
    if supervisor is not None and (not supervisor.is_presidium or supervisor.town_id != p.town_id):
        raise InvalidInput(_("督办人应为本镇主席团成员"), fields={"supervisor": _("不是本镇主席团成员")})
    for d in deputies:
        if d.town_id != p.town_id:
            raise InvalidInput(_("代表「{name}」不属于本镇街").format(name=d.name),
                               fields={"deputies": _("不属于该镇街")})
    p.lead_unit, p.targets, p.deadline, p.end_year = lead_unit, (targets or "").strip(), deadline, end_year
    p.funding_source = clean_text(funding_source, "funding_source", max_length=200)
    p.funding_amount = rules.money(funding_amount, "funding_amount", _("计划投资"))
    p.supervisor = supervisor
    full_clean(p)
    p.save()
    p.deputies.set(list(deputies))
    YearTarget.objects.filter(project=p).delete()
    for t in year_targets:
        if end_year is None or not (p.year <= t.year <= end_year):
            continue
        row = YearTarget(project=p, year=t.year, target=required_text(t.target, "year_targets", _("请填写年度目标")),
                         amount=rules.money(t.amount, "year_targets", _("年度投资")))
        full_clean(row)
        row.save()
    after = _snap(p) | {"deputies": sorted(d.name for d in deputies)}
    record(actor=actor, verb="project.plan", target=p, before=before, after=after)
    _notify_group(p, _("您已被安排督办民生实事项目「{title}」").format(title=p.title))
    return p


@transaction.atomic
def project_start(*, actor: Actor, project_id: int, on: dt.date | None = None, comment: str = "") -> Project:
    """开始实施: adopted → implementing."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.START)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.START)
    return _commit(p, action=Action.START, actor=actor, on=on, from_state=from_state, before=before,
                   comment=(comment or "").strip())


@transaction.atomic
def project_stage_set(
    *, actor: Actor, project_id: int, stage: str, planned_start: dt.date | None = None,
    planned_end: dt.date | None = None, actual_start: dt.date | None = None, actual_end: dt.date | None = None,
    note: str = "",
) -> ProjectStage:
    """A stage's planned and actual dates (an actual date is not in the future; an end needs a start)."""
    p = _open(actor, project_id, Action.STAGE)
    if stage not in Stage.values:
        raise InvalidInput(_("阶段不正确"), fields={"stage": _("不正确")})
    today = timezone.localdate()
    for name, value in (("actual_start", actual_start), ("actual_end", actual_end)):
        if value is not None and value > today:
            raise InvalidInput(_("实际日期不能晚于今天"), fields={name: _("不能晚于今天")})
    if actual_end is not None and actual_start is None:
        raise InvalidInput(_("请先填写实际开始日期"), fields={"actual_start": _("必填")})
    for a, b, field in ((planned_start, planned_end, "planned_end"), (actual_start, actual_end, "actual_end")):
        if a is not None and b is not None and b < a:
            raise InvalidInput(_("完成日期不能早于开始日期"), fields={field: _("早于开始日期")})
    row, _created = ProjectStage.objects.get_or_create(project=p, stage=stage)
    before = _snap(p)
    row.planned_start, row.planned_end, row.actual_start, row.actual_end = (planned_start, planned_end,
                                                                            actual_start, actual_end)
    row.note = clean_text(note, "note", max_length=200)
    full_clean(row)
    row.save()
    p.save(update_fields=["updated_at"])
    record(actor=actor, verb="project.stage", target=p, before=before, after=_snap(p),
           comment=str(Stage(stage).label))
    return row


MONEY_FIELDS = ("budget", "tender_ceiling", "bid_price", "contract_price", "paid", "final_account")
MONEY_LABELS = {"budget": "预算总造价", "tender_ceiling": "招标控制价", "bid_price": "中标价",
                "contract_price": "合同价", "paid": "已支付", "final_account": "结算/审计决算"}


@transaction.atomic
def project_money_set(*, actor: Actor, project_id: int, procurement: str | None = None, platform: str | None = None,
                      contractor: str | None = None, **amounts: Any) -> tuple[Project, bool]:
    """资金与招投标: the sums (Decimal yuan; a key left out is kept), the procurement method, the
    trading platform and the contractor. A bid above the tender ceiling or more paid than the
    contract are recorded, and warned about (home cards, notifications), not refused."""
    unknown = set(amounts) - set(MONEY_FIELDS)
    if unknown:
        raise TypeError(f"unknown money fields: {sorted(unknown)}")
    p = _open(actor, project_id, Action.MONEY)
    changes: dict[str, Any] = {k: rules.money(v, k, str(MONEY_LABELS[k])) for k, v in amounts.items()}
    if procurement is not None:
        if procurement and procurement not in Procurement.values:
            raise InvalidInput(_("采购方式不正确"), fields={"procurement": _("不正确")})
        changes["procurement"] = procurement
    if platform is not None:
        changes["platform"] = clean_text(platform, "platform", max_length=100)
    if contractor is not None:
        changes["contractor"] = clean_text(contractor, "contractor", max_length=200)
    old = rules.warnings_for(**_warning_args(p))
    p, changed = update_audited(p, actor=actor, verb="project.money", changes=changes)
    new = rules.warnings_for(**_warning_args(p))
    fresh = [w for w in new if w.kind in {"bid_over_ceiling", "paid_over_contract"} and w not in old]
    if fresh:
        text = _("民生实事项目「{title}」：{w}").format(title=p.title, w="；".join(w.text for w in fresh))
        transaction.on_commit(partial(_notify_office, p.pk, "project.warning", text))
    return p, changed


def _warning_args(p: Project, today: dt.date | None = None) -> dict[str, Any]:
    from renda.projects.models import Stage as StageChoices

    return {"stages": list(p.stages.all()) if p.pk else [], "stage_labels": dict(StageChoices.choices),
            "tender_ceiling": p.tender_ceiling, "bid_price": p.bid_price, "contract_price": p.contract_price,
            "paid": p.paid, "today": today or timezone.localdate(), "rectify_deadline": p.rectify_deadline,
            "rectifying": p.state == State.RECTIFYING}


@transaction.atomic
def project_progress_set(*, actor: Actor, project_id: int, progress: int | None, reason: str = "") -> Project:
    """进度 entered by hand, with a reason; ``None`` goes back to the progress computed from the stages."""
    p = _open(actor, project_id, Action.REPORT_PROGRESS)
    if progress is not None:
        if not 0 <= progress <= 100:
            raise InvalidInput(_("进度应在 0 至 100 之间"), fields={"progress": _("应在 0 至 100 之间")})
        reason = required_text(reason, "reason", _("手工填写进度时请说明理由"), max_length=200)
    else:
        reason = ""
    p, _changed = update_audited(p, actor=actor, verb="project.progress",
                                 changes={"progress_manual": progress, "progress_reason": reason})
    return p


def _store_photos(*, actor: Actor, p: Project, files: Sequence[Any], public: bool,
                  report: ProgressReport | None = None, inspection: Inspection | None = None) -> list[ProjectPhoto]:
    existing = ProjectPhoto.objects.filter(project=p, report=report, inspection=inspection).count()
    checked = uploads.check_files(list(files), existing=existing)
    return attachments.store(checked, lambda c: ProjectPhoto(
        project=p, report=report, inspection=inspection, public=public, original_name=c.name,
        content_type=c.content_type, size=c.size, sha256=c.sha256, uploaded_by=actor_user(actor)))


@transaction.atomic
def project_report_progress(*, actor: Actor, project_id: int, text: str, on: dt.date | None = None,
                            files: Sequence[Any] = (), public: bool = False) -> ProgressReport:
    """进度报告: what was done, with photos (``public`` ones show on the public board)."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.REPORT_PROGRESS)
    if on < p.adopted_on:
        raise InvalidInput(_("报告日期不能早于票决日期"), fields={"on": _("早于票决日期")})
    r = ProgressReport(project=p, on=on, text=(text or "").strip(), actor=actor_user(actor),
                       actor_label=actor_label(actor), at=business_at(on))
    if not r.text:
        raise InvalidInput(_("请填写进展情况"), fields={"text": _("必填")})
    full_clean(r)
    r.save()
    saved = _store_photos(actor=actor, p=p, files=files, public=public, report=r) if files else []
    p.save(update_fields=["updated_at"])
    record(actor=actor, verb="project.report_progress", target=p, before=None,
           after={"on": on.isoformat(), "text": r.text, "attachments": attachments.listing(saved)})
    return r


@transaction.atomic
def project_photo_publish(*, actor: Actor, photo_id: int, public: bool) -> ProjectPhoto:
    """Show (or hide) a photo on the public board."""
    photo = ProjectPhoto.objects.select_related("project").filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    p = lock(Project, photo.project_id)
    policy.require(actor, Action.REPORT_PROGRESS, p)
    if photo.public != public:
        photo.public = public
        photo.save(update_fields=["public"])
        record(actor=actor, verb="project.photo_publish", target=p, after={"photo": photo.pk, "public": public})
    return photo


@transaction.atomic
def project_complete(*, actor: Actor, project_id: int, report: str, on: dt.date | None = None) -> Project:
    """完成报告: the government's written completion report; implementing → completed, to be graded at
    the next session."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.COMPLETE)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.COMPLETE)
    p.completion_report = (report or "").strip()
    if not p.completion_report:
        raise InvalidInput(_("请填写完成情况报告"), fields={"report": _("必填")})
    if on < p.adopted_on:
        raise InvalidInput(_("完成日期不能早于票决日期"), fields={"on": _("早于票决日期")})
    p.completed_on = on
    return _commit(p, action=Action.COMPLETE, actor=actor, on=on, from_state=from_state, before=before)


@transaction.atomic
def project_evaluate(*, actor: Actor, project_id: int, grade: str, on: dt.date | None = None,
                     session: Session | None = None, vote_round: VoteRound | None = None,
                     rectify_deadline: dt.date | None = None) -> Project:
    """满意度测评 result: 满意 / 基本满意 → evaluated; 不满意 → rectifying, with a deadline for the lead
    unit's rectification report (default 90 days), notified and tracked."""
    on = business_date(on)
    if grade not in Grade.values:
        raise InvalidInput(_("测评结果不正确"), fields={"grade": _("不正确")})
    action = Action.EVALUATE_FAIL if grade == Grade.DISSATISFIED else Action.EVALUATE
    p = _open(actor, project_id, action)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, action)
    p.grade, p.evaluated_on = grade, on
    p.evaluation_session, p.evaluation_round = session, vote_round
    if grade == Grade.DISSATISFIED:
        p.rectify_deadline = rectify_deadline or on + dt.timedelta(days=rules.RECTIFY_DAYS)
        if p.rectify_deadline <= on:
            raise InvalidInput(_("整改期限应晚于测评日期"), fields={"rectify_deadline": _("应晚于测评日期")})
        p.rectification_report, p.rectified_on = "", None
        text = _("民生实事项目「{title}」测评为不满意，请于 {d} 前向主席团提交整改报告").format(
            title=p.title, d=p.rectify_deadline.isoformat())
        transaction.on_commit(partial(_notify_unit_and_office, p.pk, "project.rectify", text))
    return _commit(p, action=action, actor=actor, on=on, from_state=from_state, before=before,
                   comment=str(Grade(grade).label))


@transaction.atomic
def project_rectify(*, actor: Actor, project_id: int, report: str, on: dt.date | None = None) -> Project:
    """整改报告 of the lead unit to the presidium: rectifying → rectified."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.RECTIFY)
    before, from_state = _snap(p), p.state
    p.state = workflow.next_state(p.state, Action.RECTIFY)
    p.rectification_report = (report or "").strip()
    if not p.rectification_report:
        raise InvalidInput(_("请填写整改报告"), fields={"report": _("必填")})
    p.rectified_on = on
    return _commit(p, action=Action.RECTIFY, actor=actor, on=on, from_state=from_state, before=before)


# --- supervision ----------------------------------------------------------------------------------


@transaction.atomic
def project_inspect(*, actor: Actor, project_id: int, on: dt.date | None, deputies: Sequence[Deputy],
                    findings: str, files: Sequence[Any] = (), public: bool = False) -> Inspection:
    """代表视察: the date, the deputies who took part, the findings, photos."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.INSPECT)
    people = list(dict.fromkeys(deputies))
    if not people:
        raise InvalidInput(_("请选择参加视察的代表"), fields={"deputies": _("必填")})
    for d in people:
        if d.town_id != p.town_id:
            raise InvalidInput(_("代表「{name}」不属于本镇街").format(name=d.name),
                               fields={"deputies": _("不属于该镇街")})
    x = Inspection(project=p, on=on, findings=(findings or "").strip(), actor=actor_user(actor), at=business_at(on))
    if not x.findings:
        raise InvalidInput(_("请填写发现的问题及意见"), fields={"findings": _("必填")})
    full_clean(x)
    x.save()
    x.deputies.set(people)
    saved = _store_photos(actor=actor, p=p, files=files, public=public, inspection=x) if files else []
    p.save(update_fields=["updated_at"])
    record(actor=actor, verb="project.inspect", target=p, before=None,
           after={"on": on.isoformat(), "deputies": sorted(d.name for d in people), "findings": x.findings,
                  "attachments": attachments.listing(saved)})
    return x


@transaction.atomic
def inspection_to_suggestion(*, actor: Actor, inspection_id: int) -> Suggestion:
    """A finding becomes a deputy suggestion (led by the first deputy of the inspection), assigned to
    the project's lead unit through the suggestion services."""
    x = Inspection.objects.select_related("project").filter(pk=inspection_id).first()
    if x is None:
        raise NotFound()
    p = lock(Project, x.project_id)
    policy.require(actor, Action.INSPECT, p)
    x = Inspection.objects.select_for_update().get(pk=x.pk)
    if x.suggestion_id is not None:
        raise Conflict(_("该视察意见已转为意见建议"))
    if p.lead_unit is None:
        raise InvalidInput(_("项目尚未确定牵头单位，不能交办"), fields={"lead_unit": _("未确定")})
    people = list(x.deputies.order_by("id"))
    title = _("关于民生实事项目「{title}」的视察意见").format(title=p.title)[:200]
    s = suggestion_services.suggestion_register(
        actor=actor, town=p.town, kind="deputy", title=title, content=x.findings, lead_deputy=people[0],
        co_deputies=people[1:], on=x.on)
    s = suggestion_services.suggestion_assign(actor=actor, suggestion_id=s.pk, lead_unit=p.lead_unit, on=x.on)
    x.suggestion = s
    x.save(update_fields=["suggestion"])
    record(actor=actor, verb="project.inspection_suggestion", target=p,
           after={"inspection": x.pk, "suggestion": s.code})
    return s


@transaction.atomic
def project_note(*, actor: Actor, project_id: int, text: str, on: dt.date | None = None,
                 deputy: Deputy | None = None) -> SupervisionNote:
    """督办记录 by the office, the supervisor or a deputy of the group."""
    on = business_date(on, not_after_today=True)
    p = _open(actor, project_id, Action.NOTE)
    if deputy is None and getattr(actor, "deputy_id", None) and policy.is_supervisor(actor, p):
        deputy = actor.deputy  # type: ignore[union-attr]
    n = SupervisionNote(project=p, on=on, text=(text or "").strip(), deputy=deputy, actor=actor_user(actor),
                        actor_label=actor_label(actor), at=business_at(on))
    if not n.text:
        raise InvalidInput(_("请填写督办情况"), fields={"text": _("必填")})
    full_clean(n)
    n.save()
    record(actor=actor, verb="project.note", target=p, after={"on": on.isoformat(), "text": n.text})
    return n


# --- notifications and reminders ------------------------------------------------------------------


def _office_users(town_id: int) -> Iterable[Any]:
    from renda.accounts.models import User

    return User.objects.filter(is_active=True, town_id=town_id, role__in=["staff", "presidium"]).order_by("pk")


def _notify_office(project_id: int, verb: str, text: str) -> None:
    from renda.notifications.services import notify

    p = Project.objects.get(pk=project_id)
    notify(users=_office_users(p.town_id), verb=verb, text=text, url=reverse("projects:detail", args=[p.pk]))


def _notify_unit_and_office(project_id: int, verb: str, text: str) -> None:
    from renda.accounts.models import User
    from renda.notifications.services import notify

    p = Project.objects.get(pk=project_id)
    unit_users = list(User.objects.filter(is_active=True, role="unit", unit_id=p.lead_unit_id)
                      ) if p.lead_unit_id else []
    notify(users=[*unit_users, *_office_users(p.town_id)], verb=verb, text=text,
           url=reverse("projects:detail", args=[p.pk]))


def _notify_group(p: Project, text: str) -> None:
    from renda.accounts.models import User
    from renda.notifications.services import notify

    ids = [p.supervisor_id, *p.deputies.values_list("pk", flat=True)]
    users = User.objects.filter(is_active=True, deputy_id__in=[i for i in ids if i]).order_by("pk")
    url = reverse("projects:detail", args=[p.pk])
    transaction.on_commit(lambda: notify(users=list(users), verb="project.group", text=text, url=url))


def projects_remind(*, today: dt.date | None = None) -> int:
    """The daily reminder (``renda remind_projects``): each project with a date-driven warning (a
    stage overdue, a rectification report overdue or due within 7 days) tells its town's office,
    presidium and lead unit, at most once a day. Returns the number of projects reminded."""
    from renda.notifications.models import Notification

    today = today or timezone.localdate()
    n = 0
    qs = Project.objects.filter(state__in=[s.value for s in workflow.WORKING]).prefetch_related("stages")
    for p in qs.iterator(chunk_size=500):
        warnings = [w for w in rules.warnings_for(**_warning_args(p, today))
                    if w.kind in {"stage_overdue", "rectify_overdue"}]
        due_soon = (p.state == State.RECTIFYING and p.rectify_deadline is not None
                    and today <= p.rectify_deadline <= today + dt.timedelta(days=7))
        if not warnings and not due_soon:
            continue
        url = reverse("projects:detail", args=[p.pk])
        since = timezone.now() - dt.timedelta(hours=20)
        if Notification.objects.filter(verb="project.remind", url=url, created_at__gte=since).exists():
            continue
        parts = [w.text for w in warnings]
        if due_soon and p.rectify_deadline is not None:
            parts.append(_("整改报告应于 {d} 前提交").format(d=p.rectify_deadline.isoformat()))
        with transaction.atomic():
            _notify_unit_and_office(p.pk, "project.remind",
                                    _("民生实事项目「{title}」：{w}").format(title=p.title, w="；".join(parts)))
        n += 1
    return n


# --- the votes at the session (through congress) -------------------------------------------------


def _session_day(r: VoteRound) -> dt.date:
    """The business date of a round's result: the day it closed, within the session's dates."""
    s = r.session
    day = timezone.localdate(r.closed_at) if r.closed_at else timezone.localdate()
    return min(max(day, s.starts_on), s.ends_on)


@transaction.atomic
def candidate_list_vote(*, actor: Actor, list_id: int, session_id: int | None = None, title: str = "",
                        basis: str = "all", mode: str = "paper", chief_scrutineer: str = "", scrutineers: str = "",
                        issued: int | None = None, agenda_item_id: int | None = None) -> VoteRound:
    """票决: the submitted list put to the session's secret ballot — a ``select`` round of congress
    with one option per candidate (ref_kind ``project_candidate``) and the list's N as seats. The
    result comes back through ``on_candidate_round_closed``."""
    cl = lock(CandidateList, list_id)
    policy.require(actor, "vote", cl)
    if cl.state == CandidateList.ListState.DRAFT:
        raise InvalidInput(_("名单尚未由主席团提请票决"))
    if cl.state == CandidateList.ListState.DECIDED:
        raise InvalidInput(_("名单已票决"))
    if cl.state == CandidateList.ListState.VOTING and cl.vote_round is not None and cl.vote_round.state != "void":
        raise Conflict(_("名单已在票决中"))
    session = Session.objects.filter(pk=session_id or cl.session_id or 0, town_id=cl.town_id).first()
    if session is None:
        raise InvalidInput(_("请选择本镇的人代会"), fields={"session": _("必填")})
    candidates = list(cl.candidates.filter(state=CandidateState.LISTED).order_by("position", "id"))
    rules.check_surplus(n=len(candidates), seats=cl.seats, min_surplus=cl.min_surplus)
    options = [OptionSpec("project_candidate", c.pk, c.title) for c in candidates]
    r = congress_services.round_open(
        actor=actor, session_id=session.pk, kind="select", options=options, seats=cl.seats, basis=basis, mode=mode,
        title=title or _("{year}年度民生实事项目票决").format(year=cl.year), chief_scrutineer=chief_scrutineer,
        scrutineers=scrutineers, issued=issued, agenda_item_id=agenda_item_id)
    before = _list_snap(cl)
    cl.state, cl.session, cl.vote_round = CandidateList.ListState.VOTING, session, r
    cl.save()
    record(actor=actor, verb="project.list_vote", target=cl, before=before, after=_list_snap(cl))
    return r


def on_candidate_round_closed(r: VoteRound, result: RoundResult) -> None:
    """The close of a ``project_candidate`` round (inside congress' transaction): the elected
    candidates adopted and their projects created; when ties wait for a further round, the others
    stay listed; otherwise they are not adopted. A void round decides nothing."""
    if result.void:
        return
    mine = [o for o in result.options if o.ref_kind == "project_candidate"]
    lists = set(Candidate.objects.filter(pk__in=[o.ref_id for o in mine], town_id=r.session.town_id)
                .values_list("candidate_list_id", flat=True))
    for list_id in sorted(i for i in lists if i):
        candidate_list_decide(
            actor=None, list_id=list_id, on=_session_day(r), vote_round=r, final=not result.needs_further_round,
            outcomes=[Outcome(o.ref_id, o.elected, o.for_) for o in mine])


@transaction.atomic
def project_evaluation_open(*, actor: Actor, session_id: int, project_ids: Sequence[int], title: str = "",
                            basis: str = "all", mode: str = "paper", chief_scrutineer: str = "",
                            scrutineers: str = "", issued: int | None = None,
                            agenda_item_id: int | None = None) -> VoteRound:
    """满意度测评: an ``evaluate`` round of congress at a later session, one option per completed
    project (ref_kind ``project``); grades come back through ``on_project_round_closed``."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    projects = []
    for pk in dict.fromkeys(project_ids):
        p = lock(Project, pk)
        policy.require(actor, Action.EVALUATE, p)
        if p.town_id != session.town_id:
            raise InvalidInput(_("项目不属于本镇街"), fields={"projects": _("不属于该镇街")})
        if p.state not in workflow.GRADABLE:
            raise InvalidInput(_("「{title}」{state}，尚未提交完成情况报告，不能测评").format(
                title=p.title, state=workflow.label(State(p.state))), fields={"projects": _("不能测评")})
        if p.completed_on is not None and p.completed_on > session.starts_on:
            raise InvalidInput(_("「{title}」的完成情况报告晚于本次会议，应在下次会议测评").format(title=p.title),
                               fields={"projects": _("不能测评")})
        projects.append(p)
    if not projects:
        raise InvalidInput(_("请选择要测评的项目"), fields={"projects": _("必填")})
    options = [OptionSpec("project", p.pk, p.title) for p in projects]
    return congress_services.round_open(
        actor=actor, session_id=session.pk, kind="evaluate", options=options, basis=basis, mode=mode,
        title=title or _("民生实事项目满意度测评"), chief_scrutineer=chief_scrutineer, scrutineers=scrutineers,
        issued=issued, agenda_item_id=agenda_item_id)


def on_project_round_closed(r: VoteRound, result: RoundResult) -> None:
    """The close of an evaluation round: each project's grade stored with its session; a dissatisfied
    project goes to rectification with a deadline. A void round grades nothing."""
    if result.void:
        return
    on = _session_day(r)
    ours = set(Project.objects.filter(town_id=r.session.town_id, pk__in=[o.ref_id for o in result.options
                                                                         if o.ref_kind == "project"])
               .values_list("pk", flat=True))
    for o in result.options:
        if o.ref_kind != "project" or not o.grade or o.ref_id not in ours:
            continue
        project_evaluate(actor=None, project_id=o.ref_id, grade=o.grade, on=on, session=r.session, vote_round=r)
