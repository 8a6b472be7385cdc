"""The motion rules at their edges: signers (N-1 refused, N accepted), the session's time limit
(a minute and a day each side), deputies not serving, a deputy signing twice (service message and
database constraint), the presidium's decision (a reason when not on the agenda), the conversion
to a suggestion (linked both ways) and the resolution's follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from tests.support import World, make_deputy, make_unit

from renda.audit.models import AuditEvent
from renda.congress.models import AgendaItem
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.motions import selectors, services
from renda.motions.models import MotionSignature
from renda.motions.tests.helpers import D, at, deputies, motion, presidium, session, staff, submitted
from renda.motions.workflow import State
from renda.people.services import deputy_update
from renda.suggestions.models import Suggestion

pytestmark = pytest.mark.django_db


# --- signers --------------------------------------------------------------------------------


def test_default_rule_is_five_signers_four_refused(world: World) -> None:
    m = motion(world, signers=4)
    with pytest.raises(InvalidInput) as e:
        services.motion_submit(actor=staff(world), motion_id=m.pk, at=at("2023-01-12", "15:00"))
    assert "5 名以上代表联名" in e.value.message and "只有 4 名" in e.value.message
    m.refresh_from_db()
    assert m.state == State.DRAFT and m.submitted_at is None


def test_five_signers_accepted(world: World) -> None:
    m = submitted(world, signers=5)
    assert m.state == State.SUBMITTED and m.signatures.count() == 5
    assert m.code.startswith("YA2023-")


def test_town_rule_is_editable_n_minus_one_refused_n_accepted(world: World) -> None:
    services.settings_set(actor=staff(world), town=world.town, min_signers=3)
    assert selectors.min_signers(world.town.pk) == 3
    short = motion(world, signers=2)
    with pytest.raises(InvalidInput):
        services.motion_submit(actor=staff(world), motion_id=short.pk, at=at("2023-01-12", "15:00"))
    ok = motion(world, short.session, signers=3, title="关于村道硬化的议案")
    ok = services.motion_submit(actor=staff(world), motion_id=ok.pk, at=at("2023-01-12", "15:00"))
    assert ok.state == "submitted"


def test_town_rule_edges_and_only_the_office(world: World) -> None:
    with pytest.raises(InvalidInput):
        services.settings_set(actor=staff(world), town=world.town, min_signers=1)
    assert services.settings_set(actor=staff(world), town=world.town, min_signers=2).min_signers == 2
    with pytest.raises(Forbidden):
        services.settings_set(actor=presidium(world), town=world.town, min_signers=6)
    with pytest.raises(NotFound):
        services.settings_set(actor=world.other_staff, town=world.town, min_signers=6)


def test_a_deputy_signs_once_service_message(world: World) -> None:
    m = motion(world, signers=2)
    d = deputies(world, 2)[1]
    with pytest.raises(Conflict) as e:
        services.motion_sign(actor=staff(world), motion_id=m.pk, deputy=d, at=at("2023-01-12", "10:00"))
    assert "只能联名一次" in e.value.message


def test_a_deputy_signs_once_database_constraint(world: World) -> None:
    m = motion(world, signers=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        MotionSignature.objects.create(motion=m, deputy=m.lead_deputy, signed_at=at("2023-01-12"))


def test_a_deputy_signs_as_themselves_only(world: World) -> None:
    m = motion(world, signers=1)
    deputy_user = world.extra_user  # the plain deputy's account
    sig = services.motion_sign(actor=deputy_user, motion_id=m.pk)
    assert sig.deputy == world.plain_deputy
    with pytest.raises(InvalidInput):
        services.motion_sign(actor=deputy_user, motion_id=m.pk, deputy=world.presidium_deputy)


def test_a_deputy_not_serving_cannot_sign(world: World) -> None:
    m = motion(world, signers=1)
    gone = make_deputy(world.town)
    deputy_update(actor=None, deputy_id=gone.pk, serving_to=D("2023-01-11"))
    with pytest.raises(InvalidInput) as e:
        services.motion_sign(actor=staff(world), motion_id=m.pk, deputy=gone, at=at("2023-01-12"))
    assert "任职" in e.value.message
    with pytest.raises(InvalidInput):  # another town's deputy
        services.motion_sign(actor=staff(world), motion_id=m.pk, deputy=world.other_deputy, at=at("2023-01-12"))
    # serving on its last day: accepted
    last_day = make_deputy(world.town)
    deputy_update(actor=None, deputy_id=last_day.pk, serving_to=D("2023-01-12"))
    services.motion_sign(actor=staff(world), motion_id=m.pk, deputy=last_day, at=at("2023-01-12"))


def test_unsign_before_submission_not_the_lead(world: World) -> None:
    m = motion(world, signers=3)
    other = deputies(world, 3)[2]
    services.motion_unsign(actor=staff(world), motion_id=m.pk, deputy=other)
    assert m.signatures.count() == 2
    with pytest.raises(InvalidInput):
        services.motion_unsign(actor=staff(world), motion_id=m.pk, deputy=m.lead_deputy)


def test_presidium_motion_needs_no_signers(world: World) -> None:
    s = session(world)
    m = services.motion_create(actor=presidium(world), session=s, title="关于镇区垃圾分类的议案",
                               submitted_by="presidium", at=at("2023-01-12", "09:00"))
    assert m.signatures.count() == 0
    services.motion_submit(actor=staff(world), motion_id=m.pk, at=at("2023-01-12", "11:00"))


def test_joint_motion_needs_a_lead(world: World) -> None:
    with pytest.raises(InvalidInput):
        services.motion_create(actor=staff(world), session=session(world), title="议案", at=at("2023-01-12"))


# --- the time limit ----------------------------------------------------------------------------


def test_limit_set_by_the_office_a_minute_each_side(world: World) -> None:
    s = session(world)
    services.limit_set(actor=staff(world), session=s, deadline=at("2023-01-12", "12:00"))
    late = motion(world, s)
    with pytest.raises(InvalidInput) as e:
        services.motion_submit(actor=staff(world), motion_id=late.pk, at=at("2023-01-12", "12:01"))
    assert "截止时间（2023-01-12 12:00）" in e.value.message
    services.motion_submit(actor=staff(world), motion_id=late.pk, at=at("2023-01-12", "11:59"))


def test_default_limit_is_the_end_of_the_first_day_a_day_each_side(world: World) -> None:
    s = session(world)
    assert selectors.deadline_of(s) == at("2023-01-12", "23:59:59")
    m = motion(world, s)
    with pytest.raises(InvalidInput):
        services.motion_submit(actor=staff(world), motion_id=m.pk, at=at("2023-01-13", "00:00"))
    services.motion_submit(actor=staff(world), motion_id=m.pk, at=at("2023-01-12", "23:59"))


def test_limit_within_the_session(world: World) -> None:
    s = session(world)
    with pytest.raises(InvalidInput):
        services.limit_set(actor=staff(world), session=s, deadline=at("2023-01-11", "18:00"))
    with pytest.raises(InvalidInput):
        services.limit_set(actor=staff(world), session=s, deadline=at("2023-01-14", "09:00"))
    services.limit_set(actor=staff(world), session=s, deadline=at("2023-01-13", "18:00"))
    assert selectors.deadline_of(s) == at("2023-01-13", "18:00")


def test_a_deputy_submits_now_so_after_an_old_limit_refused(world: World) -> None:
    m = motion(world, signers=5)  # led by the World's deputy
    with pytest.raises(InvalidInput):  # now is long after the 2023 session's limit; ``at`` is not theirs to give
        services.motion_submit(actor=world.users[Role.DEPUTY], motion_id=m.pk, at=at("2023-01-12", "15:00"))


# --- the presidium's decision ------------------------------------------------------------------


def test_not_on_agenda_needs_a_reason(world: World) -> None:
    m = submitted(world)
    with pytest.raises(InvalidInput):
        services.motion_reject(actor=presidium(world), motion_id=m.pk, reason="  ", on=D("2023-01-12"))
    m = services.motion_reject(actor=presidium(world), motion_id=m.pk, reason="不属于本级人代会职权范围",
                               on=D("2023-01-12"))
    assert m.state == State.NOT_ON_AGENDA and m.decision == "not_on_agenda" and m.decided_on == D("2023-01-12")


def test_put_on_agenda_adds_the_agenda_item(world: World) -> None:
    m = services.motion_put_on_agenda(actor=presidium(world), motion_id=submitted(world).pk, on=D("2023-01-12"))
    item = AgendaItem.objects.get(pk=m.agenda_item_id)
    assert item.session_id == m.session_id and item.needs_vote and m.title in item.title


def test_decision_not_before_submission(world: World) -> None:
    m = submitted(world)
    with pytest.raises(InvalidInput):
        services.motion_put_on_agenda(actor=presidium(world), motion_id=m.pk, on=D("2023-01-11"))


def test_deputy_cannot_decide(world: World) -> None:
    m = submitted(world)
    with pytest.raises(Forbidden):
        services.motion_put_on_agenda(actor=world.users[Role.DEPUTY], motion_id=m.pk, on=D("2023-01-12"))


def test_to_suggestion_registers_a_deputy_suggestion_linked_both_ways(world: World) -> None:
    m = submitted(world, signers=5)
    m = services.motion_to_suggestion(actor=presidium(world), motion_id=m.pk, reason="宜作为建议交有关单位办理",
                                      on=D("2023-01-13"))
    s = Suggestion.objects.get(pk=m.suggestion_id)
    assert m.state == State.AS_SUGGESTION and m.decision == "as_suggestion"
    assert s.kind == "deputy" and s.source == "session" and s.lead_deputy_id == m.lead_deputy_id
    signers = {x.deputy_id for x in m.signatures.all()}
    assert set(s.co_deputies.values_list("pk", flat=True)) == signers - {m.lead_deputy_id}
    assert s.registered_at == D("2023-01-13")
    assert list(selectors.motions_for_suggestion(staff(world), s.pk)) == [m]
    assert not selectors.motions_for_suggestion(world.other_staff, s.pk).exists()


def test_illegal_step_refused_in_words(world: World) -> None:
    m = motion(world)
    with pytest.raises(IllegalTransition) as e:
        services.motion_put_on_agenda(actor=presidium(world), motion_id=m.pk)
    assert "议案不能" in e.value.message


def test_stale_state_conflict(world: World) -> None:
    m = submitted(world)
    with pytest.raises(Conflict):
        services.motion_reject(actor=presidium(world), motion_id=m.pk, reason="理由", expected_state="draft")


# --- resolution and follow-up ------------------------------------------------------------------


def test_adopted_motion_follow_up_to_finished(world: World) -> None:
    m = services.motion_put_on_agenda(actor=presidium(world), motion_id=submitted(world).pk, on=D("2023-01-12"))
    with pytest.raises(InvalidInput):
        services.motion_adopt(actor=staff(world), motion_id=m.pk, resolution="", on=D("2023-01-13"))
    with pytest.raises(InvalidInput):  # another town's unit
        services.motion_adopt(actor=staff(world), motion_id=m.pk, resolution="决议", on=D("2023-01-13"),
                              units=[world.other_unit])
    m = services.motion_adopt(actor=staff(world), motion_id=m.pk, resolution="大会通过关于农村饮水安全的决议",
                              on=D("2023-01-13"), units=[world.unit])
    assert m.state == State.ADOPTED and m.resolution_on == D("2023-01-13")
    unit_user = world.users[Role.UNIT]
    services.motion_progress(actor=unit_user, motion_id=m.pk, note="管网改造已完成招标", on=D("2023-03-01"))
    other_unit_user = make_unit(world.town)
    assert other_unit_user  # a unit not responsible sees nothing (policy tests)
    with pytest.raises(InvalidInput):
        services.motion_finish(actor=staff(world), motion_id=m.pk, summary="完成", on=D("2023-02-01"))
    m = services.motion_finish(actor=staff(world), motion_id=m.pk, summary="新建泵站2座，改造管网12公里",
                               on=D("2023-06-20"))
    assert m.state == State.FINISHED and m.finished_on == D("2023-06-20")
    assert [t.action for t in m.transitions.order_by("on", "id")][-3:] == ["adopt", "progress", "finish"]
    assert AuditEvent.objects.filter(verb="motion.finish").count() == 1


def test_not_adopted(world: World) -> None:
    m = services.motion_put_on_agenda(actor=presidium(world), motion_id=submitted(world).pk, on=D("2023-01-12"))
    m = services.motion_not_adopt(actor=staff(world), motion_id=m.pk, reason="表决未获通过", on=D("2023-01-13"))
    assert m.state == State.NOT_ADOPTED


def test_withdraw_and_future_dates(world: World) -> None:
    m = submitted(world)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput):
        services.motion_withdraw(actor=staff(world), motion_id=m.pk, on=tomorrow)
    assert services.motion_withdraw(actor=staff(world), motion_id=m.pk, reason="领衔代表撤回",
                                    on=D("2023-01-12")).state == State.WITHDRAWN
