"""The duty archive (履职档案) as a Word document in the platform's format (``core.documents``):
one page headed 人大代表履职档案, the deputy's basics and each part of the archive as a table of
labelled fields. Rendered from the records whenever it is asked for; nothing is stored. It
names only the deputy (a public office holder): no voter's personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.documents import Letter, render
from renda.duties.models import Attendance, Participation
from renda.duties.selectors import Archive


def _lines(items: Iterable[Participation], *, with_type: bool = False) -> str:
    out = []
    for p in items:
        a = p.activity
        kind = f"［{a.get_type_display()}］" if with_type else ""
        out.append(f"{a.on.isoformat()} {kind}{a.title}")
    return "\n".join(out) or _("无")


def letter(arc: Archive) -> Letter:
    d = arc.deputy
    if arc.start or arc.end:
        span = _("{a} 至 {b}").format(a=arc.start.isoformat() if arc.start else "—",
                                     b=arc.end.isoformat() if arc.end else "—")
    else:
        span = _("全部")
    attended = [p for p in arc.sessions if p.attendance == Attendance.ATTENDED]
    sessions = "\n".join(f"{p.activity.on.isoformat()} {p.activity.title}（{p.get_attendance_display()}）"
                         for p in arc.sessions) or _("无")
    basics = "\n".join(x for x in (
        _("姓名：{v}").format(v=d.name), _("层级：{v}").format(v=d.get_level_display()),
        _("届次：{v}").format(v=d.term or "—"), _("选区：{v}").format(v=d.constituency or "—"),
        _("所属：{v}").format(v=d.town.name + (f" · {d.village.name}" if d.village else "")),
        _("主席团成员：{v}").format(v=_("是") if d.is_presidium else _("否"))) if x)
    table = [
        (_("基本情况"), basics),
        (_("出席会议"), _("出席 {n} 次").format(n=len(attended)) + "\n" + sessions),
        (_("视察调研"), _lines(arc.inspections, with_type=True)),
        (_("学习培训"), _lines(arc.trainings, with_type=True)),
        (_("小组活动"), _lines(arc.groups)),
        (_("其他履职活动"), _lines(arc.others, with_type=True)),
        (_("意见建议"), "\n".join(f"{s.code} {s.title}" for s in arc.suggestions) or _("无")),
        (_("议案"), _("无")),
        (_("述职评议"), "\n".join(
            _("{y}年 {on} 到会 {p} 人：满意 {a}、基本满意 {b}、不满意 {c}").format(
                y=r.year, on=r.meeting_on.isoformat() if r.meeting_on else "", p=r.present or 0, a=r.satisfied,
                b=r.basically_satisfied, c=r.dissatisfied) for r in arc.reports) or _("无")),
        (_("荣誉"), "\n".join(f"{a.on.isoformat()} {a.title}（{a.body}）" for a in arc.awards) or _("无")),
        (_("履职积分"), _("合计 {n} 分").format(n=arc.points) + "\n" + "\n".join(
            _("{label}：{n} × {w} = {p}").format(label=label, n=n, w=w, p=p) for label, n, w, p in arc.points_detail
            if n)),
    ]
    return Letter(title=_("人大代表履职档案"), number=f"{d.town.name}-{d.pk}", issuer=_("{town}人大主席团").format(
        town=d.town.name), date=timezone.localdate(), paragraphs=[_("统计期间：{span}").format(span=span)],
        table=table)


def render_archive(arc: Archive) -> bytes:
    return render([letter(arc)])
