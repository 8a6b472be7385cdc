"""The Word documents of a suggestion, in the platform's format (``core.documents``):

* 交办单 (``assignment_sheet``), once assigned: the office hands the item to its lead unit (and
  co-handling units) with the content, the deadline and the office's requirements. It is a
  document sent to a unit, so the submitter is masked in it (DESIGN §2); a unit that must reach
  them reveals the contact on the item's page (audited), or goes through the office when the
  submitter asked not to be contacted by units.
* 答复函 (``reply_letter``), once replied: the lead unit's latest reply, addressed to the lead
  deputy or the submitter, with the reply class and what it means. A public submitter is named
  in clear only when ``clear_name`` (the caller may reveal, and records the reveal).

Nothing is stored: a document is rendered from the item whenever it is asked for; a selection of
items gives one .docx with a page per item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core import documents
from renda.core.documents import Letter, cn_date
from renda.suggestions.models import Kind, Reply, Suggestion, Transition
from renda.suggestions.workflow import Action, State

TITLES = {
    "assignment_sheet": gettext_lazy("意见建议交办单"),
    "reply_letter": gettext_lazy("意见建议答复函"),
}
#: The most items one download may hold (a larger selection is refused with a message).
BULK_LIMIT = 50


def available(s: Suggestion) -> list[str]:
    """The documents ``s`` has had reason for so far."""
    out = []
    if s.lead_unit_id is not None and s.assigned_at is not None and s.state != State.REGISTERED:
        out.append("assignment_sheet")
    if latest_reply(s) is not None:
        out.append("reply_letter")
    return out


def latest_reply(s: Suggestion) -> Reply | None:
    return s.replies.select_related("unit").order_by("-replied_at", "-id").first()


def filename(kind: str, items: Sequence[Suggestion]) -> str:
    if len(items) == 1:
        return f"{TITLES[kind]}-{items[0].code}.docx"
    return _("{title}-{n}件.docx").format(title=TITLES[kind], n=len(items))


def _office(s: Suggestion) -> str:
    return _("{town}人大办公室").format(town=s.town.name)


def _place(s: Suggestion) -> str:
    return " · ".join(r.name for r in (s.town, s.village, s.grid) if r is not None)


def _submitter(s: Suggestion) -> tuple[str, str]:
    """Who raised the item and how to reach them, as a unit may read it (masked)."""
    if s.kind == Kind.DEPUTY:
        assert s.lead_deputy is not None
        co = "、".join(d.name for d in s.co_deputies.order_by("name"))
        name = _("{lead}（领衔）").format(lead=s.lead_deputy.name) + (_("，附议：{co}").format(co=co) if co else "")
        return name, ""
    if s.anonymous:
        return _("匿名"), ""
    return s.submitter_name_masked, s.submitter_phone_masked


def _assign_comment(s: Suggestion) -> str:
    step = Transition.objects.filter(suggestion=s, action=Action.ASSIGN).order_by("-on", "-at", "-id").first()
    return step.comment if step else ""


def _contact_note(s: Suggestion) -> str:
    if s.kind == Kind.DEPUTY:
        return _("请主动与领衔代表沟通办理情况。")
    if s.anonymous:
        return _("提出人匿名，无联系方式。")
    if s.no_unit_contact:
        return _("提出人不愿承办单位直接联系，如需联系，请通过{office}。").format(office=_office(s))
    return _("如需联系提出人，请在平台该事项页面“查看联系方式”（须说明理由，记入审计日志）。")


def assignment_sheet(s: Suggestion, *, return_by: dt.date | None = None) -> Letter:
    """交办单 of ``s`` (assigned): to the lead unit, the submitter masked; ``return_by`` is the
    last day the unit may return it (``services.return_limit``)."""
    assert s.lead_unit is not None and s.assigned_at is not None and s.deadline is not None
    co_units = "、".join(link.unit.name for link in s.co_unit_links.select_related("unit").order_by("id"))
    name, phone = _submitter(s)
    requirements = [
        _("请及时签收。如不属于你单位职责，请在{by}前说明理由退回{office}。").format(
            by=cn_date(return_by), office=_office(s)) if return_by is not None
        else _("请及时签收。如不属于你单位职责，请尽快说明理由退回{office}。").format(office=_office(s)),
        _("请于{deadline}前办理完毕并书面答复，答复时注明答复类别（A、B、C、D）。").format(deadline=cn_date(s.deadline)),
        _("确需延期的，请在办理期限届满前提出延期申请，说明理由。"),
        _contact_note(s),
    ]
    if co_units:
        requirements.append(_("协办单位请在收到交办单后提出协办意见，配合主办单位办理。"))
    comment = _assign_comment(s)
    table = [
        (_("编号"), s.code),
        (_("类型"), s.get_kind_display()),
        (_("标题"), s.title),
        (_("内容"), s.content or "—"),
        (_("提出代表") if s.kind == Kind.DEPUTY else _("提出人"), name),
    ]
    if s.kind == Kind.PUBLIC:
        table.append((_("联系电话"), phone or "—"))
    table += [
        (_("所属"), _place(s)),
        (_("类别"), s.category.name if s.category else "—"),
        (_("登记日期"), cn_date(s.registered_at)),
        (_("主办单位"), s.lead_unit.name),
        (_("协办单位"), co_units or "—"),
        (_("交办日期"), cn_date(s.assigned_at)),
        (_("办理期限"), cn_date(s.deadline)),
    ]
    if s.key_supervision:
        table.append((_("重点督办"), _("是，督办领导：{name}").format(name=s.supervisor.name if s.supervisor else "—")))
    if comment:
        table.append((_("交办意见"), comment))
    table.append((_("签收"), _("签收人：　　　　　　签收日期：　　年　月　日")))
    return Letter(
        title=str(TITLES["assignment_sheet"]), number=s.code, addressee=s.lead_unit.name,
        paragraphs=[_("现将{kind}「{title}」交由你单位主办{co}，请按以下要求认真办理：").format(
            kind=s.get_kind_display(), title=s.title,
            co=_("，{co}协办").format(co=co_units) if co_units else "")],
        table=table,
        closing=[_("办理要求："), *(_("（{n}）{text}").format(n=n, text=t) for n, t in enumerate(requirements, 1))],
        issuer=_office(s), date=s.assigned_at)


#: What each reply class tells the addressee.
CLASS_MEANINGS = {
    "A": gettext_lazy("所提问题已经解决或基本解决"),
    "B": gettext_lazy("所提问题正在解决，办结后将再次答复"),
    "C": gettext_lazy("所提问题已列入计划逐步解决，办结后将再次答复"),
    "D": gettext_lazy("所提问题因条件限制暂不能解决，或留作工作参考"),
}


def _addressee(s: Suggestion, *, clear_name: bool) -> str:
    if s.kind == Kind.DEPUTY:
        assert s.lead_deputy is not None
        return _("{name}代表").format(name=s.lead_deputy.name)
    if s.anonymous:
        return _("提出人")
    return _("{name}同志").format(name=s.submitter_name if clear_name else s.submitter_name_masked)


def reply_letter(s: Suggestion, *, clear_name: bool = False) -> Letter:
    """答复函 of ``s`` (replied): the latest reply of the unit."""
    reply = latest_reply(s)
    assert reply is not None
    return Letter(
        title=str(TITLES["reply_letter"]), number=s.code, addressee=_addressee(s, clear_name=clear_name),
        paragraphs=[
            _("您于{on}提出的「{title}」（编号：{code}）收悉。经研究办理，现答复如下：").format(
                on=cn_date(s.registered_at), title=s.title, code=s.code),
            reply.text,
            _("答复类别：{cls}类，即{meaning}。").format(cls=reply.reply_class,
                                                  meaning=CLASS_MEANINGS.get(reply.reply_class, "")),
            _("感谢您对我们工作的关心和支持。如对本答复有意见，请向{office}反映。").format(office=_office(s)),
        ],
        issuer=reply.unit.name, date=reply.replied_at)


def render(letters: Sequence[Letter]) -> bytes:
    return documents.render(letters)
