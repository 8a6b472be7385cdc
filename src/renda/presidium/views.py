"""Pages of the presidium's records: a ``core.crud.Resource`` per record type (list with filters,
search, pagination, Excel export and phone cards; create/edit; detail with history); the plan's
and the task's own detail pages (the tasks table; the links, the half-year reviews and their
forms); the Word prints of the plan and of the division of duties. Thin: selectors → policy →
services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.audit.selectors import history_for
from renda.core.crud import Column, DetailField, Resource, add_error, date_text, yes_no
from renda.core.documents import docx_response
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.types import acting
from renda.presidium import documents, forms, halves, policy, selectors, services
from renda.presidium.models import DutyDivision, InfoItem, LinkKind, Plan, PlanTask, PlanTaskLink


def _town(actor: Any, d: dict[str, Any]) -> Any:
    return d.get("town") or getattr(actor, "town", None)


def _status(task: PlanTask) -> str:
    r = selectors.latest_review(task)
    return f"{r.get_status_display()}（{halves.label(r.half)}）" if r else _("未评估")


def _due(task: PlanTask) -> str:
    return halves.label(task.due_half) + (f"（{task.due_on.isoformat()}）" if task.due_on else "")


def _names(qs: Any) -> str:
    return "、".join(str(x) for x in qs.all())


# --- the plan (年度工作要点) ------------------------------------------------------------------

_can, _require = policy.for_kind("plans")
plans = Resource(
    name="presidium_plans", model=Plan, label=gettext_lazy("年度工作要点"), label_plural=gettext_lazy("年度工作要点"),
    can=_can, require=_require, selector=selectors.plans_visible_to,
    columns=[
        Column("title", gettext_lazy("标题"), lambda o: o.title, link=True, card="title"),
        Column("year", gettext_lazy("年度"), lambda o: o.year, sort="year", nowrap=True, card="code"),
        Column("tasks", gettext_lazy("任务数"), lambda o: getattr(o, "task_count", 0), nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("title",), filter_form=forms.YearFilter, default_sort="-year",
    form_class=forms.PlanForm,
    initial=lambda u, o: {} if o is None else {"year": o.year, "title": o.title, "goals": o.goals},
    create=lambda a, d: services.plan_create(actor=a, town=_town(a, d), year=d["year"], title=d["title"],
                                             goals=d["goals"]),
    update=lambda a, o, d: services.plan_update(actor=a, plan_id=o.pk, title=d["title"], goals=d["goals"]),
    export_name="年度工作要点",
)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_object(request, pk)
    plans._require(request, "view", plan)
    tasks = list(selectors.tasks_visible_to(request.user).filter(plan=plan).order_by("ordinal", "pk"))
    rows = [{"task": t, "status": _status(t), "due": _due(t), "url": reverse("plan_tasks:detail", args=[t.pk])}
            for t in tasks]
    return render(request, "presidium/plan_detail.html", {
        "resource": plans, "obj": plan, "rows": rows, "history": history_for(plan),
        "can_change": policy.can(request.user, "change", plan),
        "can_print": policy.can(request.user, "print", plan),
    })


@login_required
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plans.get_object(request, pk)
    plans._require(request, "print", plan)
    tasks = list(selectors.tasks_visible_to(request.user).filter(plan=plan).order_by("ordinal", "pk"))
    return docx_response(f"{plan.year}年度工作要点.docx", documents.render_plan(plan, tasks))


# --- tasks (工作任务) ---------------------------------------------------------------------------

_can, _require = policy.for_kind("tasks")
tasks = Resource(
    name="plan_tasks", model=PlanTask, label=gettext_lazy("工作任务"), label_plural=gettext_lazy("工作任务"),
    can=_can, require=_require, selector=selectors.tasks_visible_to,
    columns=[
        Column("ordinal", gettext_lazy("序号"), lambda o: f"{o.plan.year}-{o.ordinal}", sort="ordinal", nowrap=True,
               card="code"),
        Column("text", gettext_lazy("任务内容"), lambda o: str(o).split(". ", 1)[-1], link=True, card="title"),
        Column("area", gettext_lazy("工作板块"), lambda o: o.area),
        Column("lead", gettext_lazy("牵头主席团成员"), lambda o: o.lead.name, sort="lead__name", nowrap=True),
        Column("supporters", gettext_lazy("配合工作人员"), lambda o: _names(o.supporters)),
        Column("due", gettext_lazy("完成时限"), _due, sort="due_half", nowrap=True, card="deadline"),
        Column("status", gettext_lazy("最近评估"), _status, card="state"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("text", "area", "lead__name"), filter_form=forms.TaskFilter, default_sort="due_half",
    form_class=forms.TaskForm,
    initial=lambda u, o: {} if o is None else {
        "plan": o.plan_id, "area": o.area, "text": o.text, "lead": o.lead_id,
        "supporters": [s.pk for s in o.supporters.all()], "due_half": o.due_half, "due_on": o.due_on},
    create=lambda a, d: services.task_create(actor=a, plan=d["plan"], ordinal=d.get("ordinal"), area=d["area"],
                                             text=d["text"], lead=d["lead"], supporters=list(d["supporters"]),
                                             due_half=d["due_half"], due_on=d["due_on"]),
    update=lambda a, o, d: services.task_update(actor=a, task_id=o.pk, area=d["area"], text=d["text"],
                                                lead=d["lead"], supporters=list(d["supporters"]),
                                                due_half=d["due_half"], due_on=d["due_on"]),
    export_name="工作任务",
)


def link_url(link: PlanTaskLink) -> str:
    """Where a linked record is shown."""
    target = link.target
    assert target is not None
    name = {LinkKind.SUGGESTION: "suggestions:detail", LinkKind.ACTIVITY: "duty_activities:detail",
            LinkKind.PROJECT: "projects:detail", LinkKind.CONTACT_TARGET: "liaison_settings:detail"}[
        LinkKind(link.kind)]
    return reverse(name, args=[target.pk])


def _render_task(request: HttpRequest, task: PlanTask, *, review_form: Any = None, link_form: Any = None,
                 status: int = 200) -> HttpResponse:
    user = request.user
    open_halves = services.reviewable_halves(task)
    can_review = policy.can(user, "review", task) and bool(open_halves)
    can_link = policy.can(user, "link", task)
    return render(request, "presidium/task_detail.html", {
        "resource": tasks, "obj": task, "due": _due(task), "status": _status(task),
        "links": [{"link": x, "url": link_url(x)} for x in task.links.all()],
        "reviews": sorted(task.reviews.all(), key=lambda r: halves.key(r.half), reverse=True),
        "history": history_for(task),
        "can_change": policy.can(user, "change", task), "can_review": can_review, "can_link": can_link,
        "review_form": review_form or (forms.ReviewForm(halves_open=open_halves) if can_review else None),
        "link_form": link_form or (forms.LinkForm(task=task) if can_link else None),
    }, status=status)


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = tasks.get_object(request, pk)
    tasks._require(request, "view", task)
    return _render_task(request, task)


@login_required
def task_review(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method != "POST":
        return HttpResponse(status=405)
    task = tasks.get_object(request, pk)
    tasks._require(request, "review", task)
    form = forms.ReviewForm(request.POST, halves_open=services.reviewable_halves(task))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.task_review(actor=acting(request), task=task, half=d["half"], status=d["status"], note=d["note"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已保存{half}进展评估").format(half=halves.label(d["half"])))
            return redirect("plan_tasks:detail", task.pk)
    return _render_task(request, tasks.get_object(request, pk), review_form=form, status=400)


@login_required
def task_link(request: HttpRequest, pk: int) -> HttpResponseBase:
    if request.method != "POST":
        return HttpResponse(status=405)
    task = tasks.get_object(request, pk)
    tasks._require(request, "link", task)
    form = forms.LinkForm(request.POST, task=task)
    if form.is_valid():
        try:
            kind, target = form.target()
            services.task_link(actor=acting(request), task=task, kind=kind, target=target)
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已关联进展记录"))
            return redirect("plan_tasks:detail", task.pk)
    return _render_task(request, tasks.get_object(request, pk), link_form=form, status=400)


@login_required
def task_unlink(request: HttpRequest, pk: int, link_id: int) -> HttpResponseBase:
    if request.method != "POST":
        return HttpResponse(status=405)
    task = tasks.get_object(request, pk)
    tasks._require(request, "unlink", task)
    if not task.links.filter(pk=link_id).exists():
        raise Http404
    services.task_unlink(actor=acting(request), link_id=link_id)
    messages.success(request, _("已取消关联"))
    return redirect("plan_tasks:detail", task.pk)


# --- division of duties (职责分工) ------------------------------------------------------------

_can, _require = policy.for_kind("divisions")
divisions = Resource(
    name="duty_divisions", model=DutyDivision, label=gettext_lazy("职责分工"), label_plural=gettext_lazy("职责分工"),
    can=_can, require=_require, selector=selectors.divisions_visible_to,
    columns=[
        Column("member", gettext_lazy("主席团成员"), lambda o: o.member.name, sort="member__name", link=True,
               card="title"),
        Column("year", gettext_lazy("年度"), lambda o: o.year, sort="year", nowrap=True, card="code"),
        Column("areas", gettext_lazy("分管工作"), lambda o: o.areas),
        Column("regions", gettext_lazy("联系村社区/网格"), lambda o: _names(o.regions)),
        Column("groups", gettext_lazy("联系代表小组"), lambda o: _names(o.groups)),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("member__name", "areas", "responsibilities"), filter_form=forms.YearFilter, default_sort="-year",
    form_class=forms.DivisionForm,
    initial=lambda u, o: {} if o is None else {
        "year": o.year, "member": o.member_id, "areas": o.areas, "responsibilities": o.responsibilities,
        "regions": [r.pk for r in o.regions.all()], "groups": [g.pk for g in o.groups.all()]},
    create=lambda a, d: services.division_create(
        actor=a, town=_town(a, d), year=d["year"], member=d["member"], areas=d["areas"],
        responsibilities=d["responsibilities"], regions=list(d["regions"]), groups=list(d["groups"])),
    update=lambda a, o, d: services.division_update(
        actor=a, division_id=o.pk, areas=d["areas"], responsibilities=d["responsibilities"],
        regions=list(d["regions"]), groups=list(d["groups"])),
    export_name="职责分工",
    detail_fields=[
        DetailField(gettext_lazy("主席团成员"), lambda o: o.member.name),
        DetailField(gettext_lazy("年度"), lambda o: o.year),
        DetailField(gettext_lazy("分管工作"), lambda o: o.areas),
        DetailField(gettext_lazy("工作职责"), lambda o: o.responsibilities),
        DetailField(gettext_lazy("联系村社区/网格"), lambda o: _names(o.regions)),
        DetailField(gettext_lazy("联系代表小组"), lambda o: _names(o.groups)),
        DetailField(gettext_lazy("所属镇街"), lambda o: o.town.name),
    ],
    # the list's filters (the year) carry over to the Word print
    extra_context={"list_links": [{"url": reverse_lazy("duty_divisions:document"),
                                   "label": gettext_lazy("打印职责分工（Word）")}]},
)


@login_required
def division_document(request: HttpRequest) -> HttpResponse:
    """The division of duties of a year (``?year=``, default this year) as Word: the user's town,
    or ``?town=<code>`` for a district user."""
    policy.require(request.user, "print", kind="divisions")
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    qs = selectors.divisions_visible_to(request.user).filter(year=year)
    code = "".join(ch for ch in request.GET.get("town") or "" if ch.isascii() and ch.isdigit())[:12]  # a 12-digit code
    if code:
        qs = qs.filter(town__code=code)
    rows = list(qs.order_by("town__code", "member__name", "pk"))
    town = rows[0].town if rows else getattr(request.user, "town", None)
    rows = [r for r in rows if town is None or r.town_id == town.pk]
    return docx_response(f"{year}年度主席团成员职责分工.docx", documents.render_division(town, year, rows))


# --- information items (信息报送) ---------------------------------------------------------------

_can, _require = policy.for_kind("info")
info_items = Resource(
    name="info_items", model=InfoItem, label=gettext_lazy("信息报送"), label_plural=gettext_lazy("信息报送"),
    can=_can, require=_require, selector=selectors.info_visible_to,
    columns=[
        Column("title", gettext_lazy("信息标题"), lambda o: o.title, link=True, card="title"),
        Column("submitted_on", gettext_lazy("报送日期"), lambda o: date_text(o.submitted_on), sort="submitted_on",
               nowrap=True, card="deadline"),
        Column("recipient", gettext_lazy("报送对象"), lambda o: o.recipient_text, nowrap=True),
        Column("adopted", gettext_lazy("是否采用"), lambda o: yes_no(o.adopted), sort="adopted", nowrap=True,
               card="state"),
        Column("adopted_on", gettext_lazy("采用日期"), lambda o: date_text(o.adopted_on), nowrap=True),
        Column("published_in", gettext_lazy("刊发载体"), lambda o: o.published_in),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("title", "published_in", "note"), filter_form=forms.InfoFilter, default_sort="-submitted_on",
    form_class=forms.InfoForm,
    initial=lambda u, o: {} if o is None else {
        "title": o.title, "submitted_on": o.submitted_on, "recipient": o.recipient,
        "recipient_other": o.recipient_other, "adopted": o.adopted, "adopted_on": o.adopted_on,
        "published_in": o.published_in, "note": o.note, "author": o.author_id},
    create=lambda a, d: services.info_create(actor=a, town=_town(a, d), **_info(d)),
    update=lambda a, o, d: services.info_update(actor=a, item_id=o.pk, **_info(d)),
    export_name="信息报送",
    detail_fields=[
        DetailField(gettext_lazy("信息标题"), lambda o: o.title),
        DetailField(gettext_lazy("报送日期"), lambda o: date_text(o.submitted_on)),
        DetailField(gettext_lazy("报送对象"), lambda o: o.recipient_text),
        DetailField(gettext_lazy("是否采用"), lambda o: yes_no(o.adopted)),
        DetailField(gettext_lazy("采用日期"), lambda o: date_text(o.adopted_on)),
        DetailField(gettext_lazy("刊发载体"), lambda o: o.published_in),
        DetailField(gettext_lazy("链接或备注"), lambda o: o.note),
        DetailField(gettext_lazy("撰稿人"), lambda o: str(o.author) if o.author else ""),
        DetailField(gettext_lazy("所属镇街"), lambda o: o.town.name),
    ],
)


def _info(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("title", "submitted_on", "recipient", "recipient_other", "adopted", "adopted_on",
                                   "published_in", "note", "author")}
