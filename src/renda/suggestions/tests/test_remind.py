"""``renda remind``: automatic reminders for items due within 7 days and overdue; safe from cron."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from tests.support import World

from renda.suggestions.models import Reminder, ReminderKind, Transition
from renda.suggestions.tests.helpers import D, assigned, public_item, replied

pytestmark = pytest.mark.django_db


def remind(day: str) -> str:
    out = StringIO()
    call_command("remind", "--date", day, stdout=out)
    return out.getvalue()


def test_due_soon_and_overdue_are_reminded_once_a_day(world: World) -> None:
    due_soon = assigned(world, public_item(world))  # assigned 2023-03-02 → deadline 2023-04-01
    other = assigned(world, public_item(world, title="另一件"), on=D("2023-03-01"))  # deadline 2023-03-31
    far = public_item(world, title="还早", on=D("2023-03-20"))
    assigned(world, far, on=D("2023-03-25"))  # deadline 2023-04-24
    done = replied(world, public_item(world, title="已答复"))  # replied: not handling any more

    out = remind("2023-03-28")
    assert "即将到期提醒 2 件" in out and "超期催办 0 件" in out
    out = remind("2023-04-03")
    assert "即将到期提醒 0 件" in out and "超期催办 2 件" in out
    kinds = set(Reminder.objects.filter(suggestion=due_soon).values_list("kind", "sent_on"))
    assert kinds == {(ReminderKind.DUE_SOON, D("2023-03-28")), (ReminderKind.OVERDUE, D("2023-04-03"))}
    assert Reminder.objects.filter(suggestion=other).count() == 2
    assert not Reminder.objects.filter(suggestion__in=[far, done]).exists()
    assert Transition.objects.filter(suggestion=due_soon, action="remind", actor__isnull=True).count() == 2


def test_running_twice_the_same_day_sends_nothing_new(world: World) -> None:
    item = assigned(world, public_item(world))
    first = remind("2023-04-05")
    assert "超期催办 1 件" in first
    events = (Reminder.objects.count(), Transition.objects.filter(suggestion=item).count())
    second = remind("2023-04-05")
    assert "超期催办 0 件" in second and "未重复发送 1 件" in second
    assert (Reminder.objects.count(), Transition.objects.filter(suggestion=item).count()) == events
    # The next day it reminds again.
    assert "超期催办 1 件" in remind("2023-04-06")


def test_nothing_to_remind_says_so(world: World) -> None:
    public_item(world)  # registered, not assigned: no deadline
    assert "没有需要提醒的事项" in remind("2023-03-05")


def test_a_bad_date_is_refused(world: World) -> None:
    with pytest.raises(Exception, match="日期格式不正确"):
        remind("2023/03/05")


def test_b_and_c_replies_are_followed_up_until_answered_again(world: World) -> None:
    b_item = replied(world, public_item(world, title="正在解决"), reply_class="B", on=D("2023-03-10"))
    a_item = replied(world, public_item(world, title="已解决"), reply_class="A", on=D("2023-03-10"))
    assert "B/C类跟踪督办 0 件" in remind("2023-04-08")  # 29 days after the reply: not yet
    assert "B/C类跟踪督办 1 件" in remind("2023-04-09")
    assert "B/C类跟踪督办 0 件" in remind("2023-04-20")  # one follow-up per 30 days
    assert "B/C类跟踪督办 1 件" in remind("2023-05-09")
    follow_ups = Reminder.objects.filter(kind=ReminderKind.FOLLOW_UP)
    assert set(follow_ups.values_list("suggestion_id", flat=True)) == {b_item.pk}
    assert not Reminder.objects.filter(suggestion=a_item).exists()
    # Answered again as solved (A): no more follow-ups.
    from renda.suggestions import services

    services.suggestion_reply(actor=world.users["unit"], suggestion_id=b_item.pk, reply_class="A", text="已解决",
                              on=D("2023-05-10"))
    assert "B/C类跟踪督办 0 件" in remind("2023-07-10")
