"""Who is told what when an item moves on: each function reloads what it needs, picks the
recipients and composes the text, then calls ``notifications.services.notify``.

The services call these with ``transaction.on_commit``, so nothing is sent when their
transaction rolls back. Texts are stored as sent, in the site's language (Chinese)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.core.roles import Role
from renda.notifications.services import notify, sms_to
from renda.suggestions.models import Extension, ExtensionStatus, Kind, Reminder, ReplyClass, Suggestion
from renda.suggestions.workflow import Action


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def office_users(s: Suggestion) -> list[User]:
    """The town office's staff, who register, assign and close the town's items."""
    return list(_active().filter(role=Role.STAFF, town_id=s.town_id).order_by("pk"))


def unit_users(unit_ids: Iterable[int | None]) -> list[User]:
    ids = [pk for pk in unit_ids if pk is not None]
    return list(_active().filter(role=Role.UNIT, unit_id__in=ids).order_by("pk")) if ids else []


def deputy_users(deputy_ids: Iterable[int | None]) -> list[User]:
    ids = [pk for pk in deputy_ids if pk is not None]
    return list(_active().filter(deputy_id__in=ids).order_by("pk")) if ids else []


def _url(s: Suggestion) -> str:
    return reverse("suggestions:detail", args=[s.pk])


def _send(users: Iterable[User], verb: str, text: str, url: str) -> int:
    return len(notify(users=users, verb=verb, text=text, url=url))


def _zh() -> Any:
    return translation.override(settings.LANGUAGE_CODE)


def _item(suggestion_id: int) -> Suggestion | None:
    return Suggestion.objects.filter(pk=suggestion_id).select_related("lead_unit").first()


def _submitters(items: Iterable[Suggestion]) -> tuple[list[User], bool]:
    """The lead deputies' users of the deputy items, and whether any item came from the public
    (then the office answers the submitter)."""
    items = list(items)
    deputies = deputy_users(s.lead_deputy_id for s in items if s.kind == Kind.DEPUTY)
    return deputies, any(s.kind == Kind.PUBLIC for s in items)


def assigned(suggestion_id: int) -> int:
    s = _item(suggestion_id)
    if s is None or s.lead_unit_id is None or s.deadline is None:
        return 0
    co = s.co_unit_links.values_list("unit_id", flat=True)
    with _zh():
        text = _("您单位有新交办的意见建议「{title}」，办理期限 {deadline}").format(
            title=s.title, deadline=s.deadline.isoformat())
    return _send(unit_users([s.lead_unit_id, *co]), f"suggestion.{Action.ASSIGN.value}", text, _url(s))


def returned(suggestion_id: int) -> int:
    s = _item(suggestion_id)
    if s is None:
        return 0
    last = s.transitions.filter(action=Action.RETURN).order_by("-on", "-id").first()
    with _zh():
        text = _("意见建议「{title}」被承办单位退回，请重新交办。理由：{reason}").format(
            title=s.title, reason=last.comment if last else "")
    return _send(office_users(s), f"suggestion.{Action.RETURN.value}", text, _url(s))


@transaction.atomic
def replied(suggestion_id: int) -> int:
    """The submitters of the item and of the items merged into it (merged items are answered
    with it): deputies are asked to evaluate; the office answers public submitters."""
    s = _item(suggestion_id)
    if s is None:
        return 0
    reply = s.replies.order_by("-replied_at", "-id").first()
    if reply is None:
        return 0
    label = ReplyClass(reply.reply_class).label
    deputies, public = _submitters([s, *s.merged_items.all()])
    verb = f"suggestion.{Action.REPLY.value}"
    sent = 0
    with _zh():
        sent += _send(deputies, verb, _("您的建议「{title}」已答复（{label}），请查看并测评").format(
            title=s.title, label=label), _url(s))
        if public:
            text = _("意见建议「{title}」已答复（{label}），请告知提出人并记录测评").format(title=s.title, label=label)
            sent += _send(office_users(s), verb, text, _url(s))
    for item in [s, *s.merged_items.all()]:
        sent += _sms_submitter(item, verb)
    return sent


def _sms_submitter(s: Suggestion, verb: str) -> int:
    """The public submitter who left a mobile phone (and is not anonymous) gets an SMS with the
    item's tracking code only (the gateway's template of ``verb``): no name, no title."""
    if s.kind != Kind.PUBLIC or s.anonymous or not s.submitter_phone:
        return 0
    return int(sms_to(phone=s.submitter_phone, verb=verb, params={"code": s.tracking_code}, town_id=s.town_id,
                      url=_url(s)) is not None)


def extension_requested(extension_id: int) -> int:
    ext = Extension.objects.filter(pk=extension_id).select_related("suggestion", "requested_by").first()
    if ext is None:
        return 0
    s = ext.suggestion
    with _zh():
        text = _("{unit}申请将意见建议「{title}」的办理期限延至 {d}，请审批").format(
            unit=ext.requested_by, title=s.title, d=ext.new_deadline.isoformat())
    return _send(office_users(s), f"suggestion.{Action.REQUEST_EXTENSION.value}", text, _url(s))


def extension_decided(extension_id: int) -> int:
    """The lead deputy (deputy items) and the unit that asked."""
    ext = Extension.objects.filter(pk=extension_id).select_related("suggestion").first()
    if ext is None or ext.status == ExtensionStatus.REQUESTED:
        return 0
    s = ext.suggestion
    approved = ext.status == ExtensionStatus.APPROVED
    action = Action.APPROVE_EXTENSION if approved else Action.REFUSE_EXTENSION
    deputies = deputy_users([s.lead_deputy_id] if s.kind == Kind.DEPUTY else [])
    with _zh():
        if approved:
            text = _("意见建议「{title}」的延期申请已同意，办理期限延至 {d}").format(
                title=s.title, d=ext.new_deadline.isoformat())
        else:
            text = _("意见建议「{title}」的延期申请未获同意，办理期限仍为 {d}").format(
                title=s.title, d=ext.old_deadline.isoformat())
        if ext.decision_comment:
            text += _("。审批意见：{comment}").format(comment=ext.decision_comment)
    return _send([*deputies, *unit_users([ext.requested_by_id])], f"suggestion.{action.value}", text, _url(s))


def rehandled(suggestion_id: int) -> int:
    s = _item(suggestion_id)
    if s is None or s.lead_unit_id is None or s.deadline is None:
        return 0
    with _zh():
        text = _("意见建议「{title}」测评不满意，请重新办理（第{n}次），办理期限 {deadline}").format(
            title=s.title, n=s.rehandle_count, deadline=s.deadline.isoformat())
    return _send(unit_users([s.lead_unit_id]), f"suggestion.{Action.REHANDLE.value}", text, _url(s))


def key_supervised(suggestion_id: int) -> int:
    """The presidium member who leads the key supervision (nothing when taken off, or when no
    leader is named)."""
    s = _item(suggestion_id)
    if s is None or not s.key_supervision or s.supervisor_id is None:
        return 0
    with _zh():
        text = _("意见建议「{title}」已列入重点督办，由您督办").format(title=s.title)
    return _send(deputy_users([s.supervisor_id]), f"suggestion.{Action.SUPERVISE.value}", text, _url(s))


def reminded(reminder_id: int) -> int:
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("suggestion").first()
    if reminder is None or reminder.suggestion.lead_unit_id is None:
        return 0
    s = reminder.suggestion
    with _zh():
        text = _("{kind}：意见建议「{title}」办理期限 {deadline}，请抓紧办理").format(
            kind=reminder.get_kind_display(), title=s.title,
            deadline=s.deadline.isoformat() if s.deadline else "")
        if reminder.note:
            text += f"（{reminder.note}）"
    return _send(unit_users([s.lead_unit_id]), f"suggestion.{Action.REMIND.value}", text, _url(s))


def merged(suggestion_id: int) -> int:
    """Every submitter is still answered and told: the lead deputies of both items, and the
    office for a public submitter (it answers them)."""
    s = Suggestion.objects.filter(pk=suggestion_id).select_related("merged_into").first()
    if s is None or s.merged_into is None:
        return 0
    target = s.merged_into
    verb = f"suggestion.{Action.MERGE.value}"
    sent = 0
    with _zh():
        if s.kind == Kind.DEPUTY:
            sent += _send(deputy_users([s.lead_deputy_id]), verb,
                          _("您的建议「{title}」已与「{target}」合并办理，将一并答复").format(
                              title=s.title, target=target.title), _url(target))
        if target.kind == Kind.DEPUTY:
            sent += _send(deputy_users([target.lead_deputy_id]), verb,
                          _("建议「{title}」已合并至您的建议「{target}」一并办理").format(
                              title=s.title, target=target.title), _url(target))
        if Kind.PUBLIC in {s.kind, target.kind}:
            sent += _send(office_users(s), verb,
                          _("意见建议「{title}」已合并至「{target}」办理，请告知提出人").format(
                              title=s.title, target=target.title), _url(target))
    return sent


def closed(suggestion_id: int) -> int:
    s = _item(suggestion_id)
    if s is None or s.kind != Kind.DEPUTY:
        return 0
    with _zh():
        text = _("您的建议「{title}」已办结").format(title=s.title)
    return _send(deputy_users([s.lead_deputy_id]), f"suggestion.{Action.CLOSE.value}", text, _url(s))


def via_deputy(suggestion_id: int) -> int:
    """A public opinion was given through a deputy's QR code: that deputy is told (the item's
    title only; the submitter stays with the office)."""
    s = _item(suggestion_id)
    if s is None or s.via_deputy_id is None:
        return 0
    with _zh():
        text = _("群众通过您的二维码反映了意见「{title}」，请查看并处理").format(title=s.title)
        return _send(deputy_users([s.via_deputy_id]), "suggestion.via_deputy", text, _url(s))


def passed_on(suggestion_id: int) -> int:
    """The deputy passed a public opinion on to the office: the office is told."""
    s = Suggestion.objects.filter(pk=suggestion_id).select_related("via_deputy").first()
    if s is None:
        return 0
    with _zh():
        text = _("代表{name}将群众意见「{title}」转交人大办").format(
            name=s.via_deputy.name if s.via_deputy else "", title=s.title)
        return _send(office_users(s), "suggestion.pass_on", text, _url(s))
