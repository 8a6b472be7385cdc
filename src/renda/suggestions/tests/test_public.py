"""The public wording of an item: labels for every state, steps without names or comments,
replies without who typed them."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.core.roles import Role
from renda.suggestions import public, services
from renda.suggestions.tests.helpers import D, assigned, public_item, replied
from renda.suggestions.workflow import State

pytestmark = pytest.mark.django_db


def test_every_state_has_a_public_label() -> None:
    assert set(public.PUBLIC_STATE_LABELS) == set(State)


def test_a_new_item_is_open_and_told_as_received(world: World) -> None:
    s = public_item(world)
    assert public.public_label(s) == "已受理，正在分办"
    assert not public.is_closed(s)
    assert [st.label for st in public.public_steps(s)] == ["受理登记"]
    assert not public.may_evaluate(s)


def test_steps_leave_out_names_comments_and_internal_steps(world: World) -> None:
    s = public_item(world, comment="内部备注：请张科长处理")
    assigned(world, s)
    services.suggestion_remind(actor=world.users[Role.STAFF], suggestion_id=s.pk, on=D("2023-03-05"))
    s.refresh_from_db()
    s = replied(world, s, reply_class="B")
    steps = public.public_steps(s)
    assert [st.label for st in steps] == ["受理登记", "交承办单位办理", "承办单位签收", "承办单位答复"]
    assert all("张" not in st.label for st in steps)
    assert public.public_label(s) == "已答复，待评价"
    assert public.may_evaluate(s)
    assert not public.is_closed(s)
    (r,) = public.public_replies(s)
    assert (r.reply_class, r.unit, r.text, r.on) == ("B", world.unit.name, "已建成", D("2023-03-10"))
    assert public.public_notes(s) == "已答复，待评价（B 正在解决）"


def test_evaluated_is_closed(world: World) -> None:
    s = replied(world, public_item(world))
    services.suggestion_evaluate(actor=world.users[Role.STAFF], suggestion_id=s.pk, result="satisfied",
                                 on=D("2023-03-12"))
    s.refresh_from_db()
    assert public.is_closed(s)
    assert not public.may_evaluate(s)
    assert public.public_steps(s)[-1].label == "满意度评价"
