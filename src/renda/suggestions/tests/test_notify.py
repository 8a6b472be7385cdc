from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from tests.support import World, make_user

from renda.core.roles import Role
from renda.notifications.models import Notification
from renda.suggestions import services
from renda.suggestions.tests.helpers import D, deputy_item, public_item

pytestmark = pytest.mark.django_db


def _texts(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("text", flat=True))


def test_assign_notifies_the_units_users(world: World, django_capture_on_commit_callbacks: Any) -> None:
    second = make_user(Role.UNIT, world.town, unit=world.unit)
    co_user = make_user(Role.UNIT, world.town)
    s = public_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit,
                                   co_units=[co_user.unit], deadline=D("2023-04-01"), on=D("2023-03-02"))
    expected = "您单位有新交办的意见建议「修建公交车站台」，办理期限 2023-04-01"
    for user in (world.users[Role.UNIT], second, co_user):
        assert _texts(user) == [expected]
    n = Notification.objects.filter(user=second).get()
    assert n.url == f"/suggestions/{s.pk}/" and n.verb == "suggestion.assign" and n.read_at is None
    assert not Notification.objects.filter(user=world.users[Role.STAFF]).exists()


def _assigned_deputy_item(world: World) -> Any:
    s = deputy_item(world)
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit,
                               on=D("2023-03-02"))
    services.suggestion_accept(actor=world.users[Role.UNIT], suggestion_id=s.pk, on=D("2023-03-03"))
    return s


@pytest.mark.parametrize("approve", [True, False])
def test_extension_decision_notifies_the_deputy(world: World, django_capture_on_commit_callbacks: Any,
                                                approve: bool) -> None:
    s = _assigned_deputy_item(world)
    ext = services.suggestion_request_extension(actor=world.users[Role.UNIT], suggestion_id=s.pk, reason="需立项",
                                                days=30, on=D("2023-03-10"))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_decide_extension(actor=world.users[Role.STAFF], extension_id=ext.pk, approve=approve,
                                             on=D("2023-03-11"))
    deputy_texts = _texts(world.users[Role.DEPUTY])
    assert len(deputy_texts) == 1 and "农田水利施工质量监督" in deputy_texts[0]
    if approve:
        assert "已同意" in deputy_texts[0] and ext.new_deadline.isoformat() in deputy_texts[0]
    else:
        assert "未获同意" in deputy_texts[0] and ext.old_deadline.isoformat() in deputy_texts[0]
    assert _texts(world.users[Role.UNIT]) == deputy_texts


def test_merge_notifies_both_submitters(world: World, django_capture_on_commit_callbacks: Any) -> None:
    other_deputy_user = world.extra_user  # the user of world.plain_deputy
    a = deputy_item(world)
    b = deputy_item(world, lead_deputy=world.plain_deputy, co_deputies=[], title="农田水利质量")
    p = public_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_merge(actor=world.users[Role.STAFF], suggestion_id=b.pk, into_id=a.pk)
    assert len(_texts(world.users[Role.DEPUTY])) == 1 and "合并至您的建议" in _texts(world.users[Role.DEPUTY])[0]
    assert len(_texts(other_deputy_user)) == 1 and "一并答复" in _texts(other_deputy_user)[0]
    # A public submitter is answered by the office, which is told.
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_merge(actor=world.users[Role.STAFF], suggestion_id=p.pk, into_id=a.pk)
    assert any("请告知提出人" in t for t in _texts(world.users[Role.STAFF]))


def test_rolled_back_service_sends_nothing(world: World, django_capture_on_commit_callbacks: Any) -> None:
    s = public_item(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit,
                                           on=D("2023-03-02"))
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.exists()
    s.refresh_from_db()
    assert s.state == "registered"


def test_reply_and_close_notify_the_deputy(world: World, django_capture_on_commit_callbacks: Any) -> None:
    s = _assigned_deputy_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_reply(actor=world.users[Role.UNIT], suggestion_id=s.pk, reply_class="A", text="已整改",
                                  on=D("2023-03-10"))
        services.suggestion_evaluate(actor=world.users[Role.DEPUTY], suggestion_id=s.pk, result="satisfied",
                                     on=D("2023-03-11"))
        services.suggestion_close(actor=world.users[Role.STAFF], suggestion_id=s.pk, on=D("2023-03-12"))
    texts = _texts(world.users[Role.DEPUTY])
    assert any("请查看并测评" in t for t in texts) and any("已办结" in t for t in texts)


# --- the outbox (SMS and e-mail) -------------------------------------------------------------------


def test_the_public_submitter_gets_an_sms_with_the_tracking_code_on_reply(
        world: World, django_capture_on_commit_callbacks: Any) -> None:
    from renda.core import crypto
    from renda.notifications.models import Delivery
    from renda.notifications.services import send_due
    from renda.suggestions.tests.helpers import replied

    s = public_item(world)
    anonymous = public_item(world, anonymous=True, title="匿名反映")
    landline = public_item(world, submitter_phone="0552-1234567", title="固话反映")
    with django_capture_on_commit_callbacks(execute=True):
        for item in (s, anonymous, landline):
            replied(world, item)
    (d,) = Delivery.objects.all()
    assert d.channel == "sms" and d.verb == "suggestion.reply" and d.user is None and d.town_id == world.town.pk
    assert d.params == {"code": s.tracking_code} and crypto.decrypt(d.recipient) == "13812345678"
    assert "张小三" not in str(d.params) and "修建" not in str(d.params)
    assert send_due()["sent"] == 1


def test_units_are_told_on_assignment_by_sms_and_email(world: World, django_capture_on_commit_callbacks: Any) -> None:
    from renda.accounts.services import user_update
    from renda.notifications.models import Delivery

    user_update(actor=None, user_id=world.users[Role.UNIT].pk, email="unit@example.cn", phone="13900001111")
    s = public_item(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=s.pk, lead_unit=world.unit,
                                   deadline=D("2023-04-01"), on=D("2023-03-02"))
    got = {(d.channel, d.recipient_masked, d.verb) for d in Delivery.objects.all()}
    assert got == {("sms", "139****1111", "suggestion.assign"), ("email", "u***@example.cn", "suggestion.assign")}
