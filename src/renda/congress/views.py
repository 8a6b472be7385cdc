"""Pages of congress sessions (人代会) and vote rounds (票决 / 测评). Thin: selectors → policy →
services.

- sessions: a ``core.crud.Resource`` (list with filters, search, pagination, Excel export;
  create and edit) and a detail page with attendance, agenda, quorum and the session's rounds;
- rounds: a ``Resource`` list; the round page (totals while open, the paper entry form for the
  office, the close with its confirmation; the tally after the close, a further round on a tie,
  the result sheet); the deputy's phone ballot (``vote``) with a confirmation step.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renda.audit.selectors import history_for
from renda.congress import documents, forms, policy, selectors, services
from renda.congress.models import AttendanceStatus, OptionSpec, RoundKind, RoundMode, Session, VoteRound
from renda.core import policy as base
from renda.core.crud import Column, Resource, add_error, date_text, style_form
from renda.core.documents import docx_response
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.core.types import acting

# --- sessions --------------------------------------------------------------------------------------


def _can(user: Any, action: str, obj: Any = None) -> bool:
    return policy.can(user, {"change": "edit", "deactivate": "-"}.get(action, action), obj)


def _require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_can, user, action, obj)


def _create(user: Any, d: dict[str, Any]) -> Session:
    town = d.get("town") or user.town
    return services.session_create(
        actor=user, town=town, term=d["term"], number=d["number"], starts_on=d["starts_on"], ends_on=d["ends_on"],
        title=d.get("title") or "", venue=d.get("venue") or "", quorum_numerator=d["quorum_numerator"],
        quorum_denominator=d["quorum_denominator"], notes=d.get("notes") or "")


def _update(user: Any, s: Session, d: dict[str, Any]) -> tuple[Session, bool]:
    before = (s.term, s.number, s.title, s.starts_on, s.ends_on, s.venue, s.quorum_numerator, s.quorum_denominator,
              s.notes)
    fields = ("term", "number", "title", "starts_on", "ends_on", "venue", "quorum_numerator",
              "quorum_denominator", "notes")
    s = services.session_update(actor=user, session_id=s.pk, **{k: d.get(k) if d.get(k) is not None else ""
                                                              for k in fields})
    after = tuple(getattr(s, k) for k in fields)
    return s, after != before


def _initial(user: Any, s: Session | None) -> dict[str, Any]:
    if s is None:
        return {"quorum_numerator": 2, "quorum_denominator": 3}
    return {k: getattr(s, k) for k in ("term", "number", "title", "starts_on", "ends_on", "venue",
                                       "quorum_numerator", "quorum_denominator", "notes")}


def _quorum_text(s: Session) -> str:
    q = selectors.session_quorum(s)
    state = _("已达到") if q.reached else _("未达到")
    return _("全体 {all} 人，出席 {present} 人，至少 {needed} 人（{state}）").format(
        all=q.all, present=q.present, needed=q.needed, state=state)


sessions = Resource(
    name="congress", model=Session, label=gettext_lazy("人代会"), label_plural=gettext_lazy("人代会"),
    can=_can, require=_require, selector=selectors.sessions_visible_to,
    columns=[
        Column("title", gettext_lazy("会议名称"), lambda o: o.title, link=True, card="title"),
        Column("term", gettext_lazy("届次"), lambda o: o.term, sort="term", nowrap=True),
        Column("number", gettext_lazy("会次"), lambda o: o.number, sort="number", nowrap=True),
        Column("starts_on", gettext_lazy("开幕日期"), lambda o: date_text(o.starts_on), sort="starts_on",
               nowrap=True, card="deadline"),
        Column("ends_on", gettext_lazy("闭幕日期"), lambda o: date_text(o.ends_on), nowrap=True),
        Column("venue", gettext_lazy("会议地点"), lambda o: o.venue),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.town.name, sort="town__code", district_only=True),
    ],
    search_fields=("title", "venue", "notes"), filter_form=forms.SessionFilter, default_sort="-starts_on",
    form_class=forms.SessionForm, initial=_initial, create=_create, update=_update, export_name="人代会",
)


def _session(request: HttpRequest, pk: int) -> Session:
    s: Session = sessions.get_object(request, pk)
    try:
        policy.require(request.user, "view", s)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return s


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    user = request.user
    attendance = list(s.attendance.select_related("deputy").order_by("deputy__name", "id"))
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    for a in attendance:
        counts[a.status] += 1
    ctx = {
        "resource": sessions, "obj": s, "s": s, "quorum": selectors.session_quorum(s),
        "attendance": attendance, "counts": counts, "statuses": AttendanceStatus.choices,
        "agenda": list(s.agenda.all()), "rounds": list(s.rounds.order_by("id")),
        "can_edit": policy.can(user, "edit", s), "can_attendance": policy.can(user, "attendance", s),
        "can_agenda": policy.can(user, "agenda", s), "can_open": policy.can(user, "open", s),
        "voting": s.rounds.filter(state="open").exists(), "agenda_form": forms.AgendaForm(),
        "history": history_for(s),
    }
    return render(request, "congress/session_detail.html", ctx)


def _refusal(request: HttpRequest, exc: ApplicationError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, Forbidden):
        raise exc
    messages.error(request, exc.message)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponseBase:
    s = _session(request, pk)
    policy.require(request.user, "attendance", s)
    form = forms.AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("出席情况不正确"))
    else:
        try:
            row = services.attendance_set(actor=acting(request), session_id=s.pk, deputy_id=form.cleaned_data["deputy"],
                                          status=form.cleaned_data["status"])
            messages.success(request, _("已登记：{row}").format(row=row))
        except ApplicationError as exc:
            _refusal(request, exc)
    return redirect("congress:detail", s.pk)


@login_required
@require_POST
def attendance_fill(request: HttpRequest, pk: int) -> HttpResponseBase:
    s = _session(request, pk)
    try:
        added = services.attendance_fill(actor=acting(request), session_id=s.pk)
        messages.success(request, _("已补充 {n} 名应到代表").format(n=added) if added else _("应到代表已齐全"))
    except ApplicationError as exc:
        _refusal(request, exc)
    return redirect("congress:detail", s.pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    s = _session(request, pk)
    policy.require(request.user, "agenda", s)
    form = forms.AgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写议程（不超过200字）"))
    else:
        try:
            services.agenda_add(actor=acting(request), session_id=s.pk, title=form.cleaned_data["title"],
                                needs_vote=form.cleaned_data["needs_vote"])
            messages.success(request, _("已增加议程"))
        except ApplicationError as exc:
            _refusal(request, exc)
    return redirect("congress:detail", s.pk)


@login_required
def agenda_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponseBase:
    """删除议程, after a confirmation page."""
    s = _session(request, pk)
    policy.require(request.user, "agenda", s)
    item = s.agenda.filter(pk=item_id).first()
    if item is None:
        raise Http404
    if request.method == "POST":
        try:
            services.agenda_remove(actor=acting(request), item_id=item.pk)
            messages.success(request, _("已删除议程「{t}」").format(t=item.title))
        except ApplicationError as exc:
            _refusal(request, exc)
        return redirect("congress:detail", s.pk)
    return render(request, "congress/confirm.html", {
        "title": _("删除议程"), "text": _("确定要删除议程「{t}」吗？").format(t=item.title),
        "button": _("确认删除"), "back": s, "back_url_name": "congress:detail"})


@login_required
def round_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    s = _session(request, pk)
    policy.require(request.user, "open", s)
    agenda = list(s.agenda.filter(needs_vote=True))
    form = forms.RoundOpenForm(request.POST if request.method == "POST" else None, agenda=agenda)
    style_form(form)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.round_open(
                actor=acting(request), session_id=s.pk, kind=d["kind"], title=d["title"],
                options=[OptionSpec("text", i + 1, label) for i, label in enumerate(d["options"])],
                seats=d.get("seats") if d["kind"] == RoundKind.SELECT else None, basis=d["basis"], mode=d["mode"],
                chief_scrutineer=d.get("chief_scrutineer") or "", scrutineers=d.get("scrutineers") or "",
                issued=d.get("issued"), agenda_item_id=d.get("agenda_item"))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("已开始投票「{t}」").format(t=r.title))
            return redirect("congress_rounds:detail", r.pk)
    return render(request, "congress/round_open.html", {"s": s, "form": form,
                                                         "quorum": selectors.session_quorum(s)})


# --- rounds ----------------------------------------------------------------------------------------


def _round_can(user: Any, action: str, obj: Any = None) -> bool:
    if action in {"create", "change", "deactivate"}:
        return False
    return policy.can(user, action, obj)


def _round_require(user: Any, action: str, obj: Any = None) -> None:
    base.require(_round_can, user, action, obj)


rounds = Resource(
    name="congress_rounds", model=VoteRound, label=gettext_lazy("投票"), label_plural=gettext_lazy("投票"),
    can=_round_can, require=_round_require, selector=selectors.rounds_visible_to,
    columns=[
        Column("title", gettext_lazy("名称"), lambda o: o.title, link=True, card="title"),
        Column("session", gettext_lazy("人代会"), lambda o: str(o.session)),
        Column("kind", gettext_lazy("类型"), lambda o: o.get_kind_display(), sort="kind", nowrap=True),
        Column("mode", gettext_lazy("投票方式"), lambda o: o.get_mode_display(), nowrap=True),
        Column("state", gettext_lazy("状态"), lambda o: o.get_state_display(), sort="state", card="state"),
        Column("issued", gettext_lazy("发出选票"), lambda o: o.issued, nowrap=True),
        Column("returned", gettext_lazy("收回选票"), lambda o: o.returned, nowrap=True),
        Column("opened_at", gettext_lazy("开始投票时间"),
               lambda o: o.opened_at.astimezone().strftime("%Y-%m-%d %H:%M") if o.opened_at else "",
               sort="opened_at", nowrap=True),
        Column("town", gettext_lazy("所属镇街"), lambda o: o.session.town.name, district_only=True),
    ],
    search_fields=("title", "session__title"), filter_form=forms.RoundFilter, default_sort="-id",
    export_name="投票",
)


def _round(request: HttpRequest, pk: int) -> VoteRound:
    r: VoteRound = rounds.get_object(request, pk)
    try:
        policy.require(request.user, "view", r)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return r


def _round_page(request: HttpRequest, r: VoteRound, *, entry: forms.BallotForm | None = None,
                close: forms.CloseForm | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    result = selectors.round_result(r)
    ctx = {
        "r": r, "obj": r, "result": result, "is_select": r.kind == RoundKind.SELECT,
        "can_enter": r.is_open and r.mode == RoundMode.PAPER and policy.can(user, "enter", r),
        "can_close": r.is_open and policy.can(user, "close", r),
        "can_further": (r.state == "closed" and result.needs_further_round and policy.can(user, "further", r)
                        and not r.further_rounds.exists()),
        "can_vote": r.is_open and r.mode == RoundMode.PHONE and r in selectors.rounds_open_for_deputy(user),
        "entry": entry or (forms.BallotForm(round=r, prefix="b") if r.is_open else None),
        "close_form": close or forms.CloseForm(),
        "further": list(r.further_rounds.all()),
        "history": history_for(r),
    }
    return render(request, "congress/round_detail.html", ctx, status=status)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, _round(request, pk))


@login_required
@require_POST
def round_enter(request: HttpRequest, pk: int) -> HttpResponseBase:
    """录入一张纸质选票 (as marked: an unmarked or over-marked ballot is entered as invalid)."""
    r = _round(request, pk)
    policy.require(request.user, "enter", r)
    form = forms.BallotForm(request.POST, round=r, prefix="b")
    if form.is_valid():
        try:
            services.ballot_enter(actor=acting(request), round_id=r.pk, choices=form.choices())
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            r.refresh_from_db()
            messages.success(request, _("已录入第 {n} 张选票（发出 {issued} 张）").format(
                n=r.returned, issued=r.issued))
            return redirect("congress_rounds:detail", r.pk)
    r.refresh_from_db()
    return _round_page(request, r, entry=form, status=400)


@login_required
def round_close(request: HttpRequest, pk: int) -> HttpResponseBase:
    """结束投票并计票, after a confirmation page (paper: the ballots returned)."""
    r = _round(request, pk)
    policy.require(request.user, "close", r)
    form = forms.CloseForm(request.POST if request.method == "POST" else None, initial={"returned": r.returned})
    style_form(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_close(actor=acting(request), round_id=r.pk, returned=form.cleaned_data.get("returned"))
        except (Forbidden, NotFound):
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            r.refresh_from_db()
            if r.state == "void":
                messages.error(request, _("收回选票多于发出选票，本轮投票无效"))
            else:
                messages.success(request, _("已结束投票并计票"))
            return redirect("congress_rounds:detail", r.pk)
    return render(request, "congress/round_close.html", {"r": r, "form": form})


@login_required
@require_POST
def round_further(request: HttpRequest, pk: int) -> HttpResponseBase:
    r = _round(request, pk)
    try:
        further = services.round_open_further(actor=acting(request), round_id=r.pk)
    except ApplicationError as exc:
        _refusal(request, exc)
        return redirect("congress_rounds:detail", r.pk)
    messages.success(request, _("已就并列事项另行投票"))
    return redirect("congress_rounds:detail", further.pk)


@login_required
def round_sheet(request: HttpRequest, pk: int) -> HttpResponseBase:
    """计票结果报告单 (Word), only after the close."""
    r = _round(request, pk)
    if not r.is_over:
        messages.error(request, _("投票结束计票后才能打印计票结果报告单"))
        return redirect("congress_rounds:detail", r.pk)
    policy.require(request.user, "sheet", r)
    return docx_response(documents.sheet_filename(r), documents.result_sheet(r))


@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The deputy's ballot on a phone: choose → confirm → 已投票."""
    r = _round(request, pk)
    user = request.user
    policy.require(user, "vote", r)
    deputy_id = selectors.deputy_of(user)
    voted = selectors.has_voted(r.pk, deputy_id)
    present = deputy_id in selectors.present_deputy_ids(r.session)
    ctx: dict[str, Any] = {"r": r, "voted": voted, "present": present, "is_select": r.kind == RoundKind.SELECT}
    if voted or not present or not r.is_open or r.mode != RoundMode.PHONE:
        return render(request, "congress/vote.html", ctx)
    form = forms.BallotForm(request.POST if request.method == "POST" else None, round=r)
    ctx["form"] = form
    if request.method == "POST" and request.POST.get("edit") == "1":
        return render(request, "congress/vote.html", ctx)  # 返回修改: the ballot as chosen
    if request.method == "POST" and form.is_valid():
        choices = form.choices()
        n_for = sum(1 for c in choices.values() if c == "for")
        if not choices:
            form.add_error(None, _("请至少对一个事项作出选择"))
        elif r.kind == RoundKind.SELECT and n_for > (r.seats or 0):
            form.add_error(None, _("赞成票不能超过应选数 {seats} 个，您选了 {n} 个").format(seats=r.seats, n=n_for))
        elif request.POST.get("confirm") != "1":
            ctx["confirming"] = True
            ctx["summary"] = [{"label": row["option"].label,
                               "choice": dict(row["field"].field.choices).get(choices.get(row["option"].pk, ""),
                                                                              _("未选（弃权）"))}
                              for row in form.rows()]
            return render(request, "congress/vote.html", ctx)
        else:
            try:
                services.ballot_cast(actor=acting(request), round_id=r.pk, choices=choices)
            except (Forbidden, NotFound):
                raise
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("congress:vote", r.pk)
        return render(request, "congress/vote.html", ctx, status=400)
    return render(request, "congress/vote.html", ctx)
