"""The only writers of notifications and of the outbox.

``notify`` is not audited: a notification is a message about a change (which the sending
service has already audited), not a change of record. Marking read is the user's own business
and not audited either. Nor is sending: each attempt is written on the delivery itself
(attempts, last error, status); the office's retry of a failed delivery is audited.

The outbox (docs/notifications.md): ``notify`` of a verb in ``RENDA_OUTBOX_VERBS`` also queues an
SMS to the user's recorded phone and an e-mail to their recorded address, in the same
transaction; ``sms_to`` queues an SMS to someone without an account (a public submitter).
``send_due`` (the worker, every few seconds) claims each due delivery, decrypts its address,
hands it to the channel's back end and records the outcome: sent, or tried again after the
back-off (``RENDA_OUTBOX_BACKOFF``), or failed after the last attempt with the office told."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from renda.audit.services import record
from renda.core import crypto
from renda.core.errors import IllegalTransition
from renda.core.roles import Role
from renda.core.services import lock
from renda.core.types import Actor
from renda.notifications import policy
from renda.notifications.backends import DeliveryError, Message, backend_for, sms_template
from renda.notifications.models import Channel, Delivery, DeliveryStatus, Notification

logger = logging.getLogger("renda.notifications")

#: How long a claimed delivery is the claiming worker's: if it dies while sending, another
#: worker tries again after this (a back end's timeout is far shorter).
LEASE = dt.timedelta(minutes=10)
#: The longest SMS parameter sent (gateways cap a variable's length).
SMS_PARAM_MAX = 60


@transaction.atomic
def notify(*, users: Iterable[Any], verb: str, text: str, url: str = "") -> list[Notification]:
    """One notification per distinct active user in ``users`` (``None`` entries are skipped);
    for a verb in ``RENDA_OUTBOX_VERBS`` also an SMS and an e-mail to each user's recorded phone
    and e-mail address, queued in the same transaction."""
    now = timezone.now()
    seen: set[Any] = set()
    rows = []
    for user in users:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, verb=verb[:50], text=text, url=url[:500], created_at=now))
    created = Notification.objects.bulk_create(rows) if rows else []
    if verb in settings.RENDA_OUTBOX_VERBS:
        for n in created:
            _queue_for_user(n)
    return created


def _queue_for_user(n: Notification) -> None:
    user = n.user
    phone = crypto.normalize_phone(str(getattr(user, "phone", "") or ""))
    if is_mobile(phone):
        _queue(channel=Channel.SMS, to=phone, verb=n.verb, town_id=user.town_id, user=user, notification=n,
               params={"content": _short(n.text)}, url=n.url)
    email = str(getattr(user, "email", "") or "").strip()
    if is_email(email):
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("【人大履职平台】{text}").format(text=_short(n.text, 60))
            link = f"\n\n{settings.RENDA_SITE_URL}{n.url}" if settings.RENDA_SITE_URL and n.url else ""
        _queue(channel=Channel.EMAIL, to=email, verb=n.verb, town_id=user.town_id, user=user, notification=n,
               subject=subject, body=n.text + link, url=n.url)


@transaction.atomic
def sms_to(*, phone: str, verb: str, params: dict[str, str], town_id: int | None, url: str = "") -> Delivery | None:
    """Queue an SMS to someone without an account (a public submitter): the template of ``verb``
    with ``params``, which must carry no personal data. A number that is not a mobile phone
    (a landline) gets nothing (None)."""
    phone = crypto.normalize_phone(phone or "")
    if not is_mobile(phone):
        return None
    return _queue(channel=Channel.SMS, to=phone, verb=verb, town_id=town_id, params=params, url=url)


def is_mobile(phone: str) -> bool:
    return len(phone) == 11 and phone.isdigit() and phone.startswith("1")


def is_email(address: str) -> bool:
    if not address or len(address) > 254:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def mask_email(address: str) -> str:
    """wang.wu@example.cn → w***@example.cn."""
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}" if domain else crypto.mask_name(address)


def _short(text: str, limit: int = SMS_PARAM_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _queue(*, channel: str, to: str, verb: str, town_id: int | None, user: Any = None,
           notification: Notification | None = None, params: dict[str, str] | None = None,
           subject: str = "", body: str = "", url: str = "") -> Delivery:
    masked = crypto.mask_phone(to) if channel == Channel.SMS else mask_email(to)
    return Delivery.objects.create(
        channel=channel, recipient=crypto.encrypt(to), recipient_masked=masked[:100], user=user,
        notification=notification, town_id=town_id, verb=verb[:50],
        template_id=sms_template(verb) if channel == Channel.SMS else "", params=params or {},
        subject=subject[:200], body=body, url=url[:500], status=DeliveryStatus.PENDING,
        next_attempt_at=timezone.now())


# --- sending (the worker) -------------------------------------------------------------------


def backoff() -> list[dt.timedelta]:
    """The wait after each failed attempt; there are ``len(backoff()) + 1`` attempts."""
    return [dt.timedelta(minutes=m) for m in settings.RENDA_OUTBOX_BACKOFF]


def max_attempts() -> int:
    return len(settings.RENDA_OUTBOX_BACKOFF) + 1


def send_due(*, now: dt.datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Send every pending delivery that is due (up to ``limit``): the worker's periodic task and
    ``renda send_notifications``. Returns how many were sent, deferred, failed and skipped
    (claimed by another worker first)."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    due = (Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in list(due):
        counts[send_one(delivery_id=pk, now=now)] += 1
    return counts


def send_one(*, delivery_id: int, now: dt.datetime | None = None) -> str:
    """One attempt at one delivery, if it is still pending and due: ``sent``, ``retry``,
    ``failed`` or ``skipped``. The claim is one conditional UPDATE (moving the delivery's
    next attempt a lease ahead and counting the attempt), so of two workers only one sends."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
                                      ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    d = Delivery.objects.get(pk=delivery_id)
    try:
        backend = backend_for(d.channel)
        backend_name = backend.name
        message = Message(channel=d.channel, to=crypto.decrypt(d.recipient), masked=d.recipient_masked,
                          verb=d.verb, template_id=d.template_id or sms_template(d.verb), params=d.params,
                          subject=d.subject, body=d.body)
        backend.send(message)
    except DeliveryError as exc:
        return _attempt_failed(d, str(exc), permanent=exc.permanent, now=now)
    except Exception as exc:  # a back end's own bug must not lose the delivery either
        logger.exception("outbox: delivery %s: the back end failed", d.pk)
        return _attempt_failed(d, f"{type(exc).__name__}: {exc}"[:500], permanent=False, now=now)
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="",
                                            backend=backend_name[:50])
    return "sent"


def _attempt_failed(d: Delivery, error: str, *, permanent: bool, now: dt.datetime) -> str:
    waits = backoff()
    last = permanent or d.attempts >= max_attempts()
    logger.warning("outbox: delivery %s (%s to %s) attempt %s failed%s: %s", d.pk, d.channel, d.recipient_masked,
                   d.attempts, " for good" if last else "", error)
    with transaction.atomic():
        if not last:
            Delivery.objects.filter(pk=d.pk).update(
                last_error=error, next_attempt_at=now + waits[min(d.attempts, len(waits)) - 1])
            return "retry"
        Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.FAILED, last_error=error, failed_at=now)
        _tell_office(d)
    return "failed"


def office_users(town_id: int | None) -> list[Any]:
    """Who looks after a town's failed deliveries: its office staff (the district's
    administrators when the delivery has no town, or the town no active staff)."""
    users = get_user_model().objects.filter(is_active=True)
    staff = list(users.filter(role=Role.STAFF, town_id=town_id).order_by("pk")) if town_id else []
    return staff or list(users.filter(role=Role.ADMIN, town_id__isnull=True).order_by("pk"))


def _tell_office(d: Delivery) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("{channel}发送失败（{to}，已尝试 {n} 次），请核实后重发").format(
            channel=d.get_channel_display(), to=d.recipient_masked, n=d.attempts)
    notify(users=office_users(d.town_id), verb="delivery.failed", text=text,
           url=reverse("deliveries:detail", args=[d.pk]))


# --- the office: retry --------------------------------------------------------------------------


@transaction.atomic
def delivery_retry(*, actor: Actor, delivery_id: int) -> Delivery:
    """重发: a failed delivery goes back to the queue for a fresh series of attempts."""
    d = lock(Delivery, delivery_id)
    policy.require(actor, "retry", d)
    if d.status != DeliveryStatus.FAILED:
        raise IllegalTransition(_("只能重发发送失败的通知"))
    before = {"status": d.status, "attempts": d.attempts, "last_error": d.last_error}
    d.status, d.attempts, d.next_attempt_at, d.failed_at = DeliveryStatus.PENDING, 0, timezone.now(), None
    d.template_id = sms_template(d.verb) if d.channel == Channel.SMS else ""
    d.save(update_fields=["status", "attempts", "next_attempt_at", "failed_at", "template_id"])
    record(actor=actor, verb="delivery.retry", target=d, before=before,
           after={"status": d.status, "attempts": 0, "last_error": d.last_error})
    return d


@transaction.atomic
def deliveries_retry(*, actor: Actor, delivery_ids: Sequence[int]) -> int:
    """重发 the ticked deliveries that are failed and the actor's to retry; returns how many."""
    done = 0
    for pk in sorted(set(delivery_ids)):
        d = Delivery.objects.filter(pk=pk).only("pk", "status", "town_id").first()
        if d is None or d.status != DeliveryStatus.FAILED or not policy.can(actor, "retry", d):
            continue
        delivery_retry(actor=actor, delivery_id=pk)
        done += 1
    return done


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification_id: int) -> Notification:
    notification = lock(Notification, notification_id)
    policy.require(actor, "mark_read", notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of ``actor`` read; returns how many."""
    policy.require(actor, "mark_all_read")
    if actor is None:  # the system has no notifications
        return 0
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
