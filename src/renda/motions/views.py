"""Pages of motions (议案): the list (``core.crud.Resource``: filters, search, pagination, Excel
export, phone cards), drafting and editing, the motion's page with its signatures, decision,
resolution, follow-up, workflow actions and timeline, and the settings page (the town's minimum
number of joint signers, the sessions' time limits). Thin: selectors → policy → services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.crud import Column, Resource, action_panel, add_error, dispatch_action
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.motions import forms, policy, selectors, services, workflow
from renda.motions.models import Motion, MotionSettings
from renda.motions.workflow import Action
from renda.people.models import Deputy


def _time(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _create(actor: Any, d: dict[str, Any]) -> Motion:
    lead = d.get("lead_deputy")
    submitted_by = d.get("submitted_by") or "deputies"
    if actor.role == Role.DEPUTY:
        own = policy.deputy_of(actor)
        lead = Deputy.objects.filter(pk=own).first() if own else None
    return services.motion_create(actor=actor, session=d["session"], title=d["title"], reasons=d["reasons"],
                                  proposal=d["proposal"], submitted_by=submitted_by, lead_deputy=lead)


motions = Resource(
    name="motions", model=Motion, label=gettext_lazy("议案"), label_plural=gettext_lazy("议案"),
    can=policy.can, require=policy.require, selector=selectors.motions_visible_to,
    columns=[
        Column("code", gettext_lazy("编号"), lambda o: o.code, sort="code", link=True, card="code", nowrap=True),
        Column("title", gettext_lazy("案由"), lambda o: o.title, link=True, card="title"),
        Column("session", gettext_lazy("人代会"), lambda o: o.session.term_text, sort="session__starts_on"),
        Column("submitted_by", gettext_lazy("提出方式"), lambda o: o.get_submitted_by_display(), nowrap=True),
        Column("lead", gettext_lazy("领衔代表"), lambda o: o.lead_deputy.name if o.lead_deputy else "", nowrap=True),
        Column("signers", gettext_lazy("联名人数"), lambda o: o.signers, sort="signers", nowrap=True),
        Column("submitted_at", gettext_lazy("提交时间"), lambda o: _time(o.submitted_at), sort="submitted_at",
               nowrap=True, card="deadline"),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, district_only=True),
    ],
    search_fields=("code", "title", "lead_deputy__name"), filter_form=forms.MotionFilter, default_sort="-id",
    form_class=forms.MotionForm,
    initial=lambda user, obj: {"title": obj.title, "reasons": obj.reasons, "proposal": obj.proposal} if obj else {},
    create=_create,
    update=lambda a, o, d: services.motion_update(actor=a, motion_id=o.pk, title=d["title"], reasons=d["reasons"],
                                                  proposal=d["proposal"]),
    export_name="议案",
)


def _get(request: HttpRequest, pk: int) -> Motion:
    m: Motion = motions.get_object(request, pk)
    try:
        policy.require(request.user, "view", m)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return m


Handler = Callable[[Any, Motion, dict[str, Any]], str]


def _sign(u: Any, m: Motion, d: dict[str, Any]) -> str:
    sig = services.motion_sign(actor=u, motion_id=m.pk, deputy=d.get("deputy"), expected_state=d["state"])
    return _("「{name}」已联名").format(name=sig.deputy.name)


def _unsign(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_unsign(actor=u, motion_id=m.pk, deputy=d.get("deputy"), expected_state=d["state"])
    return _("已撤销联名")


def _submit(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_submit(actor=u, motion_id=m.pk, at=d.get("at"), expected_state=d["state"])
    return _("议案已提交")


def _withdraw(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_withdraw(actor=u, motion_id=m.pk, reason=d["reason"], on=d["on"], expected_state=d["state"])
    return _("议案已撤回")


def _put_on_agenda(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_put_on_agenda(actor=u, motion_id=m.pk, reason=d["reason"], on=d["on"], expected_state=d["state"])
    return _("已列入会议议程")


def _reject(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_reject(actor=u, motion_id=m.pk, reason=d["reason"], on=d["on"], expected_state=d["state"])
    return _("已决定不列入会议议程")


def _to_suggestion(u: Any, m: Motion, d: dict[str, Any]) -> str:
    m = services.motion_to_suggestion(actor=u, motion_id=m.pk, reason=d["reason"], on=d["on"],
                                      expected_state=d["state"])
    return _("已作为代表建议处理，建议编号 {code}").format(code=m.suggestion.code if m.suggestion else "")


def _adopt(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_adopt(actor=u, motion_id=m.pk, resolution=d["resolution"], on=d["on"], units=list(d["units"]),
                          expected_state=d["state"])
    return _("已登记决议")


def _not_adopt(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_not_adopt(actor=u, motion_id=m.pk, reason=d["reason"], on=d["on"], expected_state=d["state"])
    return _("已登记未通过")


def _progress(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_progress(actor=u, motion_id=m.pk, note=d["note"], on=d["on"], expected_state=d["state"])
    return _("已登记落实进展")


def _finish(u: Any, m: Motion, d: dict[str, Any]) -> str:
    services.motion_finish(actor=u, motion_id=m.pk, summary=d["summary"], on=d["on"], expected_state=d["state"])
    return _("已登记落实完毕")


ACTIONS: dict[Action, tuple[type[forms.ActionForm], Handler]] = {
    Action.SIGN: (forms.SignForm, _sign),
    Action.UNSIGN: (forms.UnsignForm, _unsign),
    Action.SUBMIT: (forms.SubmitForm, _submit),
    Action.PUT_ON_AGENDA: (forms.PutOnAgendaForm, _put_on_agenda),
    Action.REJECT: (forms.RejectForm, _reject),
    Action.TO_SUGGESTION: (forms.ToSuggestionForm, _to_suggestion),
    Action.ADOPT: (forms.AdoptForm, _adopt),
    Action.NOT_ADOPT: (forms.NotAdoptForm, _not_adopt),
    Action.PROGRESS: (forms.ProgressForm, _progress),
    Action.FINISH: (forms.FinishForm, _finish),
    Action.WITHDRAW: (forms.WithdrawForm, _withdraw),
}
DANGER = {Action.WITHDRAW, Action.REJECT}


def page_actions(user: Any, m: Motion) -> list[Action]:
    return [a for a in policy.available_actions(user, m) if a in ACTIONS]


def _render(request: HttpRequest, m: Motion, *, bound: tuple[Action, forms.ActionForm] | None = None,
            status: int = 200) -> HttpResponse:
    user = request.user
    signatures = list(m.signatures.select_related("deputy").order_by("signed_at", "id"))
    ctx = {
        "resource": motions, "obj": m, "m": m,
        "actions": action_panel(page_actions(user, m), ACTIONS, bound=bound, label=workflow.label,
                                form_kwargs={"motion": m}, user=user, danger=DANGER),
        "signatures": signatures, "min_signers": selectors.min_signers(m.town_id),
        "deadline": selectors.deadline_of(m.session), "units": list(m.follow_units.order_by("name")),
        "can_edit": Action.EDIT in policy.available_actions(user, m),
        "transitions": m.transitions.order_by("on", "at", "id"),
    }
    return render(request, "motions/detail.html", ctx, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _get(request, pk))


@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if request.method != "POST":
        return HttpResponse(status=405)
    m = _get(request, pk)
    a, form, done, _error = dispatch_action(
        request, m, action, parse=Action, actions=ACTIONS, require=policy.require, form_kwargs={"motion": m},
        detail="motions:detail", offered=lambda: page_actions(request.user, m),
        refusal=lambda a: workflow.refusal_for(m.state, a))
    if done is not None:
        return done
    m = _get(request, pk)
    if a not in page_actions(request.user, m):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return _render(request, m, bound=(a, form), status=400)


@login_required
def settings_page(request: HttpRequest) -> HttpResponseBase:
    """议案设置: the town's minimum number of joint signers and the sessions' time limits."""
    user: Any = request.user
    if not policy.can(user, "settings"):
        raise PermissionDenied
    town = getattr(user, "town", None)
    current = MotionSettings.objects.filter(town=town).first() if town else None
    settings_form = forms.SettingsForm(initial={"min_signers": selectors.min_signers(town.pk) if town else 5})
    limit_form = forms.LimitForm(user=user)
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "settings":
                settings_form = forms.SettingsForm(request.POST)
                if town is None:
                    raise Http404
                if settings_form.is_valid():
                    services.settings_set(actor=user, town=town, min_signers=settings_form.cleaned_data["min_signers"])
                    messages.success(request, _("已保存代表联名最少人数"))
                    return redirect("motions:settings")
            elif which == "limit":
                limit_form = forms.LimitForm(request.POST, user=user)
                if limit_form.is_valid():
                    d = limit_form.cleaned_data
                    services.limit_set(actor=user, session=d["session"], deadline=d["deadline"])
                    messages.success(request, _("已设置议案截止时间"))
                    return redirect("motions:settings")
            else:
                raise Http404
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(settings_form if which == "settings" else limit_form, exc)
        status = 400
    for f in settings_form.fields.values():
        f.widget.attrs.setdefault("class", "form-control")
    limits = selectors.limits_visible_to(user).order_by("-session__starts_on")
    return render(request, "motions/settings.html", {
        "settings_form": settings_form, "limit_form": limit_form, "current": current, "limits": limits,
        "town": town, "every_town": sees_every_town(user)}, status=status)
