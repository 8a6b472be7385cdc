"""计票结果报告单 (the result sheet of a round) in the platform's Word format
(``core.documents.Letter``): every option with its for/against/abstain (or the four grades of an
evaluation), issued/returned, valid and invalid ballots, the result and the scrutineers.
Printable only after the close. It names no deputy's choice (there is none to name)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.congress.models import RoundBasis, RoundKind, VoteRound
from renda.congress.selectors import OptionResult, RoundResult, round_result
from renda.core.documents import Letter, render

GRADE_LABELS = {"satisfied": gettext_lazy("满意"), "basically_satisfied": gettext_lazy("基本满意"),
                "dissatisfied": gettext_lazy("不满意")}


def _grade(g: str | None) -> str:
    return str(GRADE_LABELS[g]) if g in GRADE_LABELS else "—"


def _option_line(r: VoteRound, res: RoundResult, o: OptionResult) -> str:
    if r.kind == RoundKind.SELECT:
        text = _("赞成 {f} 票，反对 {a} 票，弃权 {x} 票").format(f=o.for_, a=o.against, x=o.abstain)
        if res.void:
            return text
        if o.elected:
            return text + _("；当选")
        if any(t.option_id == o.option_id for t in res.tied):
            return text + _("；票数并列，另行投票")
        return text + _("；未当选")
    text = _("满意 {s} 票，基本满意 {b} 票，不满意 {d} 票，弃权 {x} 票").format(
        s=o.satisfied, b=o.basically_satisfied, d=o.dissatisfied, x=o.abstain)
    return text if res.void else text + _("；测评结果：{g}").format(g=_grade(o.grade))


def sheet_letter(r: VoteRound) -> Letter:
    res = round_result(r)
    session = r.session
    kind = _("票决") if r.kind == RoundKind.SELECT else _("满意度测评")
    basis = _("全体代表") if r.basis == RoundBasis.ALL else _("出席代表")
    paragraphs = [
        _("会议：{s}").format(s=session),
        _("事项：{t}（{k}）").format(t=r.title, k=kind),
        _("全体代表 {a} 人，出席代表 {p} 人。发出选票 {i} 张，收回选票 {ret} 张，"
          "其中有效票 {v} 张，无效票 {inv} 张。").format(
            a=r.all_count, p=r.present_count, i=res.issued, ret=res.returned, v=res.valid, inv=res.invalid),
    ]
    if r.kind == RoundKind.SELECT:
        paragraphs.append(_("应选 {n} 项；赞成票超过{basis}（{count} 人）半数、即不少于 {t} 票，"
                            "且得票在前 {n} 名的当选。").format(
            n=r.seats, basis=basis, count=res.basis_count, t=res.threshold))
    if res.void:
        paragraphs.append(_("收回选票多于发出选票，本轮投票无效。"))
    table = [(o.label, _option_line(r, res, o)) for o in res.options]
    closing = []
    if r.kind == RoundKind.SELECT and not res.void:
        elected = "、".join(o.label for o in res.elected) or _("无")
        closing.append(_("当选：{e}").format(e=elected))
        if res.needs_further_round:
            closing.append(_("{names} 票数并列，就剩余 {n} 个名额另行投票。").format(
                names="、".join(o.label for o in res.tied), n=res.seats_left))
    closing.append(_("总监票人：{c}").format(c=r.chief_scrutineer or "________"))
    closing.append(_("监票人：{s}").format(s=r.scrutineers or "________"))
    closing.append(_("计票人：________"))
    closed = timezone.localtime(r.closed_at).date() if r.closed_at else timezone.localdate()
    return Letter(title=_("计票结果报告单"), number=f"TP{r.pk:05d}", issuer=_("{s}主席团").format(s=session),
                  date=closed, paragraphs=paragraphs, table=table, closing=closing)


def result_sheet(r: VoteRound) -> bytes:
    return render([sheet_letter(r)])


def sheet_filename(r: VoteRound) -> str:
    return f"计票结果报告单-{r.title}.docx"
