"""Pages for livelihood projects (民生实事): the project list (a ``core.crud.Resource``: filters,
search, pagination, Excel export, phone cards), the project page (stages, money, warnings,
progress reports with photos, inspections, notes, each deputy's part, the actions), the
candidate pool and the candidate lists (差额, the vote, the Word list), the town's settings and
the public board. Thin: selectors → policy → services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.audit.selectors import history_for
from renda.congress.selectors import sessions_visible_to
from renda.core import documents
from renda.core import policy as base
from renda.core.attachments import attachment_response
from renda.core.crud import Column, DetailField, Resource, action_panel, add_error, date_text, dispatch_action
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.types import acting
from renda.projects import forms, policy, rules, selectors, services, workflow
from renda.projects.models import Candidate, CandidateList, Project, ProjectPhoto
from renda.projects.workflow import Action, CandidateState, State

# --- projects list ------------------------------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    if action == "create":
        action = "adopt"
    return policy.can(user, action, obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def _adopt(actor: Any, d: dict[str, Any]) -> Project:
    return services.project_adopt(actor=actor, town=d["town"], year=d["year"], title=d["title"],
                                  adopted_on=d["adopted_on"], lead_unit=d.get("lead_unit"), budget=d.get("budget"))


def _grade(p: Project) -> str:
    return p.get_grade_display() if p.grade else ""


projects = Resource(
    name="projects", model=Project, label=gettext_lazy("民生实事项目"), label_plural=gettext_lazy("民生实事项目"),
    can=_can, require=_require, selector=selectors.projects_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("title", gettext_lazy("项目名称"), lambda o: o.title, link=True, card="title"),
        Column("year", gettext_lazy("年度"), lambda o: o.year, sort="year", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("stage", gettext_lazy("当前阶段"), lambda o: selectors.stage_label(selectors.stage_of(o)), nowrap=True),
        Column("progress", gettext_lazy("进度"), lambda o: f"{selectors.progress_of(o)}%", nowrap=True,
               card="deadline"),
        Column("lead_unit", gettext_lazy("牵头单位"), lambda o: o.lead_unit.name if o.lead_unit else ""),
        Column("budget", gettext_lazy("预算总造价（元）"), lambda o: rules.yuan(o.budget), sort="budget", nowrap=True),
        Column("bid_price", gettext_lazy("中标价（元）"), lambda o: rules.yuan(o.bid_price), nowrap=True),
        Column("paid", gettext_lazy("已支付（元）"), lambda o: rules.yuan(o.paid), nowrap=True),
        Column("deadline", gettext_lazy("完成时限"), lambda o: date_text(o.deadline), sort="deadline", nowrap=True),
        Column("grade", gettext_lazy("测评结果"), _grade, nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
    ],
    search_fields=("code", "title", "contractor"), filter_form=forms.ProjectFilter, default_sort="-year",
    form_class=forms.AdoptForm, create=_adopt, export_name="民生实事项目",
)


def _get(request: HttpRequest, pk: int) -> Project:
    p: Project = projects.get_object(request, pk)
    try:
        policy.require(request.user, "view", p)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return p


# --- project page and actions ---------------------------------------------------------------------

Handler = Callable[[Any, Project, dict[str, Any]], str]


def _start(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_start(actor=u, project_id=p.pk, on=d["on"], comment=d["comment"])
    return _("已开始实施")


def _plan(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_plan(
        actor=u, project_id=p.pk, lead_unit=d.get("lead_unit"), targets=d["targets"], deadline=d.get("deadline"),
        end_year=d.get("end_year"), funding_source=d["funding_source"], funding_amount=d.get("funding_amount"),
        supervisor=d.get("supervisor"), deputies=list(d.get("deputies") or []),
        year_targets=[services.YearTargetIn(y, t, a) for y, t, a in d["year_targets"]])
    return _("已保存实施方案")


def _stage(u: Any, p: Project, d: dict[str, Any]) -> str:
    row = services.project_stage_set(actor=u, project_id=p.pk, stage=d["stage"], planned_start=d.get("planned_start"),
                                     planned_end=d.get("planned_end"), actual_start=d.get("actual_start"),
                                     actual_end=d.get("actual_end"), note=d["note"])
    return _("已更新「{stage}」阶段").format(stage=row.get_stage_display())


def _money(u: Any, p: Project, d: dict[str, Any]) -> str:
    amounts = {k: d.get(k) for k in services.MONEY_FIELDS}
    services.project_money_set(actor=u, project_id=p.pk, procurement=d["procurement"], platform=d["platform"],
                               contractor=d["contractor"], **amounts)
    return _("已保存资金情况")


def _report(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_report_progress(actor=u, project_id=p.pk, text=d["text"], on=d["on"],
                                     files=d.get("photos") or (), public=d["public"])
    if d.get("progress") is not None:
        services.project_progress_set(actor=u, project_id=p.pk, progress=d["progress"],
                                      reason=d.get("progress_reason") or "")
    return _("已报告进度")


def _inspect(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_inspect(actor=u, project_id=p.pk, on=d["on"], deputies=list(d["deputies"]),
                             findings=d["findings"], files=d.get("photos") or (), public=d["public"])
    return _("已登记视察")


def _note(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_note(actor=u, project_id=p.pk, text=d["text"], on=d["on"])
    return _("已登记督办记录")


def _complete(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_complete(actor=u, project_id=p.pk, report=d["report"], on=d["on"])
    return _("已提交完成情况报告")


def _evaluate(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_evaluate(actor=u, project_id=p.pk, grade=d["grade"], on=d["on"],
                              rectify_deadline=d.get("rectify_deadline"))
    return _("已登记测评结果")


def _rectify(u: Any, p: Project, d: dict[str, Any]) -> str:
    services.project_rectify(actor=u, project_id=p.pk, report=d["report"], on=d["on"])
    return _("已提交整改报告")


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.START: (forms.StartForm, _start),
    Action.REPORT_PROGRESS: (forms.ReportProgressForm, _report),
    Action.STAGE: (forms.StageForm, _stage),
    Action.MONEY: (forms.MoneyForm, _money),
    Action.PLAN: (forms.PlanForm, _plan),
    Action.INSPECT: (forms.InspectForm, _inspect),
    Action.NOTE: (forms.NoteForm, _note),
    Action.COMPLETE: (forms.CompleteForm, _complete),
    Action.EVALUATE: (forms.EvaluateForm, _evaluate),
    Action.RECTIFY: (forms.RectifyForm, _rectify),
}


def page_actions(user: Any, p: Project) -> list[Action]:
    return [a for a in ACTIONS if a in policy.available_actions(user, p)]


def _render_detail(request: HttpRequest, p: Project, *, bound: tuple[Action, forms.ActionForm] | None = None,
                   status: int = 200) -> HttpResponse:
    user = request.user
    panel = action_panel(page_actions(user, p), ACTIONS, bound=bound, label=workflow.label,
                         form_kwargs={"project": p}, user=user)
    photos = list(p.attachments.order_by("uploaded_at", "id"))
    by_report, by_inspection = _group(photos, "report_id"), _group(photos, "inspection_id")
    ctx = {
        "resource": projects, "obj": p, "p": p, "actions": panel,
        "stages": selectors.stages_of(p), "stage": selectors.stage_label(selectors.stage_of(p)),
        "progress": selectors.progress_of(p), "warnings": selectors.warnings_of(p),
        "money": [(label, rules.yuan(getattr(p, f))) for f, label in (
            ("budget", _("预算总造价")), ("tender_ceiling", _("招标控制价")), ("bid_price", _("中标价")),
            ("contract_price", _("合同价")), ("paid", _("已支付")), ("final_account", _("结算/审计决算")))],
        "reports": [{"r": r, "photos": by_report.get(r.pk, [])} for r in p.progress_reports.order_by("-on", "-id")],
        "inspections": [{"x": x, "photos": by_inspection.get(x.pk, [])} for x in p.inspections.prefetch_related(
            "deputies").select_related("suggestion").order_by("-on", "-id")],
        "notes": p.notes.select_related("deputy").order_by("-on", "-id"),
        "parts": selectors.group_parts(p), "year_targets": p.year_targets.all(),
        "can_publish": policy.can(user, Action.REPORT_PROGRESS, p),
        "can_suggest": policy.can(user, Action.INSPECT, p) and p.lead_unit_id is not None,
        "transitions": p.transitions.order_by("on", "at", "id"), "history": history_for(p),
        "error_action": bound[0].value if bound else "",
    }
    return render(request, "projects/detail.html", ctx, status=status)


def _group(photos: list[ProjectPhoto], key: str) -> dict[int, list[ProjectPhoto]]:
    out: dict[int, list[ProjectPhoto]] = {}
    for ph in photos:
        k = getattr(ph, key)
        if k:
            out.setdefault(k, []).append(ph)
    return out


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    p = _get(request, pk)
    a, form, done, _error = dispatch_action(request, p, action, parse=Action, actions=ACTIONS,
                                            require=policy.require, form_kwargs={"project": p},
                                            detail="projects:detail", offered=lambda: page_actions(request.user, p),
                                            refusal=lambda a: workflow.refusal_for(p.state, a))
    if done is not None:
        return done
    p.refresh_from_db()
    if a not in page_actions(request.user, p):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render_detail(request, p, bound=(a, form), status=400)


def _photo(request: HttpRequest, pk: int, photo_id: int) -> tuple[Project, ProjectPhoto]:
    p = _get(request, pk)
    photo = ProjectPhoto.objects.filter(pk=photo_id, project=p).first()
    if photo is None:
        raise Http404
    return p, photo


@login_required
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    _p, ph = _photo(request, pk, photo_id)
    return attachment_response(ph)


@login_required
@require_POST
def photo_publish(request: HttpRequest, pk: int, photo_id: int) -> HttpResponseBase:
    p, ph = _photo(request, pk, photo_id)
    policy.require(request.user, Action.REPORT_PROGRESS, p)
    try:
        services.project_photo_publish(actor=acting(request), photo_id=ph.pk, public=request.POST.get("public") == "1")
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已设置照片公开") if request.POST.get("public") == "1" else _("已取消公开"))
    return redirect("projects:detail", p.pk)


@login_required
@require_POST
def inspection_suggestion(request: HttpRequest, pk: int, inspection_id: int) -> HttpResponseBase:
    p = _get(request, pk)
    if not p.inspections.filter(pk=inspection_id).exists():
        raise Http404
    policy.require(request.user, Action.INSPECT, p)
    try:
        s = services.inspection_to_suggestion(actor=acting(request), inspection_id=inspection_id)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已转为意见建议 {code}，交办{unit}").format(code=s.code, unit=p.lead_unit))
    return redirect("projects:detail", p.pk)


@login_required
def evaluation(request: HttpRequest) -> HttpResponseBase:
    """满意度测评: open an evaluation round at a session for the completed projects."""
    user: Any = request.user
    if not policy.can(user, "adopt"):
        raise Forbidden()
    gradable = selectors.projects_visible_to(user).filter(state__in=[s.value for s in workflow.GRADABLE])
    form = forms.EvaluationForm(request.POST or None, sessions=sessions_visible_to(user).order_by("-starts_on"),
                                projects=gradable)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.project_evaluation_open(
                actor=acting(request), session_id=d["session"].pk, project_ids=[x.pk for x in d["projects"]],
                mode=d["mode"], chief_scrutineer=d["chief_scrutineer"], scrutineers=d["scrutineers"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已开始满意度测评「{title}」").format(title=r.title))
            return redirect("congress_rounds:detail", r.pk)
    return render(request, "projects/form.html", {"form": form, "title": _("民生实事项目满意度测评"),
                                                  "multipart": False},
                  status=400 if request.method == "POST" else 200)


# --- candidates -----------------------------------------------------------------------------------


def _can_c(user: Any, action: str, obj: Any = None) -> bool:
    if obj is None and action in {"list", "export", "view"}:
        action = "candidates"
    if action == "create":
        action = "collect"
    return policy.can(user, action, obj)


def _require_c(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can_c, user, action, obj)


def _collect(actor: Any, d: dict[str, Any]) -> Candidate:
    return services.candidate_collect(
        actor=actor, town=d["town"], year=d["year"], title=d["title"], content=d["content"], kind=d["kind"],
        source=d["source"], deputy=d.get("deputy"), unit=d.get("unit"), source_note=d["source_note"],
        on=d["collected_on"])


def _source(c: Candidate) -> str:
    who = c.deputy.name if c.deputy else c.unit.name if c.unit else c.suggestion.code if c.suggestion else ""
    return f"{c.get_source_display()}{'：' + who if who else ''}"


def _candidate_related(user: Any, c: Candidate) -> list[dict[str, Any]]:
    """The candidate page's extra cards: the screening step (for the office) and the project it became."""
    from django.urls import reverse

    tables = []
    if c.state in (CandidateState.COLLECTED, CandidateState.SCREENED) and policy.can(user, "screen", c):
        tables.append({"title": _("初审"), "rows": [
            (_("填写初审意见（可行性、估算投资、拟牵头单位）"), reverse("project_candidates:screen", args=[c.pk]))]})
    project = Project.objects.filter(candidate=c).first()
    if project is not None:
        url = reverse("projects:detail", args=[project.pk]) if policy.can_view(user, project) else ""
        tables.append({"title": _("由此确定的民生实事项目"),
                       "rows": [(f"{project.code} {project.title}（{project.get_state_display()}）", url)]})
    return tables


candidates = Resource(
    name="project_candidates", model=Candidate, label=gettext_lazy("候选项目"),
    label_plural=gettext_lazy("候选项目（储备库）"), can=_can_c, require=_require_c,
    selector=selectors.candidates_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("title", gettext_lazy("项目名称"), lambda o: o.title, link=True, card="title"),
        Column("year", gettext_lazy("年度"), lambda o: o.year, sort="year", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("source", gettext_lazy("来源"), _source),
        Column("kind", gettext_lazy("类别"), lambda o: o.kind),
        Column("estimate", gettext_lazy("估算投资（元）"), lambda o: rules.yuan(o.estimate), sort="estimate",
               nowrap=True),
        Column("proposed_unit", gettext_lazy("拟牵头单位"), lambda o: o.proposed_unit.name if o.proposed_unit else ""),
        Column("collected_on", gettext_lazy("征集日期"), lambda o: date_text(o.collected_on), sort="collected_on",
               nowrap=True, card="deadline"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
    ],
    detail_fields=[
        DetailField(gettext_lazy("编号"), lambda o: o.code),
        DetailField(gettext_lazy("项目年度"), lambda o: o.year),
        DetailField(gettext_lazy("状态"), lambda o: o.get_state_display()),
        DetailField(gettext_lazy("项目内容"), lambda o: o.content),
        DetailField(gettext_lazy("类别"), lambda o: o.kind),
        DetailField(gettext_lazy("来源"), _source),
        DetailField(gettext_lazy("来源说明"), lambda o: o.source_note),
        DetailField(gettext_lazy("征集日期"), lambda o: date_text(o.collected_on)),
        DetailField(gettext_lazy("可行性意见"), lambda o: o.feasibility),
        DetailField(gettext_lazy("估算投资（元）"), lambda o: rules.yuan(o.estimate)),
        DetailField(gettext_lazy("拟牵头单位"), lambda o: o.proposed_unit.name if o.proposed_unit else ""),
        DetailField(gettext_lazy("候选项目名单"), lambda o: o.candidate_list.title if o.candidate_list else ""),
        DetailField(gettext_lazy("赞成票"), lambda o: o.votes_for if o.votes_for is not None else ""),
    ],
    related=_candidate_related,
    search_fields=("code", "title", "content"), filter_form=forms.CandidateFilter, default_sort="-year",
    form_class=forms.CollectForm, create=_collect, export_name="民生实事候选项目",
)


def _candidate(request: HttpRequest, pk: int) -> Candidate:
    c: Candidate = candidates.get_object(request, pk)
    return c


@login_required
def candidate_screen(request: HttpRequest, pk: int) -> HttpResponseBase:
    """初审: feasibility, estimate, proposed lead unit; an excluded kind is not listed."""
    c = _candidate(request, pk)
    policy.require(request.user, "screen", c)
    if c.state not in (CandidateState.COLLECTED, CandidateState.SCREENED):
        messages.error(request, _("该候选项目{state}，不能再初审").format(state=c.get_state_display()))
        return redirect("project_candidates:detail", c.pk)
    form = forms.ScreenForm(request.POST or None, candidate=c)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            c = services.candidate_screen(actor=acting(request), candidate_id=c.pk, feasible=d["feasible"],
                                          feasibility=d["feasibility"], estimate=d.get("estimate"),
                                          proposed_unit=d.get("proposed_unit"), kind=d["kind"], on=d["on"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("初审结果：{state}").format(state=c.get_state_display()))
            return redirect("project_candidates:detail", c.pk)
    return render(request, "projects/form.html", {"form": form, "title": _("初审「{t}」").format(t=c.title),
                                                  "back": c}, status=400 if request.method == "POST" else 200)


@login_required
def candidate_from_suggestion(request: HttpRequest, suggestion_pk: int) -> HttpResponseBase:
    """意见建议转为候选项目: the suggestion (which the user must see) becomes an idea of a year's pool,
    linked to it (the suggestion's candidates: ``selectors.candidates_for_suggestion``)."""
    from renda.suggestions.selectors import suggestions_visible_to

    user: Any = request.user
    if not policy.can(user, "collect"):
        raise Forbidden()
    s = suggestions_visible_to(user).filter(pk=suggestion_pk).first()
    if s is None:
        raise Http404
    form = forms.FromSuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            c = services.candidate_from_suggestion(actor=acting(request), suggestion_id=s.pk,
                                                   year=form.cleaned_data["year"], kind=form.cleaned_data["kind"],
                                                   on=form.cleaned_data["on"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已转为候选项目 {code}").format(code=c.code))
            return redirect("project_candidates:detail", c.pk)
    existing = selectors.candidates_for_suggestion(user, s.pk)
    return render(request, "projects/form.html", {
        "form": form, "title": _("意见建议「{t}」转为候选项目").format(t=s.title), "existing": existing},
        status=400 if request.method == "POST" else 200)


# --- candidate lists ------------------------------------------------------------------------------


def _can_l(user: Any, action: str, obj: Any = None) -> bool:
    if obj is None and action in {"list", "export", "view"}:
        action = "candidate_lists"
    if action == "create" and obj is None:
        action = "create_list"
    return policy.can(user, action, obj)


def _require_l(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can_l, user, action, obj)


def _list_create(actor: Any, d: dict[str, Any]) -> CandidateList:
    return services.candidate_list_create(actor=actor, town=d["town"], year=d["year"], title=d.get("title") or "")


lists = Resource(
    name="project_lists", model=CandidateList, label=gettext_lazy("候选项目名单"),
    label_plural=gettext_lazy("候选项目名单"), can=_can_l, require=_require_l,
    selector=selectors.candidate_lists_visible_to,
    columns=[
        Column("title", gettext_lazy("名称"), lambda o: o.title, link=True, card="title"),
        Column("year", gettext_lazy("年度"), lambda o: o.year, sort="year", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("seats", gettext_lazy("票决项目数"), lambda o: o.seats, nowrap=True),
        Column("submitted_on", gettext_lazy("提请日期"), lambda o: date_text(o.submitted_on), nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
    ],
    search_fields=("title",), filter_form=forms.ListFilter, default_sort="-year",
    form_class=forms.ListCreateForm, create=_list_create, export_name="候选项目名单",
)


def _list(request: HttpRequest, pk: int) -> CandidateList:
    cl: CandidateList = lists.get_object(request, pk)
    return cl


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cl = _list(request, pk)
    user: Any = request.user
    pool = selectors.candidates_visible_to(user).filter(
        town_id=cl.town_id, year=cl.year, state__in=[CandidateState.SCREENED, CandidateState.LISTED]).filter(
        candidate_list__isnull=True) | selectors.candidates_visible_to(user).filter(candidate_list=cl)
    set_form = forms.ListSetForm(queryset=pool.order_by("position", "id"),
                                 initial={"candidates": list(cl.candidates.values_list("pk", flat=True))})
    vote_form = forms.VoteForm(sessions=sessions_visible_to(user).filter(town_id=cl.town_id).order_by("-starts_on"),
                               initial={"session": cl.session_id})
    ctx = {"cl": cl, "obj": cl, "candidates": cl.candidates.select_related("proposed_unit").order_by("position", "id"),
           "need": cl.seats + cl.min_surplus, "set_form": set_form, "vote_form": vote_form,
           "can_edit": policy.can(user, "edit", cl) and cl.state == CandidateList.ListState.DRAFT,
           "can_submit": policy.can(user, "submit", cl) and cl.state == CandidateList.ListState.DRAFT,
           "can_vote": policy.can(user, "vote", cl) and cl.state in (CandidateList.ListState.SUBMITTED,),
           "can_print": policy.can(user, "print", cl),
           "projects": Project.objects.filter(candidate__candidate_list=cl).order_by("code"),
           "history": history_for(cl)}
    return render(request, "projects/list_detail.html", ctx)


@login_required
@require_POST
def list_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    cl = _list(request, pk)
    policy.require(request.user, "edit", cl)
    ids = [int(x) for x in request.POST.getlist("candidates") if x.isdigit()]
    try:
        services.candidate_list_set(actor=acting(request), list_id=cl.pk, candidate_ids=ids)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存候选项目名单（{n} 个）").format(n=len(ids)))
    return redirect("project_lists:detail", cl.pk)


@login_required
@require_POST
def list_submit(request: HttpRequest, pk: int) -> HttpResponseBase:
    cl = _list(request, pk)
    policy.require(request.user, "submit", cl)
    try:
        services.candidate_list_submit(actor=acting(request), list_id=cl.pk)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("主席团已提请大会票决"))
    return redirect("project_lists:detail", cl.pk)


@login_required
@require_POST
def list_vote(request: HttpRequest, pk: int) -> HttpResponseBase:
    cl = _list(request, pk)
    user: Any = request.user
    policy.require(user, "vote", cl)
    form = forms.VoteForm(request.POST, sessions=sessions_visible_to(user).filter(town_id=cl.town_id))
    if not form.is_valid():
        messages.error(request, _("请选择人代会"))
        return redirect("project_lists:detail", cl.pk)
    d = form.cleaned_data
    try:
        r = services.candidate_list_vote(actor=acting(request), list_id=cl.pk, session_id=d["session"].pk,
                                         mode=d["mode"], chief_scrutineer=d["chief_scrutineer"],
                                         scrutineers=d["scrutineers"])
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始票决「{title}」").format(title=r.title))
    return redirect("project_lists:detail", cl.pk)


@login_required
def list_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate list as Word (core.documents): every candidate with its content, estimate,
    proposed lead unit and source — no personal data."""
    cl = _list(request, pk)
    policy.require(request.user, "print", cl)
    rows = []
    for i, c in enumerate(cl.candidates.select_related("proposed_unit").order_by("position", "id"), start=1):
        parts = [c.content.strip()] if c.content.strip() else []
        parts.append(_("估算投资：{v} 元").format(v=rules.yuan(c.estimate) or "—"))
        parts.append(_("拟牵头单位：{u}").format(u=c.proposed_unit.name if c.proposed_unit else "—"))
        parts.append(_("来源：{s}").format(s=c.get_source_display()))
        rows.append((f"{i}. {c.title}", "\n".join(parts)))
    letter = documents.Letter(
        title=cl.title, number=f"{cl.year}-{cl.pk:03d}", issuer=_("{town}人民代表大会主席团").format(town=cl.town.name),
        date=cl.submitted_on or timezone.localdate(),
        paragraphs=[_("根据民生实事项目人大代表票决制的规定，经广泛征集、政府初审，主席团提出{year}年度民生实事候选项目"
                      "{n}个，提请大会差额票决，拟确定{seats}个。").format(year=cl.year, n=len(rows), seats=cl.seats)],
        table=rows,
        closing=[_("票决规则：每张选票赞成的项目不得多于{seats}个；赞成票超过全体代表半数、且按得票多少排在前{seats}名的项目当选；"
                   "得票相同不能确定时，就票数相同的项目另行投票。").format(seats=cl.seats)],
    )
    return documents.docx_response(f"{cl.title}.docx", documents.render([letter]))


# --- the town's settings ----------------------------------------------------------------------------


@login_required
def settings_page(request: HttpRequest) -> HttpResponseBase:
    """票决规则 (N, 差额), 征集期, 不予列入的项目类别 — the office staff of the town."""
    user: Any = request.user
    if not policy.can(user, "settings"):
        raise Forbidden()
    town = user.town
    current = services.settings_for(town)
    sform = forms.SettingsForm(None, initial={"seats": current.seats, "min_surplus": current.min_surplus})
    wform = forms.WindowForm(None, initial={"year": timezone.localdate().year + 1})
    kform = forms.ExcludedKindForm(None)
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        form: Any = {"settings": forms.SettingsForm, "window": forms.WindowForm,
                     "kind": forms.ExcludedKindForm}.get(which or "", forms.SettingsForm)(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if which == "window":
                    services.window_set(actor=acting(request), town=town, year=d["year"], opens_on=d["opens_on"],
                                        closes_on=d["closes_on"])
                elif which == "kind":
                    services.excluded_kind_create(actor=acting(request), town=town, name=d["name"])
                else:
                    services.settings_set(actor=acting(request), town=town, seats=d["seats"],
                                          min_surplus=d["min_surplus"])
            except (Forbidden, NotFound):
                raise
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("projects:settings")
        status = 400
        if which == "window":
            wform = form
        elif which == "kind":
            kform = form
        else:
            sform = form
    from renda.projects.models import CollectionWindow, ExcludedKind

    ctx = {"sform": sform, "wform": wform, "kform": kform,
           "windows": CollectionWindow.objects.filter(town=town).order_by("-year"),
           "kinds": ExcludedKind.objects.filter(town=town).order_by("name")}
    return render(request, "projects/settings.html", ctx, status=status)


@login_required
@require_POST
def excluded_kind_toggle(request: HttpRequest, kind_id: int) -> HttpResponseBase:
    from renda.projects.models import ExcludedKind

    kind = ExcludedKind.objects.filter(pk=kind_id).first()
    if kind is None or not policy.can(request.user, "view", kind):
        raise Http404
    try:
        services.excluded_kind_set_active(actor=acting(request), kind_id=kind.pk, active=not kind.is_active)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("projects:settings")


# --- the deputy's part (a partial other pages include) -------------------------------------------


@login_required
def deputy_part(request: HttpRequest, deputy_id: int) -> HttpResponse:
    """Each project the deputy takes part in (a page of its own and a card the deputy's page can show)."""
    from renda.people.models import Deputy

    deputy = Deputy.objects.filter(pk=deputy_id).first()
    user: Any = request.user
    if deputy is None or not (base.sees_every_town(user) or base.in_town(user, deputy.town_id)) or \
            user.role not in policy.CANDIDATE_READERS:
        raise Http404
    parts = selectors.deputy_parts(user, deputy.pk)
    return render(request, "projects/deputy_part.html", {"deputy": deputy, "parts": parts})


# --- the public board -----------------------------------------------------------------------------


def board(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """民生实事公示栏: each year's projects with stage, progress and public photos; no login, no
    personal data (no deputy, no contractor's people, no one's phone)."""
    years = selectors.board_years()
    if year is None:
        year = years[0] if years else timezone.localdate().year
    elif year not in years and not 2000 <= year <= 2100:
        raise Http404
    rows = [{"p": p, "stage": selectors.stage_label(selectors.stage_of(p)), "progress": selectors.progress_of(p),
             "photos": getattr(p, "public_photos", [])[:6]} for p in selectors.board_projects(year)]
    return render(request, "projects/board.html", {"rows": rows, "year": year, "years": years,
                                                   "finished": {State.COMPLETED, State.EVALUATED}})


def board_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A photo marked public, shown inline (image types only, sandboxed, no name of the uploader)."""
    ph = selectors.public_photo(photo_id)
    if ph is None:
        raise Http404
    try:
        handle = ph.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=ph.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response
