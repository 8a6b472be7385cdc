"""Pages for risks (信访隐患): the list (a ``core.crud.Resource``: filters, search, pagination,
masked Excel export), the detail page (people masked, participants and their parts, the step
log, the timeline, the actions this user may take now), the register form and the action
posts. Thin: selectors → policy → services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.core import policy as base
from renda.core.crud import Column, Resource, action_panel, add_error, date_text, dispatch_action
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.roles import Role
from renda.core.types import Actor, acting
from renda.risks import forms, policy, selectors, services, workflow
from renda.risks.models import Risk, RiskParticipant
from renda.risks.workflow import Action

# --- the list -------------------------------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    if action == "create":
        action = Action.REGISTER
    return policy.can(user, action, obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def people_masked(r: Risk) -> str:
    return "、".join(p.name_masked for p in r.people.all())


def deputies_of(r: Risk) -> str:
    return "、".join(x.deputy.name for x in r.participants.all() if x.deputy is not None)


def grid_workers_of(r: Risk) -> str:
    return "、".join(x.grid_worker.name for x in r.participants.all() if x.grid_worker is not None)


def _not_used(actor: Actor, data: dict[str, Any]) -> Any:  # pragma: no cover - see register()
    raise Http404


risks = Resource(
    name="risks", model=Risk, label=gettext_lazy("信访隐患"), label_plural=gettext_lazy("信访隐患"),
    can=_can, require=_require, selector=selectors.risks_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code"),
        Column("title", gettext_lazy("标题"), lambda o: o.title, link=True, card="title"),
        Column("level", gettext_lazy("等级"), lambda o: o.get_level_display(), sort="level", nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("village", gettext_lazy("村社区"), lambda o: o.village.name if o.village else ""),
        Column("grid", gettext_lazy("网格"), lambda o: o.grid.name if o.grid else ""),
        Column("people", gettext_lazy("涉及人员"), people_masked),
        Column("deputies", gettext_lazy("参与代表"), deputies_of),
        Column("grid_workers", gettext_lazy("参与网格员"), grid_workers_of),
        Column("registered_on", gettext_lazy("登记日期"), lambda o: date_text(o.registered_on),
               sort="registered_on", nowrap=True),
        Column("resolved_on", gettext_lazy("化解日期"), lambda o: date_text(o.resolved_on), sort="resolved_on",
               nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code",
               district_only=True),
    ],
    search_fields=("code", "title", "description"), filter_form=forms.RiskFilter, default_sort="-registered_on",
    create=_not_used, export_name="信访隐患",
)


def _get(request: HttpRequest, pk: int) -> Risk:
    """The risk if this user may see it; another town's risk is a 404 (logged)."""
    risk: Risk = risks.get_object(request, pk)
    try:
        policy.require(request.user, "view", risk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return risk


# --- detail and actions -----------------------------------------------------------------------

Handler = Callable[[Any, Risk, dict[str, Any]], str]


def _start(u: Any, r: Risk, d: dict[str, Any]) -> str:
    services.risk_start(actor=u, risk_id=r.pk, comment=d["comment"], expected_state=d["state"])
    return _("已开始化解")


def _resolve(u: Any, r: Risk, d: dict[str, Any]) -> str:
    services.risk_resolve(actor=u, risk_id=r.pk, resolved_on=d["resolved_on"], comment=d["comment"],
                          deputies_role=d["deputies_role"], expected_state=d["state"])
    return _("已化解")


def _escalate(u: Any, r: Risk, d: dict[str, Any]) -> str:
    services.risk_escalate(actor=u, risk_id=r.pk, to=d["to"], reason=d["reason"], expected_state=d["state"])
    return _("已上报{to}").format(to=d["to"])


def _reopen(u: Any, r: Risk, d: dict[str, Any]) -> str:
    services.risk_reopen(actor=u, risk_id=r.pk, reason=d["reason"], expected_state=d["state"])
    return _("已重新化解")


def _log_step(u: Any, r: Risk, d: dict[str, Any]) -> str:
    services.risk_log_step(actor=u, risk_id=r.pk, text=d["text"], on=d["on"])
    return _("已记录化解过程")


def _assign(u: Any, r: Risk, d: dict[str, Any]) -> str:
    x = services.risk_assign(actor=u, risk_id=r.pk, deputy=d.get("deputy"), grid_worker=d.get("grid_worker"),
                             part=d["part"])
    return _("已安排「{name}」参与化解").format(name=x.person_label)


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.START: (forms.StartForm, _start),
    Action.RESOLVE: (forms.ResolveForm, _resolve),
    Action.ESCALATE: (forms.EscalateForm, _escalate),
    Action.REOPEN: (forms.ReopenForm, _reopen),
    Action.LOG_STEP: (forms.LogStepForm, _log_step),
    Action.ASSIGN: (forms.AssignForm, _assign),
}


def page_actions(user: Any, r: Risk) -> list[Action]:
    """The actions this page has a form for, out of ``policy.available_actions``."""
    return [a for a in policy.available_actions(user, r) if a in ACTIONS]


def _render_detail(request: HttpRequest, r: Risk, *, bound: tuple[Action, forms.ActionForm] | None = None,
                   reveal_form: forms.RevealForm | None = None, revealed: bool = False,
                   status: int = 200) -> HttpResponse:
    user = request.user
    action_forms = action_panel(page_actions(user, r), ACTIONS, bound=bound, label=workflow.label,
                                form_kwargs={"risk": r}, user=user)
    allowed = policy.available_actions(user, r)
    participants = list(r.participants.select_related("deputy", "grid_worker").order_by("id"))
    ctx = {
        "resource": risks, "obj": r, "r": r, "actions": action_forms,
        "people": list(r.people.order_by("position", "id")),
        "revealed": revealed,
        "can_reveal": Action.REVEAL in allowed,
        "reveal_form": reveal_form or forms.RevealForm(),
        "participants": [{"x": x, "can_edit": policy.can_edit_part(user, x),
                          "form": forms.PartForm(initial={"part": x.part}, prefix=f"part{x.pk}")}
                         for x in participants],
        "can_unassign": Action.UNASSIGN in allowed,
        "steps": r.steps.order_by("on", "id"),
        "transitions": r.transitions.order_by("on", "at", "id"),
        "escalate_to": forms.ESCALATE_TO,
        "error_action": bound[0].value if bound else "",
    }
    return render(request, "risks/detail.html", ctx, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    """One action from the detail page; the service decides."""
    r = _get(request, pk)
    a, form, done, _error = dispatch_action(request, r, action, parse=Action, actions=ACTIONS,
                                            require=policy.require, form_kwargs={"risk": r}, detail="risks:detail",
                                            offered=lambda: page_actions(request.user, r),
                                            refusal=lambda a: workflow.refusal_for(r.state, a))
    if done is not None:
        return done
    r.refresh_from_db()
    if a not in page_actions(request.user, r):
        # not offered (any more): the form is not on the page, its error is told as a message
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render_detail(request, r, bound=(a, form), status=400)


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """查看个人信息: the people in clear on this response only, with a reason, audited."""
    r = _get(request, pk)
    policy.require(request.user, Action.REVEAL, r)
    form = forms.RevealForm(request.POST)
    if form.is_valid():
        try:
            services.risk_reveal(actor=acting(request), risk_id=r.pk, reason=form.cleaned_data["reason"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            return _render_detail(request, r, revealed=True)
    return _render_detail(request, r, reveal_form=form, status=400)


def _participant(request: HttpRequest, pk: int, participant_id: int) -> tuple[Risk, RiskParticipant]:
    r = _get(request, pk)
    x = RiskParticipant.objects.select_related("deputy", "grid_worker").filter(pk=participant_id, risk=r).first()
    if x is None:
        raise Http404
    x.risk = r
    return r, x


@login_required
@require_POST
def part(request: HttpRequest, pk: int, participant_id: int) -> HttpResponseBase:
    """参与情况: a participant writes their own part; the office anyone's."""
    r, x = _participant(request, pk, participant_id)
    policy.require(request.user, "edit_part", x)
    form = forms.PartForm(request.POST, prefix=f"part{x.pk}")
    if form.is_valid():
        try:
            services.risk_set_part(actor=acting(request), participant_id=x.pk, part=form.cleaned_data["part"])
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存「{name}」的参与情况").format(name=x.person_label))
    return redirect("risks:detail", r.pk)


@login_required
@require_POST
def unassign(request: HttpRequest, pk: int, participant_id: int) -> HttpResponseBase:
    r, x = _participant(request, pk, participant_id)
    policy.require(request.user, Action.UNASSIGN, r)
    try:
        services.risk_unassign(actor=acting(request), participant_id=x.pk)
    except (Forbidden, NotFound):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移除「{name}」").format(name=x.person_label))
    return redirect("risks:detail", r.pk)


# --- register -------------------------------------------------------------------------------


def _people(formset: Any) -> list[services.PersonIn]:
    out = []
    for f in formset.forms:
        d = getattr(f, "cleaned_data", None) or {}
        if any((d.get(k) or "").strip() for k in ("name", "id_number", "phone", "address", "role")):
            out.append(services.PersonIn(name=d.get("name") or "", id_number=d.get("id_number") or "",
                                         phone=d.get("phone") or "", address=d.get("address") or "",
                                         role=d.get("role") or ""))
    return out


def _participants(user: Any, d: dict[str, Any]) -> list[services.ParticipantIn]:
    out = [services.ParticipantIn(deputy=dep) for dep in d.get("deputies") or []]
    out += [services.ParticipantIn(grid_worker=w) for w in d.get("grid_workers") or []]
    if d.get("join"):
        if user.role in {Role.DEPUTY, Role.PRESIDIUM} and user.deputy_id and \
                all(x.deputy is None or x.deputy.pk != user.deputy_id for x in out):
            out.append(services.ParticipantIn(deputy=user.deputy))
        if user.role == Role.GRID_WORKER and user.grid_worker_id and \
                all(x.grid_worker is None or x.grid_worker.pk != user.grid_worker_id for x in out):
            out.append(services.ParticipantIn(grid_worker=user.grid_worker))
    return out


@login_required
def register(request: HttpRequest) -> HttpResponseBase:
    """登记信访隐患 (office, presidium, deputies) / 上报隐患 (grid workers)."""
    _require(request.user, "create")
    user: Any = request.user
    form = forms.RegisterForm(request.POST or None, user=user)
    formset = forms.PeopleFormSet(request.POST or None, prefix="people")
    # Both validated (not ``and``): the people's errors show with the form's, all at once.
    valid = [form.is_valid(), formset.is_valid()] if request.method == "POST" else [False]
    if all(valid):
        d = form.cleaned_data
        try:
            r = services.risk_register(
                actor=user, town=d["town"], title=d["title"], level=d["level"],
                description=d.get("description") or "", village=d.get("village"), grid=d.get("grid"),
                people=_people(formset), participants=_participants(user, d), note=d.get("note") or "",
            )
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已登记，编号 {code}").format(code=r.code))
            return redirect("risks:detail", r.pk)
    title = _("上报信访隐患") if user.role == Role.GRID_WORKER else _("登记信访隐患")
    return render(request, "risks/register.html", {"form": form, "formset": formset, "title": title},
                  status=400 if request.method == "POST" else 200)
