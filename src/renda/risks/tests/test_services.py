"""Risk services: registration, state moves with their date rules, steps, participants, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.support import World, make_grid

from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.risks import services
from renda.risks.models import Risk, RiskParticipant, RiskPerson, RiskStep, RiskTransition
from renda.risks.services import ParticipantIn
from renda.risks.tests.helpers import D, make_risk, other_town_risk, person

pytestmark = pytest.mark.django_db


def verbs(risk: Risk) -> list[str]:
    return list(AuditEvent.objects.filter(target_type="risks.risk", target_id=str(risk.pk))
                .order_by("id").values_list("verb", flat=True))


def test_register_derives_village_numbers_and_audits(world: World) -> None:
    r = make_risk(world)
    assert r.code == "YH2023-001" and r.village == world.village and r.state == "registered"
    assert r.source == "office" and r.reported_by == world.users[Role.STAFF]
    assert make_risk(world, title="另一件").code == "YH2023-002"
    assert {x.person_label for x in r.participants.all()} == {world.deputy.name, world.grid_worker.name}
    assert verbs(r) == ["risk.register"]
    event = AuditEvent.objects.get(verb="risk.register", target_id=str(r.pk))
    assert "张*三" in str(event.after) and "张小三" not in str(event.after)
    assert "13812345678" not in str(event.after) and "11010519491231002X" not in str(event.after)
    assert list(r.transitions.values_list("action", flat=True)) == ["register"]


@pytest.mark.parametrize(("kw", "field"), [
    ({"title": " "}, "title"),
    ({"level": "urgent"}, "level"),
    ({"people": [person(id_number="110105194912310021")]}, "people.0.id_number"),
    ({"people": [person(phone="12345")]}, "people.0.phone"),
    ({"people": [person(name="")]}, "people.0.name"),
])
def test_register_refuses_bad_input(world: World, kw: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        make_risk(world, **kw)
    assert field in exc.value.fields
    assert not Risk.objects.exists()


def test_register_is_one_transaction(world: World) -> None:
    """The risk, its people, its participants, its timeline and its event are written together: a
    participant refused after the others were inserted leaves nothing behind."""
    with pytest.raises(InvalidInput, match="不能参与"):
        make_risk(world, participants=[ParticipantIn(deputy=world.deputy), ParticipantIn(grid_worker=world.grid_worker),
                                       ParticipantIn(deputy=world.other_deputy)])
    assert not Risk.objects.exists() and not RiskPerson.objects.exists()
    assert not RiskParticipant.objects.exists() and not RiskTransition.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="risk.").exists()
    assert make_risk(world).code == "YH2023-001"  # the 编号 was not used up


def test_register_scoping(world: World) -> None:
    with pytest.raises(InvalidInput):
        make_risk(world, grid=world.other_grid)
    with pytest.raises(InvalidInput):
        make_risk(world, participants=[ParticipantIn(deputy=world.other_deputy)])
    with pytest.raises(InvalidInput):
        make_risk(world, participants=[ParticipantIn(deputy=world.deputy, grid_worker=world.grid_worker)])
    # A grid worker registers in their own grids only; a deputy anywhere in their town; units never.
    gw = world.users[Role.GRID_WORKER]
    assert make_risk(world, actor=gw, participants=[]).source == "grid_worker"
    with pytest.raises(Forbidden):
        make_risk(world, actor=gw, grid=None, participants=[])
    other_grid = make_grid(world.village)
    with pytest.raises(Forbidden):
        make_risk(world, actor=gw, grid=other_grid, participants=[])
    assert make_risk(world, actor=world.users[Role.DEPUTY], grid=other_grid, participants=[]).source == "deputy"
    for role in (Role.UNIT, Role.ADMIN, Role.DISTRICT_VIEWER):
        with pytest.raises(Forbidden):
            make_risk(world, actor=world.users[role], participants=[])
    with pytest.raises(Forbidden):
        make_risk(world, actor=world.other_staff, participants=[])
    with pytest.raises(InvalidInput):
        make_risk(world, on=timezone.localdate() + dt.timedelta(days=1))


def test_moves_and_their_history(world: World) -> None:
    staff = world.users[Role.STAFF]
    r = make_risk(world)
    services.risk_start(actor=staff, risk_id=r.pk, on=D("2023-03-02"))
    services.risk_escalate(actor=staff, risk_id=r.pk, to="区信访局", reason="涉及多个部门", on=D("2023-03-05"))
    r.refresh_from_db()
    assert r.state == "escalated" and r.escalated_to == "区信访局"
    assert Risk.objects.open().filter(pk=r.pk).exists()
    services.risk_reopen(actor=staff, risk_id=r.pk, reason="区信访局交回属地化解", on=D("2023-03-10"))
    services.risk_resolve(actor=staff, risk_id=r.pk, resolved_on=D("2023-03-20"), deputies_role="代表调解")
    r.refresh_from_db()
    assert r.state == "resolved" and r.resolved_on == D("2023-03-20") and r.deputies_role == "代表调解"
    assert not Risk.objects.open().filter(pk=r.pk).exists()
    assert list(RiskTransition.objects.filter(risk=r).order_by("on", "id").values_list(
        "action", "from_state", "to_state")) == [
        ("register", "", "registered"), ("start", "registered", "resolving"),
        ("escalate", "resolving", "escalated"), ("reopen", "escalated", "resolving"),
        ("resolve", "resolving", "resolved")]
    assert verbs(r) == ["risk.register", "risk.start", "risk.escalate", "risk.reopen", "risk.resolve"]
    with pytest.raises(IllegalTransition, match="已化解"):
        services.risk_start(actor=staff, risk_id=r.pk)
    with pytest.raises(IllegalTransition):
        services.risk_log_step(actor=staff, risk_id=r.pk, text="再走访", on=D("2023-03-21"))


def test_resolve_date_rules(world: World) -> None:
    staff = world.users[Role.STAFF]
    r = make_risk(world)
    for bad, message in ((None, "请填写化解日期"), (D("2023-02-28"), "早于登记日期"),
                         (timezone.localdate() + dt.timedelta(days=1), "不能晚于今天")):
        with pytest.raises(InvalidInput, match=message) as exc:
            services.risk_resolve(actor=staff, risk_id=r.pk, resolved_on=bad)
        assert "resolved_on" in exc.value.fields
    services.risk_resolve(actor=staff, risk_id=r.pk, resolved_on=D("2023-03-01"))  # the same day is fine
    assert Risk.objects.get(pk=r.pk).state == "resolved"


def test_escalate_and_reopen_need_reasons(world: World) -> None:
    staff = world.users[Role.STAFF]
    r = make_risk(world)
    with pytest.raises(InvalidInput):
        services.risk_escalate(actor=staff, risk_id=r.pk, to="镇党委", reason=" ")
    with pytest.raises(InvalidInput):
        services.risk_escalate(actor=staff, risk_id=r.pk, to="", reason="需要协调")
    with pytest.raises(IllegalTransition):
        services.risk_reopen(actor=staff, risk_id=r.pk, reason="x")
    services.risk_escalate(actor=staff, risk_id=r.pk, to="镇党委", reason="需要协调")
    with pytest.raises(InvalidInput):
        services.risk_reopen(actor=staff, risk_id=r.pk, reason="")


def test_who_moves_what(world: World) -> None:
    r = make_risk(world)
    deputy, gw = world.users[Role.DEPUTY], world.users[Role.GRID_WORKER]
    # Participants start, log and resolve; only the office escalates, reopens and assigns.
    services.risk_start(actor=deputy, risk_id=r.pk)
    step = services.risk_log_step(actor=gw, risk_id=r.pk, text="走访双方", on=timezone.localdate())
    assert step.actor == gw and step.actor_label == str(gw)
    with pytest.raises(Forbidden):
        services.risk_escalate(actor=deputy, risk_id=r.pk, to="镇党委", reason="x")
    with pytest.raises(Forbidden):
        services.risk_assign(actor=deputy, risk_id=r.pk, deputy=world.plain_deputy)
    # A deputy who neither takes part nor has the grid does not even see it.
    with pytest.raises(NotFound):
        services.risk_log_step(actor=world.extra_user, risk_id=r.pk, text="x")
    for role in (Role.ADMIN, Role.DISTRICT_VIEWER):
        with pytest.raises(Forbidden):
            services.risk_log_step(actor=world.users[role], risk_id=r.pk, text="x")
    with pytest.raises(NotFound):
        services.risk_start(actor=world.users[Role.UNIT], risk_id=r.pk)
    with pytest.raises(NotFound):
        services.risk_resolve(actor=world.other_staff, risk_id=r.pk, resolved_on=timezone.localdate())
    services.risk_resolve(actor=deputy, risk_id=r.pk, resolved_on=timezone.localdate())
    assert "risk.log_step" in verbs(r)


def test_step_date_rules(world: World) -> None:
    r = make_risk(world)
    staff = world.users[Role.STAFF]
    with pytest.raises(InvalidInput, match="早于登记日期"):
        services.risk_log_step(actor=staff, risk_id=r.pk, text="x", on=D("2023-02-01"))
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        services.risk_log_step(actor=staff, risk_id=r.pk, text="x", on=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(InvalidInput):
        services.risk_log_step(actor=staff, risk_id=r.pk, text="  ")
    assert not RiskStep.objects.exists()


def test_participants_and_parts(world: World) -> None:
    staff, deputy = world.users[Role.STAFF], world.users[Role.DEPUTY]
    r = make_risk(world, participants=[])
    x = services.risk_assign(actor=staff, risk_id=r.pk, deputy=world.deputy, part="")
    with pytest.raises(InvalidInput, match="已在参与人员中"):
        services.risk_assign(actor=staff, risk_id=r.pk, deputy=world.deputy)
    y = services.risk_assign(actor=staff, risk_id=r.pk, deputy=world.plain_deputy)
    # The deputy writes their own part, not another's; the office writes anyone's.
    _x, changed = services.risk_set_part(actor=deputy, participant_id=x.pk, part="组织双方调解")
    assert changed and RiskParticipant.objects.get(pk=x.pk).part == "组织双方调解"
    assert services.risk_set_part(actor=deputy, participant_id=x.pk, part="组织双方调解")[1] is False
    with pytest.raises(Forbidden):
        services.risk_set_part(actor=deputy, participant_id=y.pk, part="x")
    services.risk_set_part(actor=staff, participant_id=y.pk, part="释法析理")
    services.risk_unassign(actor=staff, participant_id=y.pk)
    assert list(r.participants.values_list("deputy", flat=True)) == [world.deputy.pk]
    assert Risk.objects.with_deputies().filter(pk=r.pk).exists()
    assert verbs(r) == ["risk.register", "risk.assign", "risk.assign", "risk.part", "risk.part", "risk.unassign"]
    # A resolved risk keeps its participants; parts may still be written down.
    services.risk_resolve(actor=staff, risk_id=r.pk, resolved_on=D("2023-03-05"))
    with pytest.raises(IllegalTransition):
        services.risk_assign(actor=staff, risk_id=r.pk, grid_worker=world.grid_worker)
    services.risk_set_part(actor=deputy, participant_id=x.pk, part="组织双方调解，促成协议")


def test_stale_state_is_a_conflict(world: World) -> None:
    staff = world.users[Role.STAFF]
    r = make_risk(world)
    services.risk_start(actor=staff, risk_id=r.pk, expected_state="registered")
    with pytest.raises(Conflict) as stale:
        services.risk_start(actor=staff, risk_id=r.pk, expected_state="registered")
    assert (stale.value.code, stale.value.status) == ("stale", 409)
    assert stale.value.message == "该隐患已被他人处理，请刷新后重试"


def test_reveal_is_audited_and_limited(world: World) -> None:
    r = make_risk(world)
    other = other_town_risk(world)
    people = services.risk_reveal(actor=world.users[Role.PRESIDIUM], risk_id=r.pk, reason="核实当事人身份")
    assert people[0].id_number == "11010519491231002X"
    event = AuditEvent.objects.get(verb="personal_data.reveal")
    assert event.comment == "核实当事人身份" and event.target_id == str(r.pk)
    with pytest.raises(InvalidInput):
        services.risk_reveal(actor=world.users[Role.STAFF], risk_id=r.pk, reason="看")
    for role in (Role.DEPUTY, Role.GRID_WORKER, Role.DISTRICT_VIEWER, Role.ADMIN):
        with pytest.raises(Forbidden):
            services.risk_reveal(actor=world.users[role], risk_id=r.pk, reason="核实当事人身份")
    with pytest.raises(NotFound):
        services.risk_reveal(actor=world.users[Role.UNIT], risk_id=r.pk, reason="核实当事人身份")
    with pytest.raises(NotFound):
        services.risk_reveal(actor=world.users[Role.STAFF], risk_id=other.pk, reason="核实当事人身份")
    assert AuditEvent.objects.filter(verb="personal_data.reveal").count() == 1


def test_notifies_assigned_people_on_commit(world: World, django_capture_on_commit_callbacks) -> None:
    from renda.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        make_risk(world)
    assert Notification.objects.filter(user=world.users[Role.DEPUTY], verb="risk.assign").exists()
    assert Notification.objects.filter(user=world.users[Role.GRID_WORKER], verb="risk.assign").exists()
