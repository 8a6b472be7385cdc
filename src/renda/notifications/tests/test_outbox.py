"""The outbox: what is queued, sending, back-off, failure after the last attempt (the office
told), retry, no double send, the worker's periodic task."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from tests.support import World, make_user

from renda.accounts.services import user_update
from renda.audit.models import AuditEvent
from renda.core import crypto, worker
from renda.core.errors import IllegalTransition, NotFound
from renda.core.roles import Role
from renda.notifications import services
from renda.notifications.models import Delivery, DeliveryStatus, Notification
from renda.notifications.tests import fakes

pytestmark = pytest.mark.django_db

FAKES = "renda.notifications.tests.fakes."


def _reachable(world: World, role: str = Role.UNIT) -> Any:
    user = world.users[role]
    user, _changed = user_update(actor=None, user_id=user.pk, email="wang.wu@example.cn", phone="138 1234 5678")
    return user


def test_an_outbox_verb_queues_sms_and_email_to_the_recorded_addresses(world: World) -> None:
    user = _reachable(world)
    (n,) = services.notify(users=[user], verb="suggestion.assign", text="您单位有新交办的意见建议「修路」", url="/s/1/")
    sms, email = Delivery.objects.order_by("channel").reverse()
    assert sms.channel == "sms" and email.channel == "email"
    for d in (sms, email):
        assert d.notification == n and d.user == user and d.town_id == world.town.pk and d.status == "pending"
        assert d.attempts == 0 and d.url == "/s/1/"
    # the address is stored encrypted, shown masked
    assert "13812345678" not in sms.recipient and crypto.decrypt(sms.recipient) == "13812345678"
    assert sms.recipient_masked == "138****5678" and email.recipient_masked == "w***@example.cn"
    assert sms.params == {"content": "您单位有新交办的意见建议「修路」"}
    assert email.subject.startswith("【人大履职平台】") and email.body.startswith("您单位有新交办")


def test_other_verbs_and_users_without_addresses_stay_in_app(world: World) -> None:
    user = _reachable(world)
    services.notify(users=[user], verb="suggestion.close", text="办结", url="")
    services.notify(users=[world.users[Role.STAFF]], verb="suggestion.assign", text="交办", url="")
    assert not Delivery.objects.exists() and Notification.objects.count() == 2


def test_sms_to_a_submitter_skips_a_landline(world: World) -> None:
    assert services.sms_to(phone="0552-1234567", verb="suggestion.reply", params={"code": "X"},
                           town_id=world.town.pk) is None
    d = services.sms_to(phone="13812345678", verb="suggestion.reply", params={"code": "X"}, town_id=world.town.pk)
    assert d is not None and d.user is None and d.params == {"code": "X"}


def test_log_backend_marks_sent(world: World) -> None:
    services.notify(users=[_reachable(world)], verb="suggestion.assign", text="交办", url="")
    assert services.send_due() == {"sent": 2, "retry": 0, "failed": 0, "skipped": 0}
    assert set(Delivery.objects.values_list("status", "attempts", "backend")) == {("sent", 1, "log")}
    assert services.send_due() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}


@override_settings(RENDA_SMS_BACKEND=FAKES + "FailingBackend", RENDA_OUTBOX_BACKOFF=[1, 5, 30])
def test_retried_with_back_off_then_failed_and_the_office_told(world: World) -> None:
    d = services.sms_to(phone="13812345678", verb="suggestion.reply", params={"code": "X"}, town_id=world.town.pk)
    assert d is not None
    t0 = timezone.now()
    expected_waits = [1, 5, 30]
    at = t0
    for attempt, wait in enumerate(expected_waits, start=1):
        assert services.send_due(now=at)["retry"] == 1
        d.refresh_from_db()
        assert (d.status, d.attempts, d.last_error) == ("pending", attempt, "网关不可用 (HTTP 503)")
        assert d.next_attempt_at == at + dt.timedelta(minutes=wait)
        # one second before it is due: not tried
        assert services.send_due(now=d.next_attempt_at - dt.timedelta(seconds=1))["retry"] == 0
        at = d.next_attempt_at
    assert not Notification.objects.filter(verb="delivery.failed").exists()
    assert services.send_due(now=at)["failed"] == 1  # the 4th attempt is the last
    d.refresh_from_db()
    assert (d.status, d.attempts, d.failed_at) == ("failed", 4, at)
    told = Notification.objects.get(verb="delivery.failed")
    assert told.user == world.users[Role.STAFF] and told.url == f"/notifications/outbox/{d.pk}/"
    assert "138****5678" in told.text and "13812345678" not in told.text
    assert services.send_due(now=at + dt.timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}


@pytest.mark.parametrize("backend", ["RefusingBackend", "BrokenBackend"])
def test_a_permanent_error_fails_at_once_a_bug_is_retried(world: World, backend: str) -> None:
    with override_settings(RENDA_SMS_BACKEND=FAKES + backend):
        d = services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=None)
        assert d is not None
        services.send_due()
    d.refresh_from_db()
    assert d.status == ("failed" if backend == "RefusingBackend" else "pending")
    if backend == "RefusingBackend":  # no town: the district's administrators are told
        assert Notification.objects.get(verb="delivery.failed").user == world.users[Role.ADMIN]


def test_retry_puts_a_failed_delivery_back_and_is_audited(world: World) -> None:
    staff = world.users[Role.STAFF]
    with override_settings(RENDA_SMS_BACKEND=FAKES + "RefusingBackend"):
        d = services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
        assert d is not None
        services.send_due()
    with pytest.raises(NotFound):
        services.delivery_retry(actor=world.other_staff, delivery_id=d.pk)
    services.delivery_retry(actor=staff, delivery_id=d.pk)
    d.refresh_from_db()
    assert (d.status, d.attempts, d.failed_at) == ("pending", 0, None)
    assert d.last_error  # kept until the next attempt
    event = AuditEvent.objects.get(verb="delivery.retry")
    assert event.actor_id == staff.pk and "13812345678" not in str(event.before) + str(event.after)
    with pytest.raises(IllegalTransition):
        services.delivery_retry(actor=staff, delivery_id=d.pk)
    assert services.send_due()["sent"] == 1  # the log back end now


def test_retry_of_ticked_skips_others_and_unfailed(world: World) -> None:
    with override_settings(RENDA_SMS_BACKEND=FAKES + "RefusingBackend"):
        mine = [services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk) for _ in range(2)]
        theirs = services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.other_town.pk)
        services.send_due()
    pending = services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
    ids = [d.pk for d in [*mine, theirs, pending] if d is not None]
    assert services.deliveries_retry(actor=world.users[Role.STAFF], delivery_ids=ids) == 2
    assert Delivery.objects.get(pk=theirs.pk).status == DeliveryStatus.FAILED  # type: ignore[union-attr]


def test_a_delivery_claimed_by_a_worker_is_not_sent_by_another(world: World) -> None:
    d = services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
    assert d is not None
    now = timezone.now()
    # a first worker claimed it and died while sending: the lease holds it back, then it is retried
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=now + services.LEASE, attempts=1)
    assert services.send_one(delivery_id=d.pk, now=now) == "skipped"
    assert services.send_one(delivery_id=d.pk, now=now + services.LEASE) == "sent"
    assert services.send_one(delivery_id=d.pk, now=now + services.LEASE) == "skipped"


@pytest.mark.django_db(transaction=True)
@override_settings(RENDA_SMS_BACKEND=FAKES + "CountingBackend")
def test_two_workers_at_once_send_each_delivery_once() -> None:
    world = World()
    for _ in range(3):
        services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
    fakes.SENT.clear()
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.send_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(fakes.SENT) == 3 and sum(r["sent"] for r in results) == 3
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_the_worker_runs_the_outbox_periodically(world: World) -> None:
    task = worker.PERIODIC["notifications.outbox"]
    services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
    task.last = 0.0
    worker.run_periodic(now=1000.0)
    assert Delivery.objects.get().status == "sent"
    services.sms_to(phone="13812345678", verb="x.y", params={}, town_id=world.town.pk)
    worker.run_periodic(now=1000.0 + task.every - 1)  # not its turn yet
    assert Delivery.objects.filter(status="pending").count() == 1


def test_a_failing_periodic_task_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []
    worker.periodic("test.bad", every=1, fn=lambda: 1 / 0)
    worker.periodic("test.good", every=1, fn=lambda: calls.append("ok"))
    try:
        worker.run_periodic(now=10_000_000.0)
    finally:
        del worker.PERIODIC["test.bad"], worker.PERIODIC["test.good"]
    assert calls == ["ok"] and "test.bad" in caplog.text


def test_user_contact_is_validated_and_the_audit_keeps_no_phone(world: World) -> None:
    from renda.core.errors import InvalidInput

    unit = world.users[Role.UNIT]
    with pytest.raises(InvalidInput) as exc:
        user_update(actor=None, user_id=unit.pk, phone="0552-1234567")
    assert "phone" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        user_update(actor=None, user_id=unit.pk, email="not-an-address")
    assert "email" in exc.value.fields
    user = make_user(Role.STAFF, world.town)
    user_update(actor=None, user_id=user.pk, phone="13812345678")
    event = AuditEvent.objects.filter(verb="user.update").latest("id")
    assert "13812345678" not in str(event.after) and "138****5678 #" in str(event.after)
    changed = user_update(actor=None, user_id=user.pk, phone="13800005678")[1]
    assert changed  # a change of a masked digit is still a change
