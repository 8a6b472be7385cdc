"""The services of sessions and rounds: quorum, issuing, casting, entering, closing, voiding,
further rounds, hooks — each rule at its edges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.support import World, make_deputy, make_user

from renda.audit.models import AuditEvent
from renda.congress import hooks, selectors, services
from renda.congress.models import Ballot, OptionSpec, Session, Voted, VoteRound
from renda.congress.tests.helpers import (
    STARTS,
    deputy_user,
    enter,
    ids,
    make_session,
    open_round,
    options,
    staff,
    town_deputies,
)
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role

# --- sessions ----------------------------------------------------------------------------------


def test_session_title_and_due_deputies(world: World) -> None:
    town_deputies(world, 5)
    s = services.session_create(actor=staff(world), town=world.town, term=18, number=3, starts_on=STARTS,
                                ends_on=STARTS)
    assert s.title == f"{world.town.name}第十八届人民代表大会第三次会议"
    assert s.attendance.filter(status="due").count() == 5
    assert AuditEvent.objects.filter(verb="congress.session_create", target_id=str(s.pk)).exists()


def test_session_dates_and_number_unique(world: World) -> None:
    with pytest.raises(InvalidInput, match="闭幕日期不能早于开幕日期"):
        services.session_create(actor=staff(world), town=world.town, term=18, number=3, starts_on=STARTS,
                                ends_on=STARTS - dt.timedelta(days=1))
    services.session_create(actor=staff(world), town=world.town, term=18, number=3, starts_on=STARTS, ends_on=STARTS)
    with pytest.raises(Conflict, match="已登记"):
        services.session_create(actor=staff(world), town=world.town, term=18, number=3, starts_on=STARTS,
                                ends_on=STARTS)
    # the same numbers in another town are another session
    services.session_create(actor=world.other_staff, town=world.other_town, term=18, number=3, starts_on=STARTS,
                            ends_on=STARTS)


def test_session_update_and_quorum_fraction(world: World) -> None:
    s = make_session(world, total=3, present=0)
    s = services.session_update(actor=staff(world), session_id=s.pk, venue="镇文化站", title="")
    assert s.venue == "镇文化站" and "第十八届" in s.title
    with pytest.raises(InvalidInput, match="法定人数比例"):
        services.session_update(actor=staff(world), session_id=s.pk, quorum_numerator=4, quorum_denominator=3)


def test_only_office_creates_sessions(world: World) -> None:
    for role in (Role.DEPUTY, Role.PRESIDIUM, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER):
        with pytest.raises(Forbidden):
            services.session_create(actor=world.users[role], town=world.town, term=18, number=9, starts_on=STARTS,
                                    ends_on=STARTS)
    with pytest.raises(Forbidden):
        services.session_create(actor=world.other_staff, town=world.town, term=18, number=9, starts_on=STARTS,
                                ends_on=STARTS)


def test_attendance_only_for_the_towns_deputies(world: World) -> None:
    s = make_session(world, total=3, present=0)
    with pytest.raises(InvalidInput, match="不是本次会议的应到代表"):
        services.attendance_set(actor=staff(world), session_id=s.pk, deputy_id=world.other_deputy.pk,
                                status="present")
    with pytest.raises(InvalidInput):
        services.attendance_set(actor=staff(world), session_id=s.pk, deputy_id=world.deputy.pk, status="maybe")


def test_agenda(world: World) -> None:
    s = make_session(world, total=3)
    a = services.agenda_add(actor=staff(world), session_id=s.pk, title="票决2023年民生实事项目", needs_vote=True)
    b = services.agenda_add(actor=staff(world), session_id=s.pk, title="听取政府工作报告")
    assert (a.order, b.order) == (1, 2)
    services.agenda_update(actor=staff(world), item_id=b.pk, title="听取和审议政府工作报告", needs_vote=False, order=2)
    open_round(world, s, n=3, seats=1, agenda_item_id=a.pk)
    with pytest.raises(Conflict, match="已有投票"):
        services.agenda_remove(actor=staff(world), item_id=a.pk)
    services.agenda_remove(actor=staff(world), item_id=b.pk)
    assert list(s.agenda.all()) == [a]


# --- quorum ------------------------------------------------------------------------------------


def test_quorum_boundary_two_thirds(world: World) -> None:
    s = make_session(world, total=9, present=5)   # 5 × 3 < 9 × 2
    q = selectors.session_quorum(s)
    assert (q.all, q.present, q.needed, q.reached) == (9, 5, 6, False)
    with pytest.raises(Conflict, match="未达到法定人数"):
        open_round(world, s)
    assert not VoteRound.objects.exists()
    s2 = make_session(world, total=9, present=6, number=4)   # 6 × 3 = 9 × 2
    assert selectors.session_quorum(s2).reached
    assert open_round(world, s2).state == "open"


def test_quorum_configurable(world: World) -> None:
    s = make_session(world, total=9, present=4, quorum_numerator=1, quorum_denominator=2)
    with pytest.raises(Conflict):
        open_round(world, s)
    services.attendance_set(actor=staff(world), session_id=s.pk, deputy_id=town_deputies(world, 9)[-1].pk,
                            status="present")
    assert selectors.session_quorum(s).present == 5
    open_round(world, s)


def test_quorum_counts_only_serving_town_deputies(world: World) -> None:
    s = make_session(world, total=3, present=2)
    make_deputy(world.town, level="district")   # a district deputy is not one of the town congress's
    assert selectors.session_quorum(s).all == 3


# --- opening -----------------------------------------------------------------------------------


def test_open_creates_blank_ballots(world: World) -> None:
    s = make_session(world, total=9, present=7)
    r = open_round(world, s)
    assert (r.issued, r.returned, r.all_count, r.present_count) == (7, 0, 9, 7)
    assert Ballot.objects.filter(round=r, filled=False).count() == 7
    event = AuditEvent.objects.get(verb="congress.round_open")
    assert event.after["issued"] == 7


def test_paper_issued_at_most_present(world: World) -> None:
    s = make_session(world, total=9, present=7)
    with pytest.raises(InvalidInput, match="发出选票数"):
        open_round(world, s, issued=8)
    assert open_round(world, s, issued=7).issued == 7


def test_phone_issued_is_present(world: World) -> None:
    s = make_session(world, total=9, present=7)
    assert open_round(world, s, mode="phone", issued=3).issued == 7


def test_open_input_refused(world: World) -> None:
    s = make_session(world, total=3)
    with pytest.raises(InvalidInput, match="应选数"):
        open_round(world, s, n=2, seats=3)
    with pytest.raises(InvalidInput, match="至少为1"):
        open_round(world, s, n=2, seats=0)
    with pytest.raises(InvalidInput, match="重复"):
        services.round_open(actor=staff(world), session_id=s.pk, kind="select", title="x", seats=1,
                            options=[OptionSpec("p", 1, "甲"), OptionSpec("p", 1, "甲")])
    open_round(world, s)
    with pytest.raises(Conflict, match="另有投票正在进行"):
        open_round(world, s)


def test_who_opens(world: World) -> None:
    s = make_session(world, total=3)
    services.round_open(actor=world.users[Role.PRESIDIUM], session_id=s.pk, kind="evaluate", title="测评",
                        options=options(2))
    for role in (Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER):
        with pytest.raises((Forbidden, NotFound)):
            services.round_open(actor=world.users[role], session_id=s.pk, kind="evaluate", title="测评",
                                options=options(2))
    with pytest.raises(NotFound):
        services.round_open(actor=world.other_staff, session_id=s.pk, kind="evaluate", title="测评",
                            options=options(2))


# --- paper ballots, closing, voiding ----------------------------------------------------------------


def test_paper_vote_and_tally(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=4, seats=2)
    a, b, c, d = ids(r)
    for _i in range(5):
        enter(world, r, {a: "for", b: "for", c: "against"})
    enter(world, r, {a: "for", b: "for", c: "for"})   # three "for" with N = 2: invalid
    enter(world, r, {})                                # no mark: invalid
    enter(world, r, {c: "for", d: "abstain"})
    enter(world, r, {d: "for"})
    r.refresh_from_db()
    open_view = selectors.round_result(r)
    assert (open_view.returned, open_view.valid, open_view.options[0].for_) == (9, None, None)
    r = services.round_close(actor=staff(world), round_id=r.pk)
    res = selectors.round_result(r)
    assert (res.issued, res.returned, res.valid, res.invalid, res.void) == (9, 9, 7, 2, False)
    by = {o.option_id: o for o in res.options}
    assert (by[a].for_, by[a].against, by[a].abstain) == (5, 0, 2)
    assert (by[c].for_, by[c].against, by[c].abstain) == (1, 5, 1)
    assert [o.option_id for o in res.elected] == [a, b]
    assert res.threshold == 5 and res.basis_count == 9
    event = AuditEvent.objects.get(verb="congress.round_close")
    assert event.after["有效票"] == 7 and event.after["无效票"] == 2


def test_more_than_half_of_all_not_of_present(world: World) -> None:
    s = make_session(world, total=9, present=6)
    r = open_round(world, s, n=3, seats=1)
    a, b, _c = ids(r)
    for _i in range(4):
        enter(world, r, {a: "for"})
    for _i in range(2):
        enter(world, r, {b: "for"})
    r = services.round_close(actor=staff(world), round_id=r.pk)
    assert selectors.round_result(r).elected == []   # 4 of 9 deputies: not more than half
    s2 = make_session(world, total=9, present=6, number=4)
    r2 = open_round(world, s2, n=3, seats=1, basis="present")
    a2 = ids(r2)[0]
    for _i in range(4):
        enter(world, r2, {a2: "for"})
    for _i in range(2):
        enter(world, r2, {})
    r2 = services.round_close(actor=staff(world), round_id=r2.pk)
    assert [o.option_id for o in selectors.round_result(r2).elected] == [a2]   # 4 of 6 present


def test_returned_more_than_issued_voids(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=3, seats=1, issued=8)
    a = ids(r)[0]
    for _i in range(8):
        enter(world, r, {a: "for"})
    with pytest.raises(Conflict, match="全部收回"):
        enter(world, r, {a: "for"})
    r = services.round_close(actor=staff(world), round_id=r.pk, returned=9)
    res = selectors.round_result(r)
    assert r.state == "void" and res.void and res.elected == []
    assert AuditEvent.objects.filter(verb="congress.round_void").exists()


def test_returned_equal_to_issued_is_counted(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=3, seats=1, issued=8)
    a = ids(r)[0]
    for _i in range(8):
        enter(world, r, {a: "for"})
    r = services.round_close(actor=staff(world), round_id=r.pk, returned=8)
    assert r.state == "closed" and len(selectors.round_result(r).elected) == 1


def test_returned_must_match_entered(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=3, seats=1)
    enter(world, r, {ids(r)[0]: "for"})
    with pytest.raises(InvalidInput, match="已录入 1 张"):
        services.round_close(actor=staff(world), round_id=r.pk, returned=2)


def test_nothing_changes_after_close(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=3, seats=1)
    enter(world, r, {ids(r)[0]: "for"})
    services.round_close(actor=staff(world), round_id=r.pk)
    with pytest.raises(Conflict, match="投票已结束"):
        enter(world, r, {ids(r)[0]: "for"})
    with pytest.raises(Conflict, match="投票已结束"):
        services.round_close(actor=staff(world), round_id=r.pk)
    with pytest.raises(Conflict, match="投票已结束"):
        services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={ids(r)[0]: "for"})


def test_choices_checked(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1)
    other = open_round(world, make_session(world, total=3, number=5), n=2, seats=1)
    with pytest.raises(InvalidInput, match="不属于本次投票"):
        enter(world, r, {ids(other)[0]: "for"})
    with pytest.raises(InvalidInput, match="不正确"):
        enter(world, r, {ids(r)[0]: "satisfied"})


# --- phone ballots -------------------------------------------------------------------------------


def test_phone_cast_once(world: World) -> None:
    s = make_session(world, total=3, present=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a = ids(r)[0]
    deputy = world.users[Role.DEPUTY]
    assert list(selectors.rounds_open_for_deputy(deputy)) == [r]
    services.ballot_cast(actor=deputy, round_id=r.pk, choices={a: "for"})
    assert Voted.objects.filter(round=r, deputy=world.deputy).count() == 1
    assert list(selectors.rounds_open_for_deputy(deputy)) == []
    with pytest.raises(Conflict, match="已投过票"):
        services.ballot_cast(actor=deputy, round_id=r.pk, choices={a: "against"})
    r.refresh_from_db()
    assert r.returned == 1
    assert Ballot.objects.filter(round=r, filled=True).count() == 1
    event = AuditEvent.objects.get(verb="congress.ballot_cast")
    assert event.actor_id == deputy.pk and event.before is None and event.after is None
    assert event.target_id == str(r.pk)


def test_phone_refusals(world: World) -> None:
    s = make_session(world, total=4, present=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a, b, _c = ids(r)
    absent = town_deputies(world, 4)[-1]
    with pytest.raises(Conflict, match="未登记出席"):
        services.ballot_cast(actor=deputy_user(world, absent), round_id=r.pk, choices={a: "for"})
    with pytest.raises(Forbidden):
        services.ballot_cast(actor=staff(world), round_id=r.pk, choices={a: "for"})
    with pytest.raises(NotFound):
        services.ballot_cast(actor=make_user(Role.DEPUTY, world.other_town), round_id=r.pk, choices={a: "for"})
    with pytest.raises(InvalidInput, match="赞成票不能超过应选数 1"):
        services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={a: "for", b: "for"})
    with pytest.raises(InvalidInput, match="至少对一个事项"):
        services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={})
    with pytest.raises(Conflict, match="手机投票"):
        enter(world, r, {a: "for"})
    assert not Voted.objects.exists() and r.ballots.filter(filled=True).count() == 0


def test_paper_round_refuses_phone_cast(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1)
    with pytest.raises(Conflict, match="纸质选票"):
        services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={ids(r)[0]: "for"})


def test_database_refuses_a_second_voted_row(world: World) -> None:
    """The IntegrityError path: the unique constraint itself (what a concurrent cast meets)."""
    from django.db import IntegrityError, transaction

    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    Voted.objects.create(round=r, deputy=world.deputy)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voted.objects.create(round=r, deputy=world.deputy)
    with pytest.raises(Conflict, match="已投过票"):
        services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={ids(r)[0]: "for"})
    assert r.ballots.filter(filled=True).count() == 0   # the refused cast filled no ballot


def test_phone_round_closes_with_returned_filled(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1, mode="phone")
    a = ids(r)[0]
    services.ballot_cast(actor=world.users[Role.DEPUTY], round_id=r.pk, choices={a: "for"})
    services.ballot_cast(actor=world.users[Role.PRESIDIUM], round_id=r.pk, choices={a: "for"})
    r = services.round_close(actor=staff(world), round_id=r.pk)
    res = selectors.round_result(r)
    assert (res.issued, res.returned, res.valid) == (3, 2, 2)
    assert res.elected[0].option_id == a


# --- further rounds, evaluation, hooks ------------------------------------------------------------


def test_tie_goes_to_a_further_round(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, n=4, seats=2)
    a, b, c, _d = ids(r)
    for _i in range(3):
        enter(world, r, {a: "for", b: "for"})
    for _i in range(3):
        enter(world, r, {a: "for", c: "for"})
    for _i in range(3):
        enter(world, r, {b: "for", c: "for"})
    # a: 6, b: 6, c: 6 — all above 4.5, three tied for two seats
    r = services.round_close(actor=staff(world), round_id=r.pk)
    res = selectors.round_result(r)
    assert res.elected == [] and res.needs_further_round and res.seats_left == 2
    assert {o.option_id for o in res.tied} == {a, b, c}
    further = services.round_open_further(actor=staff(world), round_id=r.pk)
    assert further.parent_id == r.pk and further.seats == 2
    assert sorted(further.options.values_list("label", flat=True)) == ["候选项目1", "候选项目2", "候选项目3"]
    with pytest.raises(Conflict):
        services.round_open_further(actor=staff(world), round_id=r.pk)


def test_no_further_round_without_tie(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1)
    for _i in range(3):
        enter(world, r, {ids(r)[0]: "for"})
    services.round_close(actor=staff(world), round_id=r.pk)
    with pytest.raises(Conflict, match="没有并列"):
        services.round_open_further(actor=staff(world), round_id=r.pk)


def test_evaluation_round(world: World) -> None:
    s = make_session(world, total=9, present=9)
    r = open_round(world, s, kind="evaluate", n=2)
    p, q = ids(r)
    for _i in range(5):
        enter(world, r, {p: "satisfied", q: "basically_satisfied"})
    for _i in range(3):
        enter(world, r, {p: "dissatisfied", q: "dissatisfied"})
    enter(world, r, {})
    r = services.round_close(actor=staff(world), round_id=r.pk)
    res = selectors.round_result(r)
    assert (res.valid, res.invalid) == (8, 1)
    assert [o.grade for o in res.options] == ["satisfied", "basically_satisfied"]


def test_hooks_called_inside_close(world: World) -> None:
    seen: list[tuple[Any, Any]] = []

    def handler(r: VoteRound, result: Any) -> None:
        seen.append((r.pk, [o.option_id for o in result.elected]))

    hooks.on_round_closed("project_candidate")(handler)
    try:
        s = make_session(world, total=3)
        r = open_round(world, s, n=3, seats=1)
        for _i in range(3):
            enter(world, r, {ids(r)[0]: "for"})
        services.round_close(actor=staff(world), round_id=r.pk)
        assert seen == [(r.pk, [ids(r)[0]])]
        other = services.round_open(actor=staff(world), session_id=s.pk, kind="evaluate", title="测评",
                                    options=[OptionSpec("project", 1, "甲")])
        services.round_close(actor=staff(world), round_id=other.pk)
        assert len(seen) == 1   # no option of that kind: not called
    finally:
        hooks.unregister("project_candidate", handler)


def test_rounds_closed_between_and_session_for_report(world: World) -> None:
    s = make_session(world, total=3)
    r = open_round(world, s, n=3, seats=1)
    services.round_close(actor=staff(world), round_id=r.pk)
    from django.utils import timezone

    today = timezone.localdate()
    assert list(selectors.rounds_closed_between([world.town.pk], today, today)) == [r]
    assert list(selectors.rounds_closed_between([world.other_town.pk], today, today)) == []
    assert list(selectors.rounds_closed_between(None, today - dt.timedelta(days=1),
                                                today - dt.timedelta(days=1))) == []
    july = services.session_create(actor=staff(world), town=world.town, term=18, number=4,
                                   starts_on=dt.date(2023, 7, 20), ends_on=dt.date(2023, 7, 20))
    assert selectors.session_for_report(world.town, dt.date(2023, 7, 20)) == july
    assert selectors.session_for_report(world.town, dt.date(2023, 7, 19)) == s
    assert selectors.session_for_report(world.town, dt.date(2023, 1, 1)) is None


def test_attendance_frozen_while_voting(world: World) -> None:
    s = make_session(world, total=3)
    open_round(world, s, n=3, seats=1)
    with pytest.raises(Conflict, match="投票进行中"):
        services.attendance_set(actor=staff(world), session_id=s.pk, deputy_id=world.deputy.pk, status="leave")


def test_session_is_not_editable_in_quorum_after_a_vote(world: World) -> None:
    s = make_session(world, total=3)
    open_round(world, s, n=3, seats=1)
    with pytest.raises(Conflict):
        services.session_update(actor=staff(world), session_id=s.pk, quorum_numerator=1, quorum_denominator=2)
    assert Session.objects.get(pk=s.pk).quorum_numerator == 2


def test_illegal_transition_names_state() -> None:
    from renda.congress import workflow

    with pytest.raises(IllegalTransition, match="已计票"):
        workflow.next_state("closed", "cast")


def test_option_labels_pass_the_edge_rule(world: World) -> None:
    s = make_session(world, total=3)
    with pytest.raises(InvalidInput, match="控制字符"):
        services.round_open(actor=staff(world), session_id=s.pk, kind="evaluate", title="测评",
                            options=[OptionSpec("p", 1, "甲\x00乙")])
    with pytest.raises(InvalidInput, match="最多200个字"):
        services.round_open(actor=staff(world), session_id=s.pk, kind="evaluate", title="测评",
                            options=[OptionSpec("p", 1, "长" * 201)])
    r = services.round_open(actor=staff(world), session_id=s.pk, kind="evaluate", title="测评",
                            options=[OptionSpec("p", 1, "长" * 200)])
    assert r.options.get().label == "长" * 200
    with pytest.raises(InvalidInput, match="控制字符"):
        services.session_update(actor=staff(world), session_id=s.pk, venue="会议室\x07")


def test_phone_round_notifies_the_deputies_present(world: World, django_capture_on_commit_callbacks: Any) -> None:
    from renda.notifications.models import Notification

    s = make_session(world, total=4, present=3)
    with django_capture_on_commit_callbacks(execute=True):
        r = open_round(world, s, n=3, seats=1, mode="phone")
    notified = set(Notification.objects.filter(verb="congress.round_open").values_list("user_id", flat=True))
    assert world.users[Role.DEPUTY].pk in notified and world.users[Role.PRESIDIUM].pk in notified
    assert staff(world).pk not in notified
    assert Notification.objects.filter(url=f"/congress/vote/{r.pk}/").exists()
