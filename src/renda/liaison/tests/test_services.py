"""The liaison services: the rules, their messages, audit and personal data, the reception flow,
suggestions made from contacts and receptions, the roster, and the idempotent reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from tests.support import World, make_deputy

from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.liaison import services
from renda.liaison.models import Reception, Reminder, Voter
from renda.liaison.tests.helpers import (
    VISITOR,
    VISITOR_PHONE,
    make_group,
    make_presidium_contact,
    make_reception,
    make_station,
    make_voter,
    make_voter_contact,
)
from renda.liaison.workflow import State
from renda.notifications.models import Notification
from renda.suggestions.models import Suggestion

D = dt.date.fromisoformat


# --- presidium contacts against the assignments -------------------------------------------------


@pytest.mark.django_db
def test_presidium_contact_needs_an_active_assignment(world: World) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.presidium_contact_create(actor=world.users[Role.PRESIDIUM], presidium_member=world.presidium_deputy,
                                          deputy=world.deputy, on=D("2023-03-01"), way="visit", content="了解情况")
    assert "没有联系代表" in exc.value.message and world.deputy.name in exc.value.message
    assert "deputy" in exc.value.fields
    c = services.presidium_contact_create(actor=world.users[Role.PRESIDIUM], presidium_member=world.presidium_deputy,
                                          deputy=world.plain_deputy, on=D("2023-03-01"), way="visit", content="了解")
    assert c.town_id == world.town.pk


@pytest.mark.django_db
def test_presidium_records_only_their_own_contacts(world: World) -> None:
    other_member = make_deputy(world.town, is_presidium=True)
    from renda.people.services import contact_assignment_create

    contact_assignment_create(actor=None, presidium_member=other_member, deputy=world.deputy)
    with pytest.raises(Forbidden):
        services.presidium_contact_create(actor=world.users[Role.PRESIDIUM], presidium_member=other_member,
                                          deputy=world.deputy, on=D("2023-03-01"), way="visit", content="了解")
    with pytest.raises(Forbidden):
        services.presidium_contact_create(actor=world.users[Role.DEPUTY], presidium_member=world.presidium_deputy,
                                          deputy=world.plain_deputy, on=D("2023-03-01"), way="visit", content="了解")


@pytest.mark.django_db
def test_a_future_date_and_a_blank_content_are_refused(world: World) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        make_presidium_contact(world, on=tomorrow)
    with pytest.raises(InvalidInput, match="联系内容"):
        services.presidium_contact_create(actor=None, presidium_member=world.presidium_deputy,
                                          deputy=world.plain_deputy, on=D("2023-03-01"), way="visit", content="  ")
    with pytest.raises(InvalidInput, match="联系方式"):
        services.presidium_contact_create(actor=None, presidium_member=world.presidium_deputy,
                                          deputy=world.plain_deputy, on=D("2023-03-01"), way="fax", content="x")


# --- voter contacts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_deputy_records_their_own_voter_contact_only(world: World) -> None:
    deputy_user = world.users[Role.DEPUTY]
    c = services.voter_contact_create(actor=deputy_user, deputy=world.deputy, on=D("2023-03-01"), way="visit",
                                      households=3, issues="路灯坏了")
    assert c.recorded_by == deputy_user
    with pytest.raises(Forbidden):
        services.voter_contact_create(actor=deputy_user, deputy=world.plain_deputy, on=D("2023-03-01"), way="visit")
    with pytest.raises(NotFound):  # another town's deputy's record is not even seen
        services.voter_contact_update(actor=deputy_user, contact_id=make_voter_contact(world, other=True).pk,
                                      on=D("2023-03-02"), way="visit", households=1)


@pytest.mark.django_db
def test_households_at_least_one_and_the_voters_of_the_deputy(world: World) -> None:
    with pytest.raises(InvalidInput, match="至少为 1"):
        make_voter_contact(world, households=0)
    assert make_voter_contact(world, households=1).households == 1
    other_voter = make_voter(world, other=True)
    with pytest.raises(InvalidInput, match="不是该代表联系的选民"):
        make_voter_contact(world, voters=[other_voter])
    v = make_voter(world)
    assert make_voter_contact(world, households=None, voters=[v]).households == 1


@pytest.mark.django_db
def test_an_issue_becomes_a_linked_suggestion_once(world: World) -> None:
    c = make_voter_contact(world)
    s = services.voter_contact_to_suggestion(actor=world.users[Role.DEPUTY], contact_id=c.pk, title="修复村道路灯")
    c.refresh_from_db()
    assert c.suggestion == s and s.kind == "deputy" and s.lead_deputy == world.deputy
    assert s.source == "deputy_collected" and s.content == "村道路灯损坏"
    with pytest.raises(Conflict):
        services.voter_contact_to_suggestion(actor=world.users[Role.DEPUTY], contact_id=c.pk, title="再来")


# --- voters: personal data ---------------------------------------------------------------------


@pytest.mark.django_db
def test_voters_are_encrypted_at_rest_masked_in_audit_and_revealed_with_a_reason(world: World) -> None:
    v = make_voter(world)
    with connection.cursor() as cur:
        cur.execute("SELECT name, phone, address FROM liaison_voter WHERE id = %s", [v.pk])
        row = cur.fetchone()
    assert "张小三" not in str(row) and "13812345678" not in str(row)
    event = AuditEvent.objects.filter(verb="liaison.voter.create").latest("id")
    assert "张小三" not in str(event.after) and "13812345678" not in str(event.after)
    assert event.after["name"] == v.name_masked
    with pytest.raises(InvalidInput, match="理由"):
        services.voter_reveal(actor=world.users[Role.DEPUTY], voter_id=v.pk, reason="看")
    assert services.voter_reveal(actor=world.users[Role.DEPUTY], voter_id=v.pk, reason="电话回访选民").name == "张小三"
    assert AuditEvent.objects.filter(verb="personal_data.reveal", target_id=str(v.pk)).exists()
    with pytest.raises(NotFound):
        services.voter_reveal(actor=world.users[Role.GRID_WORKER], voter_id=v.pk, reason="电话回访选民")
    with pytest.raises(Forbidden):  # the district viewer sees it masked but may not reveal
        services.voter_reveal(actor=world.users[Role.DISTRICT_VIEWER], voter_id=v.pk, reason="电话回访选民")


@pytest.mark.django_db
def test_a_bad_phone_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput, match="联系电话"):
        services.voter_create(actor=None, deputy=world.deputy, name="张三", phone="12345")
    assert Voter.objects.count() == 0


# --- groups and meetings ----------------------------------------------------------------------


@pytest.mark.django_db
def test_groups_take_the_towns_deputies_and_places_only(world: World) -> None:
    g = make_group(world)
    assert set(g.members.all()) == {world.deputy, world.plain_deputy}  # the leader is a member
    with pytest.raises(InvalidInput, match="不属于"):
        services.group_create(actor=None, town=world.town, name="乙组", members=[world.other_deputy])
    with pytest.raises(InvalidInput, match="不是"):
        services.group_create(actor=None, town=world.town, name="乙组", regions=[world.other_village])
    with pytest.raises(InvalidInput, match="已有名为"):
        services.group_create(actor=None, town=world.town, name="东片代表小组")


@pytest.mark.django_db
def test_the_group_leader_records_its_meetings(world: World) -> None:
    g = make_group(world)
    m = services.meeting_create(actor=world.users[Role.DEPUTY], group=g, on=D("2023-03-15"), place="村委会",
                                topics="学习代表法", attendees=[world.deputy, world.plain_deputy])
    assert m.town_id == world.town.pk
    with pytest.raises(InvalidInput, match="不是该小组"):
        services.meeting_create(actor=None, group=g, on=D("2023-03-16"), place="村委会", topics="x",
                                attendees=[world.presidium_deputy])
    plain = world.extra_user  # a deputy in the group but not its leader
    with pytest.raises(Forbidden):
        services.meeting_create(actor=plain, group=g, on=D("2023-03-16"), place="村委会", topics="x")


# --- stations, the roster and receptions -------------------------------------------------------


def test_roster_dates() -> None:
    assert services.roster_dates("weekly", D("2023-01-04"), D("2023-01-25")) == [
        D("2023-01-04"), D("2023-01-11"), D("2023-01-18"), D("2023-01-25")]
    assert services.roster_dates("monthly", D("2023-01-31"), D("2023-04-30")) == [
        D("2023-01-31"), D("2023-02-28"), D("2023-03-31"), D("2023-04-30")]


@pytest.mark.django_db
def test_roster_plan_keeps_existing_days_and_refuses_a_second_on_the_same_day(world: World) -> None:
    s = make_station(world)
    services.reception_day_create(actor=None, station=s, on=D("2023-02-10"))
    days = services.roster_plan(actor=None, station=s, start=D("2023-01-10"), end=D("2023-03-31"),
                                deputies=[world.deputy])
    assert [d.on for d in days] == [D("2023-01-10"), D("2023-03-10")]
    with pytest.raises(InvalidInput, match="已有接待日"):
        services.reception_day_create(actor=None, station=s, on=D("2023-03-10"))


@pytest.mark.django_db
def test_a_reception_day_is_published_three_days_ahead(world: World) -> None:
    s = make_station(world)
    day = services.reception_day_create(actor=None, station=s, on=D("2023-03-10"))
    assert not day.is_published(D("2023-03-06"))
    assert day.is_published(D("2023-03-07"))


@pytest.mark.django_db
def test_the_reception_flow_to_filing(world: World) -> None:
    s = make_station(world)
    staff = world.users[Role.STAFF]
    r = make_reception(world, s, deputies=[world.deputy])
    assert r.code.startswith("JD2023-") and r.state == State.REGISTERED
    r = services.reception_propose(actor=world.users[Role.DEPUTY], reception_id=r.pk, proposal="转农业办",
                                   on=D("2023-03-11"))
    with pytest.raises(Forbidden):  # the station's deputy does not transfer
        services.reception_transfer(actor=world.users[Role.DEPUTY], reception_id=r.pk, to="镇农业办")
    r = services.reception_transfer(actor=staff, reception_id=r.pk, to="镇农业办", on=D("2023-03-12"),
                                    as_suggestion=True, title="修复村道")
    assert r.state == State.TRANSFERRED and r.suggestion is not None
    assert r.suggestion.source == "contact_station" and r.suggestion.submitter_name == VISITOR
    assert Suggestion.objects.count() == 1
    r = services.reception_chase(actor=staff, reception_id=r.pk, note="电话督办", on=D("2023-04-01"))
    r = services.reception_chase(actor=staff, reception_id=r.pk, note="再次督办", on=D("2023-04-15"))
    with pytest.raises(InvalidInput, match="早于上一步"):
        services.reception_feedback(actor=staff, reception_id=r.pk, feedback="已修复", on=D("2023-04-14"))
    r = services.reception_feedback(actor=staff, reception_id=r.pk, feedback="已修复", on=D("2023-04-20"))
    with pytest.raises(Forbidden):
        services.reception_file(actor=world.users[Role.DEPUTY], reception_id=r.pk)
    r = services.reception_file(actor=staff, reception_id=r.pk, on=D("2023-04-21"))
    assert r.state == State.FILED and r.closed_on == D("2023-04-21")
    assert [t.action for t in r.transitions.order_by("id")] == [
        "register", "propose", "transfer", "chase", "chase", "feedback", "file"]
    with pytest.raises(IllegalTransition, match="已归档"):
        services.reception_chase(actor=staff, reception_id=r.pk, note="x")


@pytest.mark.django_db
def test_a_matter_for_the_courts_is_turned_away_with_the_route(world: World) -> None:
    s = make_station(world)
    r = make_reception(world, s, matter="对法院判决不服")
    with pytest.raises(InvalidInput, match="依法处理途径"):
        services.reception_turn_away(actor=world.users[Role.DEPUTY], reception_id=r.pk, route=" ")
    r = services.reception_turn_away(actor=world.users[Role.DEPUTY], reception_id=r.pk, route="告知向上级法院上诉",
                                     on=D("2023-03-10"))
    assert r.state == State.TURNED_AWAY and r.route == "告知向上级法院上诉" and r.closed_on == D("2023-03-10")
    with pytest.raises(IllegalTransition):
        services.reception_propose(actor=None, reception_id=r.pk, proposal="x")


@pytest.mark.django_db
def test_a_stale_page_is_a_conflict(world: World) -> None:
    r = make_reception(world, make_station(world))
    services.reception_propose(actor=None, reception_id=r.pk, proposal="转办", on=D("2023-03-10"))
    with pytest.raises(Conflict):
        services.reception_turn_away(actor=None, reception_id=r.pk, route="上诉", expected_state="registered")


@pytest.mark.django_db
def test_the_visitor_is_encrypted_and_masked(world: World) -> None:
    r = make_reception(world, make_station(world))
    with connection.cursor() as cur:
        cur.execute("SELECT visitor_name, visitor_phone FROM liaison_reception WHERE id = %s", [r.pk])
        row = cur.fetchone()
    assert VISITOR not in str(row) and VISITOR_PHONE not in str(row)
    event = AuditEvent.objects.filter(verb="liaison.reception.register").latest("id")
    assert VISITOR not in str(event.after) and VISITOR_PHONE not in str(event.after)
    with pytest.raises(Forbidden):  # a station deputy sees the record masked but may not reveal
        services.reception_reveal(actor=world.users[Role.DEPUTY], reception_id=r.pk, reason="回访来访人")
    assert services.reception_reveal(actor=world.users[Role.STAFF], reception_id=r.pk,
                                     reason="回访来访人").visitor_name == VISITOR


@pytest.mark.django_db
def test_another_towns_deputy_cannot_serve_a_station(world: World) -> None:
    s = make_station(world)
    with pytest.raises(InvalidInput, match="不属于"):
        make_reception(world, s, deputies=[world.other_deputy])
    assert Reception.objects.count() == 0


# --- reminders --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_are_sent_once_a_quarter(world: World) -> None:
    make_presidium_contact(world, on=D("2023-02-01"))  # Q1 done, Q2 not
    first = services.liaison_remind(today=D("2023-07-01"))
    assert first["presidium"] == 1  # contacted in Q1, not in Q2
    member_note = Notification.objects.get(user=world.users[Role.PRESIDIUM], verb="liaison.presidium")
    assert world.plain_deputy.name in member_note.text
    assert Reminder.objects.filter(period="2023Q2").exists()
    staff_note = Notification.objects.get(user=world.users[Role.STAFF], verb="liaison.office")
    assert "2023Q2" in staff_note.text and world.plain_deputy.name in staff_note.text
    deputy_note = Notification.objects.get(user=world.users[Role.DEPUTY], verb="liaison.voter")
    assert "低于目标" in deputy_note.text
    again = services.liaison_remind(today=D("2023-09-30"))  # the same quarter: nothing new
    assert again["voter"] == again["presidium"] == again["office"] == 0 and again["skipped"] > 0
    assert Notification.objects.filter(verb__startswith="liaison.").count() == sum(
        first[k] for k in ("voter", "presidium", "office"))
    assert services.liaison_remind(today=D("2023-10-01"))["office"] == first["office"] > 0  # a new period
