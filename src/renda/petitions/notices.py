"""The Word notices of the 信访工作条例, in the platform's format (``core.documents``): 受理告知书,
不予受理告知书, 延期告知书 and 处理意见书 (which states the 30-day right to ask for review, with its
last day).

A notice is addressed to the petitioner by name, so it is generated only for a user allowed to
reveal personal data, and each download is an audited reveal (``services.petition_notice``).
Nothing is stored: a notice is rendered from the petition's dates whenever it is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.calendar_days.workdays import WorkCalendar, calendar
from renda.core import documents
from renda.core.documents import cn_date
from renda.petitions import rules
from renda.petitions.models import Petition


@dataclass(frozen=True)
class NoticeSpec:
    kind: str
    title: object
    #: the date of the step the notice tells of (None: not available yet)
    date_of: Callable[[Petition], dt.date | None]


SPECS: dict[str, NoticeSpec] = {
    "accept": NoticeSpec("accept", gettext_lazy("受理告知书"), lambda p: p.accepted_on),
    "decline": NoticeSpec("decline", gettext_lazy("不予受理告知书"), lambda p: p.declined_on),
    "extend": NoticeSpec("extend", gettext_lazy("延期告知书"), lambda p: p.extended_on),
    "opinion": NoticeSpec("opinion", gettext_lazy("处理意见书"), lambda p: p.opinion_on),
}


def available(p: Petition) -> dict[str, NoticeSpec]:
    """The notices this petition has had reason for so far."""
    return {k: s for k, s in SPECS.items() if s.date_of(p) is not None}


def addressee(p: Petition) -> str:
    names = [x.name for x in p.petitioners.order_by("position", "id")]
    text = "、".join(names[:3]) + (_("等") if len(names) > 3 else "")
    if p.head_count > max(len(names), 1):
        text += _("等{n}人").format(n=p.head_count)
    return text


def filename(p: Petition, kind: str) -> str:
    return f"{SPECS[kind].title}-{p.code}.docx"


def _body(p: Petition, kind: str, cal: WorkCalendar) -> list[str]:
    intro = _("您于{on}以{channel}方式反映的「{subject}」一事，").format(
        on=cn_date(p.registered_on), channel=p.get_channel_display(), subject=p.subject)
    if kind == "accept":
        assert p.accepted_on is not None
        due = rules.handling_due(p.accepted_on, None, cal=cal)
        return [
            intro + _("本机关已于{on}依法受理。").format(on=cn_date(p.accepted_on)),
            _("根据《信访工作条例》，本机关将自受理之日起60日内办结，即于{due}前出具处理意见；情况复杂的，"
              "经批准可以适当延长办理期限，但延长期限不超过30日，并将告知您延期理由。").format(due=cn_date(due)),
        ]
    if kind == "decline":
        assert p.declined_on is not None
        return [
            intro + _("经审查，本机关于{on}决定不予受理。").format(on=cn_date(p.declined_on)),
            _("不予受理的理由：{reason}").format(reason=p.decline_reason),
        ]
    if kind == "extend":
        assert p.extended_on is not None and p.handling_due is not None
        return [
            intro + _("本机关已于{on}受理。").format(on=cn_date(p.accepted_on)) if p.accepted_on else intro,
            _("因{reason}，经批准，办理期限延长{days}日，至{due}。").format(
                reason=p.extension_reason, days=p.extension_days, due=cn_date(p.handling_due)),
        ]
    assert kind == "opinion" and p.opinion_on is not None
    last = rules.review_request_by(p.opinion_on, cal=cal)
    return [
        intro + _("经调查核实，现提出处理意见如下："),
        p.opinion,
        _("如对本处理意见不服，您可以自收到本意见书之日起30日内（即{last}前）向本机关的上一级机关请求复查。").format(
            last=cn_date(last)),
    ]


def render(p: Petition, kind: str, *, cal: WorkCalendar | None = None) -> bytes:
    """The .docx bytes of notice ``kind`` of ``p``, in the platform's format (``core.documents``)."""
    cal = cal or calendar()
    spec = SPECS[kind]
    date = spec.date_of(p)
    assert date is not None
    return documents.render([documents.Letter(
        title=str(spec.title), number=p.code, addressee=addressee(p), paragraphs=_body(p, kind, cal),
        issuer=_("{town}人大办公室").format(town=p.town.name), date=date)])
