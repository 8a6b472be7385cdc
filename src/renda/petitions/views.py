"""Pages for petitions (信访件): the list (a ``core.crud.Resource``, masked, with its Excel
export), the detail page with deadlines, timeline, links, notices, the reveal form and the
actions this user may take now, the register form, the office's work queue, a presidium
member's letters to review, and the lookup by ID number or phone. Thin: selectors → policy →
services. Personal data is masked everywhere except in the response to a reveal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.audit.security import log_event
from renda.core import policy as base
from renda.core.attachments import attachment_response
from renda.core.crud import Column, Resource, action_panel, add_error, date_text, dispatch_action, tabbed_page, yes_no
from renda.core.documents import docx_response
from renda.core.errors import ApplicationError, Forbidden, InvalidInput, NotFound
from renda.core.types import Actor, acting
from renda.petitions import forms, notices, policy, rules, selectors, services, workflow
from renda.petitions.models import COMMON_CATEGORIES, Petition
from renda.petitions.workflow import Action

# --- the list (core.crud.Resource) ----------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    if action == "create":
        action = Action.REGISTER
    return policy.can(user, action, obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def petitioners_masked(p: Petition) -> str:
    """The petitioners' masked names (from the prefetched rows: no query per row)."""
    people = list(p.petitioners.all())
    text = "、".join(x.name_masked for x in people)
    return text + (_("等{n}人").format(n=p.head_count) if p.head_count > len(people) else "")


def deadline_text(p: Petition) -> str:
    if p.deadline is None:
        return ""
    if p.is_open and p.deadline < timezone.localdate():
        return _("{d}（已超期）").format(d=p.deadline.isoformat())
    return p.deadline.isoformat()


def _not_used(actor: Actor, data: dict[str, Any]) -> Any:  # pragma: no cover - see register()
    raise Http404


petitions = Resource(
    name="petitions", model=Petition, label=gettext_lazy("信访件"), label_plural=gettext_lazy("信访件"),
    can=_can, require=_require, selector=selectors.petitions_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("subject", gettext_lazy("标题"), lambda o: o.subject, link=True, card="title"),
        Column("channel", gettext_lazy("渠道"), lambda o: o.get_channel_display(), sort="channel", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("petitioners", gettext_lazy("信访人"), petitioners_masked),
        Column("head_count", gettext_lazy("人数"), lambda o: o.head_count, sort="head_count", nowrap=True),
        Column("category", gettext_lazy("类别"), lambda o: o.category),
        Column("village", gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        Column("grid", gettext_lazy("网格"), lambda o: o.grid.name if o.grid else ""),
        Column("registered_on", gettext_lazy("登记日期"), lambda o: date_text(o.registered_on), sort="registered_on",
               nowrap=True),
        Column("deadline", gettext_lazy("当前期限"), deadline_text, sort="deadline", card="deadline"),
        Column("is_repeat", gettext_lazy("重复信访"), lambda o: yes_no(o.is_repeat), sort="is_repeat", nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code",
               district_only=True),
    ],
    search_fields=("subject", "content", "code", "respondent"), filter_form=forms.PetitionFilter,
    default_sort="-registered_on", create=_not_used, export_name="信访件",
    extra_context={"categories": COMMON_CATEGORIES},
)


def _get(request: HttpRequest, pk: int) -> Petition:
    """The petition if this user may see it; another town's is a 404 (logged)."""
    p: Petition = petitions.get_object(request, pk)
    policy.require(request.user, "view", p)
    return p


# --- detail and actions -----------------------------------------------------------------------

Handler = Callable[[Any, Petition, dict[str, Any]], str]


def _step(data: dict[str, Any]) -> dict[str, Any]:
    """The form's version and business date, as the services take them."""
    return {"expected_version": int(data["version"]), "on": data.get("on")}


def _accept(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    petition = services.petition_accept(actor=user, petition_id=petition.pk, comment=data["comment"], **_step(data))
    assert petition.handling_due is not None
    return _("已受理，办理期限 {d}").format(d=petition.handling_due.isoformat())


def _decline(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_decline(actor=user, petition_id=petition.pk, reason=data["reason"], **_step(data))
    return _("已不予受理，请出具不予受理告知书")


def _extend(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    petition = services.petition_extend(actor=user, petition_id=petition.pk, days=data["days"],
                                        reason=data["reason"], **_step(data))
    assert petition.handling_due is not None
    return _("已延期至 {d}，请出具延期告知书").format(d=petition.handling_due.isoformat())


def _opinion(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_issue_opinion(actor=user, petition_id=petition.pk, opinion=data["opinion"], **_step(data))
    return _("已出具处理意见，请出具处理意见书")


def _request_review(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_request_review(actor=user, petition_id=petition.pk, comment=data["comment"], **_step(data))
    return _("已登记复查申请")


def _answer_review(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_answer_review(actor=user, petition_id=petition.pk, answer=data["answer"], **_step(data))
    return _("已复查答复")


def _request_rereview(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_request_rereview(actor=user, petition_id=petition.pk, comment=data["comment"], **_step(data))
    return _("已登记复核申请")


def _answer_rereview(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    services.petition_answer_rereview(actor=user, petition_id=petition.pk, answer=data["answer"], **_step(data))
    return _("已复核答复，信访事项终结")


def _route(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    instruction = services.petition_route(actor=user, petition_id=petition.pk,
                                          presidium_member=data["presidium_member"], comment=data["comment"],
                                          **_step(data))
    return _("已送{name}阅批").format(name=instruction.presidium_member.name)


def _instruct(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    instruction = selectors.pending_instruction(petition, getattr(user, "deputy_id", None))
    if instruction is None:
        raise InvalidInput(_("没有送您阅批的来信"))
    services.petition_instruct(actor=user, instruction_id=instruction.pk, text=data["text"], **_step(data))
    return _("已阅批")


def _to_suggestion(user: Any, petition: Petition, data: dict[str, Any]) -> str:
    suggestion = services.petition_to_suggestion(actor=user, petition_id=petition.pk, **_step(data))
    return _("已转为意见建议 {code}").format(code=suggestion.code)


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.ACCEPT: (forms.AcceptForm, _accept),
    Action.DECLINE: (forms.DeclineForm, _decline),
    Action.EXTEND: (forms.ExtendForm, _extend),
    Action.ISSUE_OPINION: (forms.OpinionForm, _opinion),
    Action.REQUEST_REVIEW: (forms.RequestReviewForm, _request_review),
    Action.ANSWER_REVIEW: (forms.AnswerReviewForm, _answer_review),
    Action.REQUEST_REREVIEW: (forms.RequestRereviewForm, _request_rereview),
    Action.ANSWER_REREVIEW: (forms.AnswerRereviewForm, _answer_rereview),
    Action.ROUTE: (forms.RouteForm, _route),
    Action.INSTRUCT: (forms.InstructForm, _instruct),
    Action.TO_SUGGESTION: (forms.ToSuggestionForm, _to_suggestion),
}
DESTRUCTIVE = frozenset({Action.DECLINE})


def page_actions(user: Any, p: Petition) -> list[Action]:
    """The actions this page has a form for, out of ``policy.available_actions``."""
    return [a for a in policy.available_actions(user, p) if a in ACTIONS]


def _render_detail(request: HttpRequest, p: Petition, *, bound: tuple[Action, forms.ActionForm] | None = None,
                   revealed: list[services.Revealed] | None = None, reveal_form: forms.RevealForm | None = None,
                   status: int = 200) -> HttpResponse:
    user = request.user
    action_forms = action_panel(page_actions(user, p), ACTIONS, bound=bound, label=workflow.label,
                                form_kwargs={"petition": p}, user=user, danger=DESTRUCTIVE)
    visible = selectors.petitions_visible_to(user)
    can_reveal = policy.can(user, "reveal", p)
    ctx = {
        "resource": petitions, "obj": p, "p": p, "actions": action_forms,
        "transitions": p.transitions.order_by("on", "at", "id"),
        "petitioners": list(p.petitioners.order_by("position", "id")),
        "revealed": revealed,
        "deadlines": rules.deadlines(p, rules.rules_for(p.town)),
        "overdue": p.is_open and p.deadline is not None and p.deadline < timezone.localdate(),
        "instructions": p.instructions.select_related("presidium_member").order_by("requested_on", "id"),
        "attachments": p.attachments.order_by("uploaded_at", "id"),
        "can_open_attachments": policy.can(request.user, "attachment", p),
        "repeat_of": visible.filter(pk=p.repeat_of_id).first() if p.repeat_of_id else None,
        "repeats": visible.filter(repeat_of=p).order_by("registered_on", "id"),
        "suggestion": p.suggestion if p.suggestion_id else None,
        "can_reveal": can_reveal,
        "reveal_form": reveal_form or (forms.RevealForm() if can_reveal else None),
        "notices": [{"kind": k, "title": s.title} for k, s in notices.available(p).items()]
        if policy.can(user, "notice", p) else [],
        "error_action": bound[0].value if bound else "",
    }
    response = render(request, "petitions/detail.html", ctx, status=status)
    if revealed is not None:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    """One workflow action from the detail page; a stale page comes back with the conflict."""
    p = _get(request, pk)
    a, form, done, _error = dispatch_action(request, p, action, parse=Action, actions=ACTIONS,
                                            require=policy.require, form_kwargs={"petition": p},
                                            detail="petitions:detail",
                                            offered=lambda: page_actions(request.user, p),
                                            refusal=lambda a: workflow.refusal_for(p.state, a),
                                            stale=services.STALE)
    if done is not None:
        return done
    p.refresh_from_db()
    if a not in page_actions(request.user, p):
        # Someone else moved the petition on: the form is gone from the page, its error is not.
        for error in form.non_field_errors() or [_("该信访件已被他人处理，请刷新后重试")]:
            messages.error(request, str(error))
    return _render_detail(request, p, bound=(a, form), status=400)


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """查看个人信息: the plain data in this response only, after a reason; audited."""
    p = _get(request, pk)
    policy.require(request.user, "reveal", p)
    form = forms.RevealForm(request.POST)
    if form.is_valid():
        try:
            people = services.petition_reveal(actor=acting(request), petition_id=p.pk,
                                              reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            if isinstance(exc, (Forbidden, NotFound)):
                raise
            add_error(form, exc)
        else:
            if getattr(request, "htmx", False):
                response = render(request, "petitions/partials/petitioners.html",
                                  {"p": p, "petitioners": list(p.petitioners.order_by("position", "id")),
                                   "revealed": people})
                response["Cache-Control"] = "private, no-store"
                return response
            return _render_detail(request, p, revealed=people)
    return _render_detail(request, p, reveal_form=form, status=400)


@login_required
def notice(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """下载告知书 (Word): for roles that may reveal; each download is an audited reveal."""
    p = _get(request, pk)
    if kind not in notices.SPECS:
        raise Http404
    policy.require(request.user, "notice", p)
    try:
        name, content = services.petition_notice(actor=acting(request), petition_id=p.pk, kind=kind)
    except InvalidInput:
        raise Http404 from None
    return docx_response(name, content)


@login_required
def attachment(request: HttpRequest, pk: int, att_id: int) -> HttpResponseBase:
    p = _get(request, pk)
    try:
        att = services.petition_attachment_open(actor=acting(request), petition_id=p.pk, attachment_id=att_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return attachment_response(att)


# --- register -------------------------------------------------------------------------------


@login_required
def register(request: HttpRequest) -> HttpResponseBase:
    """登记信访件 (office, presidium member on duty, grid worker)."""
    _require(request.user, "create")
    user: Any = request.user
    form = forms.RegisterForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = services.petition_register(
                actor=user, town=d["town"], channel=d["channel"], subject=d["subject"],
                content=d.get("content") or "", petitioners=d["petitioners"], head_count=d.get("head_count"),
                village=d.get("village"), grid=d.get("grid"), category=d.get("category") or "",
                respondent=d.get("respondent") or "", duty_shift=d.get("duty_shift"),
                on=d.get("registered_on"), files=d.get("attachments") or ())
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            if p.state == workflow.State.DECLINED:
                messages.warning(request, _("已登记 {code}：同一事实和理由已复核终结，不再受理").format(code=p.code))
            elif p.is_repeat:
                messages.warning(request, _("已登记 {code}，系重复信访，已关联原信访件").format(code=p.code))
            else:
                messages.success(request, _("已登记，编号 {code}").format(code=p.code))
            if policy.can(user, "view", p):
                return redirect("petitions:detail", p.pk)
            return redirect("accounts:home")
    return render(request, "petitions/register.html", {"form": form, "title": _("登记信访件"),
                                                       "categories": COMMON_CATEGORIES})


# --- queues, lookup -------------------------------------------------------------------------


def _deny(request: HttpRequest, what: str) -> None:
    log_event(kind="access_denied", user=request.user, path=request.path, detail=what)
    raise Forbidden()


OFFICE_TABS = [
    ("to_decide", gettext_lazy("待受理")), ("handling", gettext_lazy("办理中")),
    ("due_soon", gettext_lazy("即将到期")), ("overdue", gettext_lazy("已超期")),
    ("reviews", gettext_lazy("复查复核待答复")), ("instructions", gettext_lazy("待阅批")),
]


def _tabs_page(request: HttpRequest, *, title: str, tabs: list[tuple[str, str, QuerySet[Any]]],
               template: str, extra: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, template, {
        "title": title, **tabbed_page(request, tabs), "today": timezone.localdate(),
        "can_register": _can(request.user, "create"), **(extra or {}),
    })


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """信访工作台: the office's queues."""
    if not policy.can(request.user, "queue"):
        _deny(request, "petitions office queue")
    q = selectors.office_queue(request.user)
    return _tabs_page(request, title=_("信访工作台"), tabs=[(k, str(lbl), q[k]) for k, lbl in OFFICE_TABS],
                      template="petitions/queue.html")


@login_required
def instructions(request: HttpRequest) -> HttpResponse:
    """待阅批来信: the letters routed to this presidium member, and those already instructed."""
    if not policy.can(request.user, "instructions"):
        _deny(request, "petition instructions")
    q = selectors.instructions_for(request.user)
    return _tabs_page(request, title=_("待阅批来信"),
                      tabs=[("pending", _("待阅批"), q["pending"]), ("done", _("已阅批"), q["done"])],
                      template="petitions/instructions.html")


@login_required
def lookup(request: HttpRequest) -> HttpResponse:
    """按身份证号或电话查找信访人 (keyed hash; nothing is decrypted to search). A POST, so that
    the ID number or phone searched for never appears in a URL, the history or the access log."""
    if not policy.can(request.user, "lookup"):
        _deny(request, "petitions lookup")
    form = forms.LookupForm(request.POST or None)
    results: Any = None
    if form.is_bound and form.is_valid():
        results = list(selectors.petitions_for_lookup(request.user, id_number=form.cleaned_data["id_number"],
                                                      phone=form.cleaned_data["phone"])[:50])
        form = forms.LookupForm()  # what was typed is not echoed back (nor put in a URL or a log)
    response = render(request, "petitions/lookup.html", {"form": form, "results": results,
                                                         "title": _("查找信访人")})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def from_suggestion(request: HttpRequest, suggestion_pk: int) -> HttpResponseBase:
    """转为信访件, from the suggestion's detail page."""
    if not policy.can(request.user, "from_suggestion"):
        _deny(request, "suggestion to petition")
    form = forms.FromSuggestionForm(request.POST)
    channel = form.cleaned_data.get("channel") if form.is_valid() else None
    try:
        p = services.petition_from_suggestion(actor=acting(request), suggestion_id=suggestion_pk,
                                              channel=channel or None)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("suggestions:detail", args=[suggestion_pk]))
    messages.success(request, _("已转为信访件 {code}").format(code=p.code))
    return redirect("petitions:detail", p.pk)
