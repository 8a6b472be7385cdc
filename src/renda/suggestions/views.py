"""Staff, deputy and unit pages for suggestions (意见建议): the list (a ``core.crud.Resource``),
the detail page with the timeline and the actions this user may take now, the register form
with similar open items, and the work queues. Thin: selectors → policy → services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.audit.security import log_event
from renda.core import jobs, panels
from renda.core import policy as base
from renda.core.attachments import attachment_response
from renda.core.crud import Column, Resource, action_panel, add_error, date_text, dispatch_action, tabbed_page, yes_no
from renda.core.documents import docx_response
from renda.core.errors import ApplicationError, Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.privacy import RevealForm
from renda.core.roles import Role
from renda.core.types import Actor, acting
from renda.suggestions import documents, exports, forms, policy, selectors, services, workflow
from renda.suggestions.models import Attachment, Suggestion
from renda.suggestions.workflow import HANDLING, Action, State

# --- the list (core.crud.Resource) ----------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    """The suggestions policy, with the generic list page's words: everyone who may list may
    export what they see; "create" is registering."""
    if action == "export":
        action = "list"
    elif action == "create":
        action = Action.REGISTER
    return policy.can(user, action, obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def _deadline(s: Suggestion) -> str:
    if s.deadline is None:
        return ""
    if s.state in HANDLING and s.deadline < timezone.localdate():
        return _("{d}（已超期）").format(d=s.deadline.isoformat())
    return s.deadline.isoformat()


def _not_used(actor: Actor, data: dict[str, Any]) -> Any:  # pragma: no cover - see register()
    raise Http404


class SuggestionResource(Resource):
    """The generic list, with the suggestions' own search (``selectors.search``: the trigram
    index at district scale) and a background export for lists of more than
    ``exports.SYNC_LIMIT`` rows."""

    def filtered(self, request: HttpRequest) -> tuple[QuerySet[Any], Any, str, str]:
        qs, form, q, sort = super().filtered(request)  # search_fields is empty: no icontains here
        return selectors.search(qs, q), form, q, sort

    def list_view(self, request: HttpRequest) -> HttpResponseBase:
        if request.GET.get("export") == "xlsx":
            self._require(request, "export")
            qs = self.filtered(request)[0]
            if qs[:exports.SYNC_LIMIT + 1].count() > exports.SYNC_LIMIT:
                params = request.GET.copy()
                params.pop("export", None)
                params.pop("page", None)
                job_id = exports.start(request.user, params.urlencode())
                messages.info(request, _("导出的事项较多，已转入后台生成，完成后可在本页下载"))
                return redirect("suggestions:export_status", job_id)
        return super().list_view(request)


def _bulk_actions(user: Any) -> list[dict[str, Any]]:
    """下载交办单 / 答复函 of the ticked items (one .docx, a page per item)."""
    return [{"url": reverse("suggestions:documents", args=[kind]),
             "label": _("下载{title}").format(title=title)}
            for kind, title in documents.TITLES.items() if policy.can(user, kind)]


suggestions = SuggestionResource(
    name="suggestions", model=Suggestion, label=gettext_lazy("意见建议"), label_plural=gettext_lazy("意见建议"),
    can=_can, require=_require, selector=selectors.suggestions_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("title", gettext_lazy("标题"), lambda o: o.title, link=True, card="title"),
        Column("kind", gettext_lazy("类型"), lambda o: o.get_kind_display(), sort="kind", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("category", gettext_lazy("类别"), lambda o: o.category.name if o.category else ""),
        Column("village", gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        Column("grid", gettext_lazy("网格"), lambda o: o.grid.name if o.grid else ""),
        Column("lead_unit", gettext_lazy("主办单位"), lambda o: o.lead_unit.name if o.lead_unit else ""),
        Column("lead_deputy", gettext_lazy("领衔代表"), lambda o: o.lead_deputy.name if o.lead_deputy else ""),
        Column("registered_at", gettext_lazy("登记日期"), lambda o: date_text(o.registered_at), sort="registered_at",
               nowrap=True),
        Column("deadline", gettext_lazy("办理期限"), _deadline, sort="deadline", card="deadline"),
        Column("key_supervision", gettext_lazy("重点督办"), lambda o: yes_no(o.key_supervision),
               sort="key_supervision", nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code",
               district_only=True),
    ],
    # No generic icontains: SuggestionResource.filtered searches through selectors.search.
    search_fields=(), filter_form=forms.SuggestionFilter, default_sort="-registered_at",
    # The list page shows its "登记" button when ``create`` is set; registering has its own view.
    create=_not_used, export_name="意见建议", bulk_actions=_bulk_actions,
    # A search's page read from SQLite's search table by key (decision 0023).
    ranked=selectors.ranked_matches,
)


def _get(request: HttpRequest, pk: int) -> Suggestion:
    """The item if this user may see it; another town's or unit's item is a 404 (logged)."""
    s: Suggestion = suggestions.get_object(request, pk)
    policy.require(request.user, "view", s)
    return s


# --- detail and actions -----------------------------------------------------------------------

Handler = Callable[[Any, Suggestion, dict[str, Any]], str]


def _version(data: dict[str, Any]) -> int:
    return int(data["version"])


def _assign(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_assign(actor=user, suggestion_id=suggestion.pk, lead_unit=data["lead_unit"],
                               co_units=list(data["co_units"]), deadline=data["deadline"], comment=data["comment"],
                               expected_version=_version(data))
    return _("已交办给「{unit}」").format(unit=data["lead_unit"])


def _accept(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_accept(actor=user, suggestion_id=suggestion.pk, comment=data["comment"],
                               expected_version=_version(data))
    return _("已签收，请在期限内办理答复")


def _return(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_return(actor=user, suggestion_id=suggestion.pk, reason=data["reason"],
                               expected_version=_version(data))
    return _("已退回人大办重新交办")


def _co_opinion(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_co_opinion(actor=user, suggestion_id=suggestion.pk, opinion=data["opinion"],
                                   expected_version=_version(data))
    return _("已提交协办意见")


def _reply(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_reply(actor=user, suggestion_id=suggestion.pk, reply_class=data["reply_class"],
                              text=data["text"], expected_version=_version(data), files=data.get("attachments") or ())
    return _("已答复")


def _evaluate(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    evaluation = services.suggestion_evaluate(actor=user, suggestion_id=suggestion.pk, result=data["result"],
                                              comment=data["comment"], expected_version=_version(data))
    if workflow.needs_rehandle(evaluation.result):
        suggestion.refresh_from_db()
        if Action.CLOSE_DISSATISFIED in policy.available_actions(user, suggestion):
            # re-handled already and still 不满意: the office may now close it instead
            return _("已测评为不满意，事项已退回承办单位第 {n} 次重新办理；也可「不满意办结」").format(
                n=suggestion.rehandle_count)
        return _("已测评为不满意，事项已退回承办单位重新办理")
    return _("已测评：{result}").format(result=evaluation.get_result_display())


def _close(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_close(actor=user, suggestion_id=suggestion.pk, comment=data["comment"],
                              expected_version=_version(data))
    return _("已办结")


def _request_extension(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    extension = services.suggestion_request_extension(
        actor=user, suggestion_id=suggestion.pk, reason=data["reason"], days=data["days"],
        new_deadline=data["new_deadline"], expected_version=_version(data))
    return _("已申请延期至 {d}，等待人大办审批").format(d=extension.new_deadline.isoformat())


def _decide_extension(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    pending = selectors.pending_extension(suggestion)
    if pending is None:
        raise InvalidInput(_("没有待审批的延期申请"))
    approve = data["decision"] == "approve"
    services.suggestion_decide_extension(actor=user, extension_id=pending.pk, approve=approve,
                                         comment=data["comment"], expected_version=_version(data))
    return _("已同意延期") if approve else _("已不同意延期")


def _close_dissatisfied(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_close_dissatisfied(actor=user, suggestion_id=suggestion.pk, reason=data["reason"],
                                           expected_version=_version(data))
    return _("已不满意办结")


def _decline(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_decline(actor=user, suggestion_id=suggestion.pk, reason=data["reason"],
                                expected_version=_version(data))
    return _("已不予受理")


def _withdraw(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_withdraw(actor=user, suggestion_id=suggestion.pk, reason=data["reason"],
                                 expected_version=_version(data))
    return _("已撤回")


def _merge(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    code = data["into"].strip()
    target = selectors.suggestions_visible_to(user).filter(code=code).first()
    if target is None:
        raise InvalidInput(_("找不到编号为「{code}」的事项").format(code=code), fields={"into": _("编号不存在")})
    services.suggestion_merge(actor=user, suggestion_id=suggestion.pk, into_id=target.pk, comment=data["comment"],
                              expected_version=_version(data))
    return _("已合并至 {code}").format(code=target.code)


def _remind(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    services.suggestion_remind(actor=user, suggestion_id=suggestion.pk, note=data["note"],
                               expected_version=_version(data))
    return _("已催办")


def _supervise(user: Any, suggestion: Suggestion, data: dict[str, Any]) -> str:
    enabled = data["enabled"] == "on"
    services.suggestion_set_key_supervision(actor=user, suggestion_id=suggestion.pk, enabled=enabled,
                                            supervisor=data["supervisor"], comment=data["comment"],
                                            expected_version=_version(data))
    return _("已列入重点督办") if enabled else _("已取消重点督办")


#: The actions the pages offer: form, service call, and the button's words. ``rehandle``
#: happens by itself after 不满意; ``refuse_extension`` is the other answer of the same form;
#: ``to_petition`` is the petitions app's form (``{% petition_links %}``), shown when offered.
ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.ASSIGN: (forms.AssignForm, _assign),
    Action.ACCEPT: (forms.AcceptForm, _accept),
    Action.RETURN: (forms.ReturnForm, _return),
    Action.CO_OPINION: (forms.CoOpinionForm, _co_opinion),
    Action.REPLY: (forms.ReplyForm, _reply),
    Action.EVALUATE: (forms.EvaluateForm, _evaluate),
    Action.CLOSE: (forms.CloseForm, _close),
    Action.CLOSE_DISSATISFIED: (forms.CloseDissatisfiedForm, _close_dissatisfied),
    Action.REQUEST_EXTENSION: (forms.RequestExtensionForm, _request_extension),
    Action.APPROVE_EXTENSION: (forms.DecideExtensionForm, _decide_extension),
    Action.DECLINE: (forms.DeclineForm, _decline),
    Action.WITHDRAW: (forms.WithdrawForm, _withdraw),
    Action.MERGE: (forms.MergeForm, _merge),
    Action.REMIND: (forms.RemindForm, _remind),
    Action.SUPERVISE: (forms.SuperviseForm, _supervise),
}
DESTRUCTIVE = frozenset({Action.DECLINE, Action.WITHDRAW, Action.MERGE, Action.CLOSE_DISSATISFIED})


def _title(action: Action, s: Suggestion) -> str:
    if action == Action.REPLY and s.state != State.ACCEPTED:
        return _("再次答复")
    if action == Action.APPROVE_EXTENSION:
        return _("审批延期申请")
    return workflow.label(action)


def page_actions(user: Any, s: Suggestion, available: list[Action] | None = None) -> list[Action]:
    """The actions this page has a form for, out of ``policy.available_actions``."""
    return [a for a in (policy.available_actions(user, s) if available is None else available) if a in ACTIONS]


def refusal(s: Suggestion, action: Action) -> str:
    """Why a posted action is not offered now, in words (the workflow's, else the generic one)."""
    return workflow.refusal(s.state, action, policy.facts(s)) or _("您目前不能对该事项「{action}」").format(
        action=workflow.label(action))


def _render_detail(request: HttpRequest, s: Suggestion, bound: tuple[Action, forms.ActionForm] | None = None,
                   status: int = 200, *, revealed: services.SubmitterContact | None = None,
                   reveal_form: RevealForm | None = None) -> HttpResponse:
    user = request.user
    available = policy.available_actions(user, s)
    can_reveal = policy.has_contact(s) and policy.can(user, "reveal", s)
    action_forms = action_panel(page_actions(user, s, available), ACTIONS, bound=bound, label=lambda a: _title(a, s),
                                form_kwargs={"suggestion": s}, user=user, danger=DESTRUCTIVE)
    if bound and not any(f["action"] == bound[0].value for f in action_forms):
        # The action is no longer offered (someone else moved the item on): its form is not
        # shown, so its error (e.g. the conflict) must be told another way.
        for error in bound[1].non_field_errors():
            messages.error(request, str(error))
    ctx = {
        "resource": suggestions, "obj": s, "s": s, "actions": action_forms,
        "transitions": s.transitions.order_by("on", "at", "id"),
        "answers": _answers(s),
        "co_units": s.co_unit_links.select_related("unit").order_by("id"),
        "extensions": s.extensions.select_related("requested_by").order_by("requested_at", "id"),
        "co_deputies": s.co_deputies.order_by("name"),
        "attachments": [a for a in s.attachments.all() if a.reply_id is None],
        "reply_attachments": _by_reply(s),
        "merged_items": selectors.suggestions_visible_to(user).filter(merged_into=s).order_by("id"),
        "overdue": s.state in HANDLING and s.deadline is not None and s.deadline < timezone.localdate(),
        "error_action": bound[0].value if bound else "",
        "to_petition_offered": Action.TO_PETITION in available,
        "revealed": revealed,
        "reveal_form": reveal_form or (_reveal_form() if can_reveal and revealed is None else None),
        "documents": [{"kind": k, "title": documents.TITLES[k]} for k in documents.available(s)
                      if policy.can(user, k, s)],
        # what the apps above add to this page (Open311: the client an item came from; a motion
        # treated as this suggestion …): core.panels
        "related": panels.tables("suggestions", user, s),
    }
    response = render(request, "suggestions/detail.html", ctx, status=status)
    if revealed is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def _answers(s: Suggestion) -> dict[str, Any]:
    """答复与测评 in the order they happened (a reply, its evaluation, the reply after
    re-handling …), and whether the item was closed over its latest 不满意 (METRICS.md:
    closed, latest evaluation 不满意)."""
    replies = list(s.replies.select_related("unit").order_by("replied_at", "id"))
    evaluations = list(s.evaluations.order_by("evaluated_at", "id"))
    rows = [{"reply": r, "on": r.replied_at, "at": r.created_at} for r in replies]
    rows += [{"evaluation": e, "on": e.evaluated_at, "at": e.created_at} for e in evaluations]
    rows.sort(key=lambda x: (x["on"], x["at"]))
    last = evaluations[-1].result if evaluations else None
    return {"rows": rows, "any": bool(rows), "closed_dissatisfied": s.state == State.CLOSED
            and last is not None and workflow.needs_rehandle(last)}


def _reveal_form(data: Any = None) -> RevealForm:
    return RevealForm(data, prefix="reveal", placeholder=_("如：电话告知提出人办理结果"))


def _by_reply(s: Suggestion) -> dict[int, list[Attachment]]:
    out: dict[int, list[Attachment]] = {}
    for a in s.attachments.filter(reply__isnull=False).order_by("uploaded_at", "id"):
        assert a.reply_id is not None
        out.setdefault(a.reply_id, []).append(a)
    return out


@login_required
def attachment(request: HttpRequest, pk: int, att_id: int) -> FileResponse:
    """下载附件: only for users who may see the item (404 otherwise)."""
    s = _get(request, pk)
    att = Attachment.objects.filter(pk=att_id, suggestion_id=s.pk).first()
    if att is None:
        raise Http404
    return attachment_response(att)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """查看联系方式: the submitter's name and phone in this response only, after a reason; audited."""
    s = _get(request, pk)
    policy.require(request.user, "reveal", s)
    form = _reveal_form(request.POST)
    if form.is_valid():
        try:
            contact = services.suggestion_reveal(actor=acting(request), suggestion_id=s.pk,
                                                 reason=form.cleaned_data["reason"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            return _render_detail(request, s, revealed=contact)
    return _render_detail(request, s, reveal_form=form, status=400)


@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """代表处理群众意见: the deputy a public opinion was given through (their QR code) adds a note,
    passes it on to the office or adopts it as their own suggestion."""
    s = _get(request, pk)
    policy.require(request.user, "deputy_note", s)
    form = forms.FollowUpForm(request.POST or None, initial={"note": s.deputy_note})
    if request.method == "POST" and form.is_valid():
        choice, note = request.POST.get("do"), form.cleaned_data["note"]
        try:
            if choice == "adopt":
                adopted = services.suggestion_adopt(actor=acting(request), suggestion_id=s.pk, note=note)
                messages.success(request, _("已采纳为代表建议 {code}").format(code=adopted.code))
                return redirect("suggestions:detail", adopted.pk)
            if choice == "pass_on":
                services.suggestion_pass_on(actor=acting(request), suggestion_id=s.pk, note=note)
                messages.success(request, _("已转交人大办"))
            else:
                services.suggestion_deputy_note(actor=acting(request), suggestion_id=s.pk, note=note)
                messages.success(request, _("已保存代表意见"))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            return redirect("suggestions:detail", s.pk)
    return render(request, "suggestions/follow_up.html", {"s": s, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """下载交办单 / 答复函 (Word) of one item."""
    s = _get(request, pk)
    if kind not in documents.TITLES:
        raise Http404
    policy.require(request.user, kind, s)
    try:
        name, content = services.suggestion_documents(actor=acting(request), suggestion_ids=[s.pk], kind=kind)
    except InvalidInput:
        raise Http404 from None  # not yet assigned / replied: there is no such document
    return docx_response(name, content)


@login_required
@require_POST
def documents_bulk(request: HttpRequest, kind: str) -> HttpResponseBase:
    """交办单 / 答复函 of the items ticked on the list: one .docx, a page per item (at most
    ``documents.BULK_LIMIT``); an item the user may not see is a 404, one without the document
    sends the user back to the list with a message naming it."""
    if kind not in documents.TITLES:
        raise Http404
    _require(request.user, kind)
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    back = reverse("suggestions:list") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    try:
        name, content = services.suggestion_documents(actor=acting(request), suggestion_ids=ids, kind=kind)
    except (Forbidden, NotFound):
        raise
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect(back)
    return docx_response(name, content)


def _after_action(request: HttpRequest, suggestion: Suggestion) -> HttpResponseBase:
    if not selectors.suggestions_visible_to(request.user).filter(pk=suggestion.pk).exists():
        return redirect("accounts:home")  # e.g. a unit that returned the item no longer sees it
    return redirect("suggestions:detail", suggestion.pk)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    """One workflow action from the detail page: the service decides; a stale page (another user
    acted first) comes back with the conflict message."""
    suggestion = _get(request, pk)
    a, form, done, error = dispatch_action(
        request, suggestion, action, parse=Action, actions=ACTIONS, require=policy.require,
        form_kwargs={"suggestion": suggestion}, detail="suggestions:detail",
        done=lambda: _after_action(request, suggestion),
        offered=lambda: page_actions(request.user, suggestion), refusal=lambda a: refusal(suggestion, a),
        stale=services.STALE)
    if done is not None:
        return done
    suggestion.refresh_from_db()
    return _render_detail(request, suggestion, bound=(a, form),
                          status=409 if isinstance(error, (Conflict, IllegalTransition)) else 200)


# --- register, similar items --------------------------------------------------------------


def _similar_attrs(form: forms.RegisterForm) -> None:
    form.fields["title"].widget.attrs.update({
        "hx-get": reverse("suggestions:similar"), "hx-trigger": "keyup changed delay:400ms, change",
        "hx-target": "#similar", "hx-include": "[name=title],[name=content]",
    })


@login_required
def register(request: HttpRequest) -> HttpResponseBase:
    """登记 (office), 提交代表建议 (deputy), 上报群众意见 (grid worker). Registering next to a
    similar open item may merge the new one into it in the same step (office only)."""
    _require(request.user, "create")
    user: Any = request.user
    form = forms.RegisterForm(request.POST or None, request.FILES or None, user=user)
    _similar_attrs(form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        merge_into = (request.POST.get("merge_into") or "").strip()
        merge_into_id = (int(merge_into) if merge_into.isdigit() else 0) if merge_into else None
        try:
            s = services.suggestion_register(
                actor=user, town=d["town"], kind=d["kind"], title=d["title"], content=d["content"],
                source=d.get("source") or "", village=d.get("village"), grid=d.get("grid"),
                category=d.get("category"), submitter_name=d.get("submitter_name") or "",
                submitter_phone=d.get("submitter_phone") or "", anonymous=bool(d.get("anonymous")),
                no_unit_contact=bool(d.get("no_unit_contact")),
                lead_deputy=d.get("lead_deputy"), co_deputies=list(d.get("co_deputies") or []),
                files=d.get("attachments") or (), merge_into_id=merge_into_id,
            )
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            target = s.merged_into
            if target is not None:
                messages.success(request, _("已登记「{code}」并合并至 {target}，将随该事项一并答复").format(
                    code=s.code, target=target.code))
                return redirect("suggestions:detail", target.pk)
            messages.success(request, _("已登记，编号 {code}").format(code=s.code))
            return redirect("suggestions:detail", s.pk)
    matches = []
    if form.is_bound:
        matches = selectors.similar_open_items(user, title=request.POST.get("title", "")[:200],
                                               content=request.POST.get("content", "")[:2000])
    title = {Role.DEPUTY: _("提交代表建议"), Role.GRID_WORKER: _("上报群众意见")}.get(user.role, _("登记意见建议"))
    return render(request, "suggestions/register.html", {
        "form": form, "title": title, "matches": matches, "can_merge": policy.can(user, Action.MERGE),
    })


@login_required
def similar(request: HttpRequest) -> HttpResponse:
    """HTMX partial: open items like the title (and content) being typed."""
    _require(request.user, "create")
    matches = selectors.similar_open_items(request.user, title=request.GET.get("title", "")[:200],
                                           content=request.GET.get("content", "")[:2000])
    return render(request, "suggestions/partials/similar.html",
                  {"matches": matches, "can_merge": policy.can(request.user, Action.MERGE)})


# --- queues ---------------------------------------------------------------------------------


def _deny(request: HttpRequest, what: str) -> None:
    log_event(kind="access_denied", user=request.user, path=request.path, detail=what)
    raise Forbidden()


def _queue_page(request: HttpRequest, *, title: str, tabs: list[tuple[str, str, QuerySet[Suggestion]]],
                url_name: str) -> HttpResponse:
    return render(request, "suggestions/queue.html", {
        "title": title, **tabbed_page(request, tabs), "url_name": url_name, "today": timezone.localdate(),
        "can_register": _can(request.user, "create"),
    })


OFFICE_TABS = [
    ("new", gettext_lazy("新登记")), ("to_assign", gettext_lazy("待交办")), ("returned", gettext_lazy("被退回")),
    ("due_soon", gettext_lazy("即将到期")), ("overdue", gettext_lazy("已超期")), ("to_close", gettext_lazy("待办结")),
]
UNIT_TABS = [
    ("to_accept", gettext_lazy("待签收")), ("handling", gettext_lazy("办理中")), ("due_soon", gettext_lazy("即将到期")),
    ("overdue", gettext_lazy("已超期")), ("co_handling", gettext_lazy("待提协办意见")),
]


@login_required
def office_queue(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, Action.ASSIGN) or not getattr(request.user, "town_id", None):
        _deny(request, "suggestions office queue")
    queues = selectors.office_queue(request.user)
    return _queue_page(request, title=_("交办工作"), tabs=[(k, str(lbl), queues[k]) for k, lbl in OFFICE_TABS],
                       url_name="suggestions:queue")


@login_required
def unit_inbox(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) != Role.UNIT:
        _deny(request, "suggestions unit inbox")
    queues = selectors.unit_inbox(request.user)
    return _queue_page(request, title=_("本单位待办"), tabs=[(k, str(lbl), queues[k]) for k, lbl in UNIT_TABS],
                       url_name="suggestions:inbox")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role not in {Role.DEPUTY, Role.PRESIDIUM} or not user.deputy_id:
        _deny(request, "suggestions of a deputy")
    tabs = [("all", _("全部"), selectors.deputy_items(user)),
            ("to_evaluate", _("待测评"), selectors.deputy_to_evaluate(user))]
    return _queue_page(request, title=_("我的建议"), tabs=tabs, url_name="suggestions:mine")


# --- background export --------------------------------------------------------------------


def _job(request: HttpRequest, job_id: Any) -> Any:
    _require(request.user, "export")
    return jobs.job_or_404(request, exports.job_for, job_id, kind="export")


@login_required
def export_status(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The state of a background export; the page polls it (HTMX, or JSON with ?format=json)."""
    job = _job(request, job_id)
    return jobs.export_status_response(
        request, job, status_url=reverse("suggestions:export_status", args=[job.id]),
        download_url=reverse("suggestions:export_download", args=[job.id]), title=_("导出意见建议"),
        back_url=reverse("suggestions:list"), back_label=_("返回列表"))


@login_required
def export_download(request: HttpRequest, job_id: Any) -> FileResponse:
    return jobs.export_download_response(_job(request, job_id))
