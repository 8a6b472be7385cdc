"""QR sign-in (扫码签到): valid inside the window, refused one minute outside each edge, refused
for a forged link, an expired link, a non-participant and a second sign-in — each with its message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone
from tests.support import World, make_deputy, make_user

from renda.core.errors import Conflict, Forbidden, InvalidInput
from renda.core.roles import Role
from renda.duties import services
from renda.duties.models import Attendance, Participation
from renda.duties.tests.helpers import D, make_activity

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


def local(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(D(day), dt.time(hh, mm), tzinfo=timezone.get_current_timezone())


def test_the_window_is_two_hours_before_the_start_to_the_end_of_the_day(world: World) -> None:
    a = make_activity(world)  # 2023-03-01 09:00–11:00
    opens, closes = services.signin_window(a)
    assert opens == local("2023-03-01", 7)
    assert closes == local("2023-03-02", 0)


def test_a_participant_signs_in_at_the_opening_minute(world: World) -> None:
    a = make_activity(world)
    deputy = world.users[Role.DEPUTY]
    p = services.activity_sign_in(actor=deputy, token=services.signin_token(a), now=local("2023-03-01", 7))
    assert p.attendance == Attendance.ATTENDED and p.via == "qr"
    assert p.signed_in_at == local("2023-03-01", 7)


def test_one_minute_before_the_window_is_refused(world: World) -> None:
    a = make_activity(world)
    with pytest.raises(InvalidInput, match="签到尚未开始") as exc:
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=services.signin_token(a),
                                  now=local("2023-03-01", 7) - MIN)
    assert exc.value.code == "not_yet"
    assert Participation.objects.get(activity=a, deputy=world.deputy).attendance == Attendance.EXPECTED


def test_the_last_minute_of_the_day_signs_in_and_midnight_is_expired(world: World) -> None:
    a = make_activity(world)
    token = services.signin_token(a)
    with pytest.raises(InvalidInput, match="签到链接已过期") as exc:
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-02", 0))
    assert exc.value.code == "expired"
    p = services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-02", 0) - MIN)
    assert p.attendance == Attendance.ATTENDED


def test_a_link_whose_signed_expiry_passed_is_expired_even_if_the_activity_moved(world: World) -> None:
    a = make_activity(world)
    token = services.signin_token(a)
    services.activity_update(actor=world.users[Role.STAFF], activity_id=a.pk, changes={"on": D("2023-03-05")})
    with pytest.raises(InvalidInput, match="签到链接已过期"):
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-05", 9))
    a.refresh_from_db()
    p = services.activity_sign_in(actor=world.users[Role.DEPUTY], token=services.signin_token(a),
                                  now=local("2023-03-05", 9))
    assert p.attendance == Attendance.ATTENDED


@pytest.mark.parametrize("token", ["", "abc", "garbage:token:here"])
def test_a_forged_link_is_refused(world: World, token: str) -> None:
    make_activity(world)
    with pytest.raises(InvalidInput, match="签到链接无效") as exc:
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-01", 9))
    assert exc.value.code == "forged"


def test_a_link_signed_with_another_key_or_salt_or_altered_is_refused(world: World) -> None:
    a = make_activity(world)
    expiry = int(local("2023-03-02", 0).timestamp())
    wrong_salt = signing.dumps({"a": a.pk, "e": expiry}, salt="another.salt")
    good = services.signin_token(a)
    altered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for token in (wrong_salt, altered):
        with pytest.raises(InvalidInput, match="签到链接无效"):
            services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-01", 9))


def test_a_deputy_who_is_not_a_participant_is_refused(world: World) -> None:
    a = make_activity(world)
    outsider = make_user(Role.DEPUTY, world.town, deputy=make_deputy(world.town))
    with pytest.raises(InvalidInput, match="不在「区检察院案件公开听证」的参加代表名单中") as exc:
        services.activity_sign_in(actor=outsider, token=services.signin_token(a), now=local("2023-03-01", 9))
    assert exc.value.code == "not_participant"


def test_a_user_who_is_no_deputy_is_refused(world: World) -> None:
    a = make_activity(world)
    with pytest.raises(Forbidden, match="只有参加本次活动的代表可以签到"):
        services.activity_sign_in(actor=world.users[Role.STAFF], token=services.signin_token(a),
                                  now=local("2023-03-01", 9))


def test_a_second_sign_in_is_refused_with_the_first_time(world: World) -> None:
    a = make_activity(world)
    token = services.signin_token(a)
    services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-01", 8, 55))
    with pytest.raises(Conflict, match="您已于 2023-03-01 08:55 签到，无需重复签到") as exc:
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=token, now=local("2023-03-01", 9, 5))
    assert exc.value.code == "twice"


def test_a_cancelled_activity_takes_no_sign_in(world: World) -> None:
    a = make_activity(world)
    services.activity_cancel(actor=world.users[Role.STAFF], activity_id=a.pk, reason="改期")
    with pytest.raises(InvalidInput, match="活动已取消"):
        services.activity_sign_in(actor=world.users[Role.DEPUTY], token=services.signin_token(a),
                                  now=local("2023-03-01", 9))


def test_without_a_start_time_the_window_opens_two_hours_before_midnight(world: World) -> None:
    a = make_activity(world, starts_at=None, ends_at=None)
    opens, _closes = services.signin_window(a)
    assert opens == local("2023-02-28", 22)
