"""The plan (年度工作要点) and the division of duties (职责分工) as Word documents in the
platform's format (``core.documents``): a title, the goals, then one labelled row per task or
per presidium member. Rendered from the records when asked for; nothing is stored. They name
only public office holders and office staff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from renda.core.documents import Letter, render
from renda.presidium import halves
from renda.presidium.models import DutyDivision, Plan, PlanTask


def _task_text(t: PlanTask) -> str:
    supporters = "、".join(str(u) for u in t.supporters.all()) or "—"
    due = halves.label(t.due_half) + (f"（{t.due_on.isoformat()}）" if t.due_on else "")
    line = _("牵头：{lead}；配合：{s}；完成时限：{due}").format(lead=t.lead.name, s=supporters, due=due)
    return "\n".join([t.text, line])


def plan_letter(plan: Plan, tasks: Sequence[PlanTask]) -> Letter:
    town = plan.town.name
    return Letter(
        title=_("{town}人大主席团{year}年度工作要点").format(town=town, year=plan.year),
        number=_("{year}年度").format(year=plan.year), issuer=_("{town}人大主席团").format(town=town),
        date=timezone.localdate(), paragraphs=[plan.title, *([plan.goals] if plan.goals else [])],
        table=[(f"{t.ordinal}. {t.area}", _task_text(t)) for t in tasks] or [(_("工作任务"), _("无"))])


def division_letter(town: Any, year: int, rows: Sequence[DutyDivision]) -> Letter:
    name = town.name if town is not None else ""
    table = []
    for d in rows:
        parts = [d.areas]
        if d.responsibilities:
            parts.append(d.responsibilities)
        regions = "、".join(r.name for r in d.regions.all())
        groups = "、".join(g.name for g in d.groups.all())
        if regions:
            parts.append(_("联系村社区/网格：{v}").format(v=regions))
        if groups:
            parts.append(_("联系代表小组：{v}").format(v=groups))
        table.append((d.member.name, "\n".join(parts)))
    return Letter(title=_("{town}人大主席团成员{year}年度职责分工").format(town=name, year=year),
                  number=_("{year}年度").format(year=year), issuer=_("{town}人大主席团").format(town=name),
                  date=timezone.localdate(), table=table or [(_("职责分工"), _("无"))])


def render_plan(plan: Plan, tasks: Sequence[PlanTask]) -> bytes:
    return render([plan_letter(plan, tasks)])


def render_division(town: Any, year: int, rows: Sequence[DutyDivision]) -> bytes:
    return render([division_letter(town, year, rows)])
