from __future__ import annotations

import pytest
from tests.support import World, make_unit

from renda.audit.models import AuditEvent
from renda.calendar_days import workdays
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Extension, Reminder, Suggestion, SuggestionCoUnit, Transition
from renda.suggestions.tests.helpers import D, assigned, deputy_item, public_item, replied

pytestmark = pytest.mark.django_db


def _events(s: Suggestion, verb: str) -> int:
    return AuditEvent.objects.filter(target_type="suggestions.suggestion", target_id=str(s.pk), verb=verb).count()


def _actions(s: Suggestion) -> list[str]:
    return list(Transition.objects.filter(suggestion=s).order_by("on", "id").values_list("action", flat=True))


def test_register_generates_codes_and_records(world: World) -> None:
    a = public_item(world)
    b = deputy_item(world)
    assert (a.code, b.code) == ("YJ2023-001", "YJ2023-002")
    assert a.state == "registered" and a.registered_at == D("2023-03-01") and a.village == world.village
    assert a.tracking_code and a.tracking_code != b.tracking_code and len(a.tracking_code) == 11
    assert list(b.co_deputies.all()) == [world.plain_deputy]
    assert _events(a, "suggestion.register") == 1 and _actions(a) == ["register"]
    t = Transition.objects.get(suggestion=a)
    assert (t.from_state, t.to_state, t.actor) == ("", "registered", world.users[Role.STAFF])
    c = public_item(world, code="YJ2023-050", on=D("2023-04-01"))
    assert c.code == "YJ2023-050"
    assert public_item(world, on=D("2023-04-02")).code == "YJ2023-051"


def test_register_refusals(world: World) -> None:
    with pytest.raises(InvalidInput, match="提出人"):
        public_item(world, submitter_name="")
    assert public_item(world, submitter_name="", anonymous=True).submitter_name == ""
    with pytest.raises(InvalidInput, match="领衔代表"):
        deputy_item(world, lead_deputy=None)
    with pytest.raises(InvalidInput, match="联系电话"):
        public_item(world, submitter_phone="12345")
    with pytest.raises(InvalidInput, match="不属于"):
        public_item(world, grid=world.other_grid)
    with pytest.raises(Forbidden):
        services.suggestion_register(actor=world.users[Role.UNIT], town=world.town, kind="public", title="x",
                                     submitter_name="李四")
    with pytest.raises(Forbidden):
        services.suggestion_register(actor=world.other_staff, town=world.town, kind="public", title="x",
                                     submitter_name="李四")
    # A deputy files their own suggestion, not someone else's.
    deputy_user = world.users[Role.DEPUTY]
    own = services.suggestion_register(actor=deputy_user, town=world.town, kind="deputy", title="路灯",
                                       lead_deputy=world.deputy)
    assert own.created_by == deputy_user
    with pytest.raises(Forbidden):
        services.suggestion_register(actor=deputy_user, town=world.town, kind="deputy", title="x",
                                     lead_deputy=world.plain_deputy)


def test_assign_deadlines(world: World) -> None:
    staff = world.users[Role.STAFF]
    co = make_unit(world.town)
    p = services.suggestion_assign(actor=staff, suggestion_id=public_item(world).pk, lead_unit=world.unit,
                                   co_units=[co, world.unit], on=D("2023-03-02"))
    assert (p.state, p.assigned_at, p.deadline, p.original_deadline) == (
        "assigned", D("2023-03-02"), D("2023-04-01"), D("2023-04-01"))
    assert list(SuggestionCoUnit.objects.filter(suggestion=p).values_list("unit", flat=True)) == [co.pk]
    d = assigned(world, deputy_item(world), on=D("2023-03-02"))
    assert d.deadline == D("2023-06-02")
    assert _events(d, "suggestion.assign") == 1 and _actions(d) == ["register", "assign"]
    with pytest.raises(IllegalTransition, match="「已交办」的事项不能「交办」"):
        assigned(world, d)
    with pytest.raises(Forbidden):
        services.suggestion_assign(actor=world.users[Role.PRESIDIUM], suggestion_id=public_item(world).pk,
                                   lead_unit=world.unit)
    with pytest.raises(NotFound):
        services.suggestion_assign(actor=world.other_staff, suggestion_id=public_item(world).pk,
                                   lead_unit=world.unit)
    with pytest.raises(InvalidInput, match="不属于本镇街"):
        services.suggestion_assign(actor=staff, suggestion_id=public_item(world).pk, lead_unit=world.other_unit)
    with pytest.raises(InvalidInput, match="早于登记"):
        assigned(world, public_item(world, on=D("2023-03-05")), on=D("2023-03-04"))


def test_return_within_five_working_days_over_the_national_day_holiday(world: World) -> None:
    unit = world.users[Role.UNIT]
    # Assigned Wednesday 2023-09-27; 29 Sep–6 Oct are holidays, 7 and 8 Oct make-up working days.
    assert workdays.add_workdays(D("2023-09-27"), 5) == D("2023-10-10")
    early = assigned(world, public_item(world, on=D("2023-09-27")), on=D("2023-09-27"))
    late = assigned(world, public_item(world, on=D("2023-09-27")), on=D("2023-09-27"))
    s = services.suggestion_return(actor=unit, suggestion_id=early.pk, reason="不属于本单位职责", on=D("2023-10-09"))
    assert (s.state, s.lead_unit, s.deadline) == ("registered", None, None)
    t = Transition.objects.filter(suggestion=s, action="return").get()
    assert t.comment == "不属于本单位职责" and t.on == D("2023-10-09")
    with pytest.raises(IllegalTransition, match="退回期限"):
        services.suggestion_return(actor=unit, suggestion_id=late.pk, reason="不属于本单位职责", on=D("2023-10-11"))
    with pytest.raises(InvalidInput, match="退回理由"):
        services.suggestion_return(actor=unit, suggestion_id=late.pk, reason=" ", on=D("2023-10-09"))
    # The returned item goes back to the office and can be reassigned; the unit no longer sees it.
    with pytest.raises(NotFound):
        services.suggestion_accept(actor=unit, suggestion_id=s.pk)
    again = assigned(world, s, on=D("2023-10-12"))
    assert again.state == "assigned" and again.version == 3


def test_full_lifecycle_with_co_opinion_reply_evaluate_close(world: World) -> None:
    staff, unit_user = world.users[Role.STAFF], world.users[Role.UNIT]
    co_unit = make_unit(world.town)
    from tests.support import make_user

    co_user = make_user(Role.UNIT, world.town, unit=co_unit)
    s = deputy_item(world)
    services.suggestion_assign(actor=staff, suggestion_id=s.pk, lead_unit=world.unit, co_units=[co_unit],
                               on=D("2023-03-02"))
    with pytest.raises(Forbidden):
        services.suggestion_accept(actor=co_user, suggestion_id=s.pk)
    services.suggestion_accept(actor=unit_user, suggestion_id=s.pk, on=D("2023-03-03"))
    with pytest.raises(Forbidden):
        services.suggestion_co_opinion(actor=unit_user, suggestion_id=s.pk, opinion="同意")
    link = services.suggestion_co_opinion(actor=co_user, suggestion_id=s.pk, opinion="配合施工", on=D("2023-03-05"))
    assert (link.opinion, link.opinion_at) == ("配合施工", D("2023-03-05"))
    reply = services.suggestion_reply(actor=unit_user, suggestion_id=s.pk, reply_class="B", text="正在施工",
                                      on=D("2023-04-01"))
    assert reply.unit == world.unit
    # A B reply may be answered again once solved; an A reply may not.
    services.suggestion_reply(actor=unit_user, suggestion_id=s.pk, reply_class="A", text="已完工", on=D("2023-05-01"))
    with pytest.raises(IllegalTransition, match="B 或 C"):
        services.suggestion_reply(actor=unit_user, suggestion_id=s.pk, reply_class="A", text="x", on=D("2023-05-02"))
    with pytest.raises(Forbidden):  # only the lead deputy evaluates a deputy suggestion
        services.suggestion_evaluate(actor=staff, suggestion_id=s.pk, result="satisfied")
    services.suggestion_evaluate(actor=world.users[Role.DEPUTY], suggestion_id=s.pk, result="satisfied",
                                 on=D("2023-05-10"))
    with pytest.raises(InvalidInput, match="早于测评"):
        services.suggestion_close(actor=staff, suggestion_id=s.pk, on=D("2023-05-09"))
    s = services.suggestion_close(actor=staff, suggestion_id=s.pk, on=D("2023-05-12"))
    assert (s.state, s.closed_at) == ("closed", D("2023-05-12"))
    assert _actions(s) == ["register", "assign", "accept", "co_opinion", "reply", "reply", "evaluate", "close"]
    for verb in ("register", "assign", "accept", "co_opinion", "reply", "evaluate", "close"):
        assert _events(s, f"suggestion.{verb}") >= 1
    with pytest.raises(IllegalTransition, match="「已办结」的事项不能「撤回」"):
        services.suggestion_withdraw(actor=world.users[Role.DEPUTY], suggestion_id=s.pk)


def test_dissatisfied_rehandles_and_third_time_goes_under_key_supervision(world: World) -> None:
    staff, unit_user = world.users[Role.STAFF], world.users[Role.UNIT]
    s = replied(world, public_item(world))
    for n, day in enumerate(["2023-03-20", "2023-04-20", "2023-05-20"], start=1):
        services.suggestion_evaluate(actor=staff, suggestion_id=s.pk, result="dissatisfied", comment="站台仍未建",
                                     on=D(day))
        s.refresh_from_db()
        assert (s.state, s.rehandle_count) == ("accepted", n)
        assert s.deadline == {1: D("2023-04-20"), 2: D("2023-05-20"), 3: D("2023-06-20")}[n]
        assert s.key_supervision is (n == 3)
        services.suggestion_reply(actor=unit_user, suggestion_id=s.pk, reply_class="A", text="已建成",
                                  on=D(day).replace(day=25))
    s.refresh_from_db()
    assert s.key_supervision_since == D("2023-05-20")
    auto = Transition.objects.get(suggestion=s, action="supervise")
    assert auto.actor is None and "自动列入重点督办" in auto.comment
    assert _events(s, "suggestion.rehandle") == 3 and _events(s, "suggestion.supervise") == 1
    # 已答复 items whose evaluation never came back can be closed.
    assert services.suggestion_close(actor=staff, suggestion_id=s.pk, on=D("2023-06-01")).state == "closed"


def test_extension_requested_and_decided(world: World) -> None:
    staff, unit_user = world.users[Role.STAFF], world.users[Role.UNIT]
    s = assigned(world, deputy_item(world))
    services.suggestion_accept(actor=unit_user, suggestion_id=s.pk, on=D("2023-03-03"))
    with pytest.raises(InvalidInput, match="不能晚于 2023-09-02"):
        services.suggestion_request_extension(actor=unit_user, suggestion_id=s.pk, reason="工程量大",
                                              new_deadline=D("2023-10-01"), on=D("2023-05-01"))
    ext = services.suggestion_request_extension(actor=unit_user, suggestion_id=s.pk, reason="工程量大", days=30,
                                                on=D("2023-05-01"))
    assert (ext.old_deadline, ext.new_deadline, ext.status) == (D("2023-06-02"), D("2023-07-02"), "requested")
    with pytest.raises(Conflict, match="等待审批"):
        services.suggestion_request_extension(actor=unit_user, suggestion_id=s.pk, reason="x", days=5)
    with pytest.raises(Forbidden):
        services.suggestion_decide_extension(actor=unit_user, extension_id=ext.pk, approve=True)
    ext = services.suggestion_decide_extension(actor=staff, extension_id=ext.pk, approve=True, on=D("2023-05-03"))
    s.refresh_from_db()
    assert (ext.status, ext.decided_at, s.deadline, s.original_deadline) == (
        "approved", D("2023-05-03"), D("2023-07-02"), D("2023-06-02"))
    ext2 = services.suggestion_request_extension(actor=unit_user, suggestion_id=s.pk, reason="再延", days=10,
                                                 on=D("2023-06-20"))
    services.suggestion_decide_extension(actor=staff, extension_id=ext2.pk, approve=False, comment="不同意")
    s.refresh_from_db()
    assert s.deadline == D("2023-07-02")
    assert Extension.objects.filter(suggestion=s).count() == 2
    with pytest.raises(Conflict, match="已经审批"):
        services.suggestion_decide_extension(actor=staff, extension_id=ext2.pk, approve=True)
    assert _actions(s)[-4:] == ["request_extension", "approve_extension", "request_extension", "refuse_extension"]


def test_decline_withdraw(world: World) -> None:
    staff = world.users[Role.STAFF]
    s = services.suggestion_decline(actor=staff, suggestion_id=public_item(world).pk, reason="属于信访事项")
    assert s.state == "declined"
    with pytest.raises(InvalidInput, match="理由"):
        services.suggestion_decline(actor=staff, suggestion_id=public_item(world).pk, reason="")
    d = assigned(world, deputy_item(world))
    with pytest.raises(Forbidden):  # a co-signer does not withdraw
        services.suggestion_withdraw(actor=world.extra_user, suggestion_id=d.pk)
    with pytest.raises(Forbidden):  # nor does the office
        services.suggestion_withdraw(actor=staff, suggestion_id=d.pk)
    d = services.suggestion_withdraw(actor=world.users[Role.DEPUTY], suggestion_id=d.pk, reason="已自行解决")
    assert d.state == "withdrawn" and _events(d, "suggestion.withdraw") == 1


def test_merge(world: World) -> None:
    staff = world.users[Role.STAFF]
    target = assigned(world, public_item(world))
    dup = public_item(world, submitter_name="李四", submitter_phone="13900001111")
    s = services.suggestion_merge(actor=staff, suggestion_id=dup.pk, into_id=target.pk)
    assert (s.state, s.merged_into) == ("merged", target)
    assert list(target.merged_items.all()) == [s]
    assert Transition.objects.filter(suggestion=target, action="merge").exists()
    with pytest.raises(InvalidInput, match="自身"):
        services.suggestion_merge(actor=staff, suggestion_id=target.pk, into_id=target.pk)
    with pytest.raises(InvalidInput, match="合并目标"):
        services.suggestion_merge(actor=staff, suggestion_id=public_item(world).pk, into_id=s.pk)
    with pytest.raises(IllegalTransition):
        services.suggestion_merge(actor=staff, suggestion_id=s.pk, into_id=target.pk)


def test_remind_once_a_day_and_key_supervision(world: World) -> None:
    staff, presidium = world.users[Role.STAFF], world.users[Role.PRESIDIUM]
    s = assigned(world, public_item(world))
    r = services.suggestion_remind(actor=staff, suggestion_id=s.pk, note="请尽快签收", on=D("2023-03-05"))
    assert r is not None and r.by == staff
    with pytest.raises(Conflict, match="今天已经催办"):
        services.suggestion_remind(actor=presidium, suggestion_id=s.pk, on=D("2023-03-05"))
    assert services.suggestion_remind(actor=None, suggestion_id=s.pk, kind="overdue", on=D("2023-03-05")) is not None
    assert services.suggestion_remind(actor=None, suggestion_id=s.pk, kind="overdue", on=D("2023-03-05")) is None
    assert Reminder.objects.filter(suggestion=s).count() == 2
    with pytest.raises(Forbidden):
        services.suggestion_remind(actor=world.users[Role.UNIT], suggestion_id=s.pk)
    s = services.suggestion_set_key_supervision(actor=presidium, suggestion_id=s.pk, on=D("2023-03-06"))
    assert (s.key_supervision, s.supervisor, s.key_supervision_since) == (
        True, world.presidium_deputy, D("2023-03-06"))
    with pytest.raises(InvalidInput, match="已列入"):
        services.suggestion_set_key_supervision(actor=presidium, suggestion_id=s.pk)
    with pytest.raises(InvalidInput, match="主席团成员"):
        services.suggestion_set_key_supervision(actor=staff, suggestion_id=s.pk, supervisor=world.deputy)
    s = services.suggestion_set_key_supervision(actor=staff, suggestion_id=s.pk, enabled=False)
    assert not s.key_supervision and s.supervisor is None
    with pytest.raises(Forbidden):
        services.suggestion_set_key_supervision(actor=world.users[Role.DISTRICT_VIEWER], suggestion_id=s.pk)


def test_audit_snapshots_hold_no_plain_personal_data(world: World) -> None:
    s = public_item(world)
    event = AuditEvent.objects.get(verb="suggestion.register", target_id=str(s.pk))
    assert event.after is not None
    assert event.after["submitter_name"] == "张*三" and event.after["submitter_phone"] == "138****5678"
    assert "tracking_code" not in event.after and "submitter_phone_hash" not in event.after
    assert "13812345678" not in str(event.after) and "张小三" not in str(event.after)


def test_a_tracking_code_drawn_twice_is_drawn_again_without_losing_a_number(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registering does not look up its new tracking code first (50 random bits): a clash is left
    to the unique index, and the insert is retried with a code drawn again and the same 编号 —
    a generated 编号 and a given one alike; a given 编号 that is taken is still refused."""
    from renda.suggestions.models import new_tracking_code

    first = public_item(world)
    assert first.code == "YJ2023-001"
    field = Suggestion._meta.get_field("tracking_code")
    draws: list[str] = []

    def draw() -> str:  # the first item's code once after each real draw
        code = first.tracking_code if len(draws) % 2 == 0 else new_tracking_code()
        draws.append(code)
        return code

    monkeypatch.setattr(field, "_get_default", draw)
    again = public_item(world)
    assert again.code == "YJ2023-002" and draws[0] == first.tracking_code
    assert again.tracking_code == draws[1] != first.tracking_code
    assert Suggestion.objects.get(pk=again.pk).tracking_code == again.tracking_code
    given = public_item(world, code="YJ2023-050")
    assert given.code == "YJ2023-050" and given.tracking_code not in {first.tracking_code, again.tracking_code}
    assert public_item(world).code == "YJ2023-051"  # numbering continues after the given 编号
    with pytest.raises(InvalidInput, match="编号"):  # found by its validation, before any insert
        public_item(world, code="YJ2023-050")
    assert Suggestion.objects.count() == 4
