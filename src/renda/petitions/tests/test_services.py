"""The petition services: register, the legal flow with its time limits (a table over real
holidays), repeats and the final refusal of the same facts, instructions, links with
suggestions, stale versions, audit, and encryption at rest (raw SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from tests.support import World, make_user

from renda.audit.models import AuditEvent
from renda.core import crypto
from renda.core.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from renda.core.roles import Role
from renda.petitions import selectors, services
from renda.petitions.models import Petition, RepeatKind, Transition
from renda.petitions.services import PetitionerData
from renda.petitions.tests.helpers import ID_NUMBER, NAME, PHONE, D, other_id, petition, staff, through
from renda.petitions.workflow import State

pytestmark = pytest.mark.django_db


def test_register_generates_code_deadline_timeline_and_audit(world: World) -> None:
    p = petition(world)
    assert p.code == "XF2023-001" and p.state == State.REGISTERED
    assert p.deadline == D("2023-03-16") and p.village == world.village
    assert p.transitions.get().action == "register"
    event = AuditEvent.objects.filter(verb="petition.register").get()
    assert NAME not in str(event.after) and PHONE not in str(event.after) and ID_NUMBER not in str(event.after)
    assert petition(world, subject="另一件", petitioners=[PetitionerData(name="李四")]).code == "XF2023-002"
    # Codes are per town.
    other = services.petition_register(actor=world.other_staff, town=world.other_town, channel="visit",
                                       subject="x", petitioners=[PetitionerData(name="王五")], on=D("2023-03-01"))
    assert other.code == "XF2023-001"


@pytest.mark.parametrize(("kw", "field"), [
    ({"petitioners": [PetitionerData(name="张三", id_number="340302198505121230")]}, "id_number"),
    ({"petitioners": [PetitionerData(name="张三", phone="12345")]}, "phone"),
    ({"petitioners": []}, "petitioners"),
    ({"channel": "fax"}, "channel"),
    ({"head_count": 1, "petitioners": [PetitionerData(name="甲"), PetitionerData(name="乙")]}, "head_count"),
    ({"on": dt.date.today() + dt.timedelta(days=3)}, "on"),
])
def test_register_refuses_bad_input(world: World, kw: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        petition(world, **kw)
    assert field in exc.value.fields


def test_register_policy(world: World) -> None:
    with pytest.raises(Forbidden):
        petition(world, actor=world.users[Role.DEPUTY])
    with pytest.raises(Forbidden):
        petition(world, actor=world.users[Role.UNIT])
    with pytest.raises(Forbidden):
        petition(world, actor=world.other_staff)
    # A grid worker registers in their own grid, not in another one.
    p = petition(world, actor=world.users[Role.GRID_WORKER])
    assert p.created_by == world.users[Role.GRID_WORKER]
    from tests.support import make_grid

    with pytest.raises(Forbidden):
        petition(world, actor=world.users[Role.GRID_WORKER], grid=make_grid(world.village))


def test_raw_row_holds_no_plain_personal_data(world: World) -> None:
    p = petition(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone, address, id_hash, phone_hash FROM petitions_petitioner "
                       "WHERE petition_id = %s", [p.pk])
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM petitions_petition WHERE id = %s", [p.pk])
        petition_row = cursor.fetchall()
    raw = repr(rows) + repr(petition_row)
    for plain in (NAME, ID_NUMBER, PHONE, ID_NUMBER[-6:], PHONE[-6:], "幸福村"):
        assert plain not in raw
    assert rows[0][4] == crypto.id_lookup_hash(ID_NUMBER) and rows[0][5] == crypto.phone_lookup_hash(PHONE)


def test_lookup_by_keyed_hash(world: World) -> None:
    p = petition(world)
    petition(world, subject="别人的事", petitioners=[PetitionerData(name="李四", phone="13800000000")])
    u = staff(world)
    assert list(selectors.petitions_for_lookup(u, id_number=ID_NUMBER.lower())) == [p]
    assert list(selectors.petitions_for_lookup(u, phone="139-1234-5678")) == [p]
    assert not selectors.petitions_for_lookup(u, phone="13900000000").exists()
    assert not selectors.petitions_for_lookup(world.other_staff, id_number=ID_NUMBER).exists()


# --- the legal flow, dated over real holidays ---------------------------------------------------

FLOW = [
    # (step, date, expected deadline in force afterwards)
    ("register", "2023-09-14", "2023-10-07"),  # 15 days → 09-29 中秋国庆 → 10-07 (make-up Saturday)
    ("accept", "2023-09-20", "2023-11-20"),  # 60 days → 11-19 (Sun) → 11-20
    ("extend", "2023-11-10", "2023-12-20"),  # +30 days → 12-19? 09-20 + 90 = 12-19 (Tue)
    ("issue_opinion", "2023-12-15", None),  # may ask for review until 2024-01-15 (01-14 is a Sunday)
    ("request_review", "2024-01-15", "2024-02-18"),  # 30 days → 02-14 春节 → 02-18 (make-up Sunday)
    ("answer_review", "2024-02-05", None),  # re-review may be asked until 03-06
    ("request_rereview", "2024-03-06", "2024-04-07"),  # 30 days → 04-05 清明 → 04-07 (make-up Sunday)
    ("answer_rereview", "2024-04-01", None),
]


def _do(world: World, p: Petition, step: str, on: dt.date) -> Petition:
    u = staff(world)
    calls = {
        "accept": lambda: services.petition_accept(actor=u, petition_id=p.pk, on=on),
        "extend": lambda: services.petition_extend(actor=u, petition_id=p.pk, days=30, reason="需实地核查", on=on),
        "issue_opinion": lambda: services.petition_issue_opinion(actor=u, petition_id=p.pk, opinion="维持", on=on),
        "request_review": lambda: services.petition_request_review(actor=u, petition_id=p.pk, on=on),
        "answer_review": lambda: services.petition_answer_review(actor=u, petition_id=p.pk, answer="维持", on=on),
        "request_rereview": lambda: services.petition_request_rereview(actor=u, petition_id=p.pk, on=on),
        "answer_rereview": lambda: services.petition_answer_rereview(actor=u, petition_id=p.pk, answer="维持",
                                                                       on=on),
    }
    return calls[step]()


def test_whole_flow_with_deadlines_over_holidays(world: World) -> None:
    p = None
    for step, on, deadline in FLOW:
        if step == "register":
            p = petition(world, on=D(on))
        else:
            assert p is not None
            p = _do(world, p, step, D(on))
        p.refresh_from_db()
        expected = D(deadline) if deadline else None
        if step == "extend":
            expected = D("2023-12-19")
        assert p.deadline == expected, step
    assert p is not None and p.state == State.FINAL
    assert [t.action for t in p.transitions.order_by("on", "id")] == ["register"] + [s for s, _o, _d in FLOW[1:]]
    assert p.handling_due == D("2023-12-19") and p.extension_days == 30


def test_review_request_after_30_days_is_refused(world: World) -> None:
    p = petition(world, on=D("2023-12-01"))
    _do(world, p, "accept", D("2023-12-04"))
    _do(world, p, "issue_opinion", D("2023-12-15"))
    # 12-15 + 30 = 01-14 (Sunday) → the last day is Monday 01-15.
    with pytest.raises(IllegalTransition, match="2024-01-15"):
        _do(world, p, "request_review", D("2024-01-16"))
    _do(world, p, "request_review", D("2024-01-15"))
    _do(world, p, "answer_review", D("2024-02-05"))
    # 02-05 + 30 = 03-06 (Wednesday).
    with pytest.raises(IllegalTransition, match="2024-03-06"):
        _do(world, p, "request_rereview", D("2024-03-07"))


def test_one_extension_of_at_most_30_days(world: World) -> None:
    p = through(world, petition(world), "handling")
    u = staff(world)
    with pytest.raises(InvalidInput):
        services.petition_extend(actor=u, petition_id=p.pk, days=31, reason="x", on=D("2023-03-10"))
    with pytest.raises(InvalidInput):
        services.petition_extend(actor=u, petition_id=p.pk, days=10, reason=" ", on=D("2023-03-10"))
    services.petition_extend(actor=u, petition_id=p.pk, days=10, reason="需鉴定", on=D("2023-03-10"))
    with pytest.raises(IllegalTransition, match="延期一次"):
        services.petition_extend(actor=u, petition_id=p.pk, days=5, reason="再延", on=D("2023-03-11"))


def test_illegal_moves_and_dates(world: World) -> None:
    p = petition(world)
    u = staff(world)
    with pytest.raises(IllegalTransition):
        services.petition_issue_opinion(actor=u, petition_id=p.pk, opinion="x", on=D("2023-03-05"))
    with pytest.raises(InvalidInput):
        services.petition_accept(actor=u, petition_id=p.pk, on=D("2023-02-27"))
    services.petition_decline(actor=u, petition_id=p.pk, reason="不属于受理范围", on=D("2023-03-02"))
    with pytest.raises(IllegalTransition):
        services.petition_accept(actor=u, petition_id=p.pk, on=D("2023-03-03"))


def test_stale_version_is_a_conflict(world: World) -> None:
    p = petition(world)
    u = staff(world)
    services.petition_accept(actor=u, petition_id=p.pk, on=D("2023-03-02"), expected_version=p.version)
    with pytest.raises(Conflict):
        services.petition_decline(actor=u, petition_id=p.pk, reason="x", on=D("2023-03-02"),
                                  expected_version=p.version)


def test_only_the_office_moves_a_petition(world: World) -> None:
    p = petition(world)
    for role in (Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN, Role.GRID_WORKER):
        with pytest.raises(Forbidden):
            services.petition_accept(actor=world.users[role], petition_id=p.pk, on=D("2023-03-02"))
    for role in (Role.UNIT,):
        with pytest.raises(NotFound):
            services.petition_accept(actor=world.users[role], petition_id=p.pk, on=D("2023-03-02"))
    with pytest.raises(NotFound):
        services.petition_accept(actor=world.other_staff, petition_id=p.pk, on=D("2023-03-02"))


# --- repeats and the final refusal ---------------------------------------------------------------


def test_same_petitioner_within_12_months_is_a_repeat(world: World) -> None:
    first = petition(world, on=D("2023-03-01"))
    again = petition(world, on=D("2023-11-01"), subject="反映低保问题", content="另一件事",
                     petitioners=[PetitionerData(name="换了名字", phone=PHONE)])
    assert again.is_repeat and again.repeat_of == first and again.repeat_kind == RepeatKind.SAME_PETITIONER
    later = petition(world, on=D("2024-03-05"), subject="又一件", content="完全不同",
                     petitioners=[PetitionerData(name=NAME, id_number=ID_NUMBER, phone=PHONE)])
    assert later.repeat_of == again  # the 2023-03 one is more than 12 months back
    fresh = petition(world, on=D("2025-06-01"), subject="新的事情", content="全新内容",
                     petitioners=[PetitionerData(name=NAME, id_number=ID_NUMBER)])
    assert not fresh.is_repeat


def test_similar_content_is_a_repeat(world: World) -> None:
    first = petition(world, on=D("2023-03-01"))
    similar = petition(world, on=D("2023-04-01"), subject="反映征地补偿款未足额发放到户",
                       petitioners=[PetitionerData(name="李四", id_number=other_id(7))])
    assert similar.repeat_of == first and similar.repeat_kind == RepeatKind.SIMILAR_CONTENT
    unrelated = petition(world, on=D("2023-04-02"), subject="反映路灯不亮", content="小区路灯坏了",
                         petitioners=[PetitionerData(name="王五")])
    assert not unrelated.is_repeat


def test_same_facts_after_rereview_are_refused(world: World) -> None:
    final = through(world, petition(world, on=D("2023-01-05")), "final", start=D("2023-01-05"))
    assert final.state == State.FINAL
    again = petition(world, on=D("2024-06-03"))  # same petitioner, same facts, a year later
    assert again.state == State.DECLINED and again.repeat_kind == RepeatKind.FINAL and again.repeat_of == final
    assert "信访工作条例" in again.decline_reason and final.code in again.decline_reason
    assert again.declined_on == D("2024-06-03")
    assert list(again.transitions.order_by("id").values_list("action", flat=True)) == ["register", "decline"]
    # Different facts of the same petitioner are received as usual.
    other = petition(world, on=D("2024-06-04"), subject="反映邻居噪音", content="夜间施工扰民")
    assert other.state == State.REGISTERED


# --- instructions, suggestions ---------------------------------------------------------------------


def test_route_and_instruct(world: World) -> None:
    p = petition(world)
    u = staff(world)
    ri = services.petition_route(actor=u, petition_id=p.pk, presidium_member=world.presidium_deputy,
                                 on=D("2023-03-02"))
    with pytest.raises(Conflict):
        services.petition_route(actor=u, petition_id=p.pk, presidium_member=world.presidium_deputy,
                                on=D("2023-03-02"))
    with pytest.raises(InvalidInput):
        services.petition_route(actor=u, petition_id=p.pk, presidium_member=world.deputy, on=D("2023-03-02"))
    assert list(selectors.instructions_for(world.users[Role.PRESIDIUM])["pending"]) == [ri]
    assert not selectors.letters_reviewed(Petition.objects.all(), D("2023-06-30")).exists()
    other_member = make_user(Role.PRESIDIUM, world.town)
    with pytest.raises(Forbidden):
        services.petition_instruct(actor=other_member, instruction_id=ri.pk, text="阅", on=D("2023-03-03"))
    with pytest.raises(Forbidden):
        services.petition_instruct(actor=u, instruction_id=ri.pk, text="阅", on=D("2023-03-03"))
    services.petition_instruct(actor=world.users[Role.PRESIDIUM], instruction_id=ri.pk, text="请核实办理",
                               on=D("2023-03-03"))
    ri.refresh_from_db()
    assert ri.instructed_on == D("2023-03-03")
    assert list(selectors.letters_reviewed(Petition.objects.all(), D("2023-06-30"))) == [p]
    assert not selectors.letters_reviewed(Petition.objects.all(), D("2023-03-02")).exists()
    assert Transition.objects.filter(petition=p, action="instruct").exists()


def test_to_suggestion_and_back(world: World) -> None:
    from renda.suggestions.models import Suggestion
    from renda.suggestions.services import suggestion_register

    p = petition(world)
    s = services.petition_to_suggestion(actor=staff(world), petition_id=p.pk, on=D("2023-03-02"))
    p.refresh_from_db()
    assert p.suggestion == s and p.link_kind == "to_suggestion" and s.kind == "public"
    assert s.submitter_name == NAME and s.title == p.subject
    with pytest.raises(Conflict):
        services.petition_to_suggestion(actor=staff(world), petition_id=p.pk, on=D("2023-03-02"))
    item = suggestion_register(actor=staff(world), town=world.town, kind="public", title="路灯不亮",
                               submitter_name="赵六", submitter_phone="13700000000", on=D("2023-03-05"),
                               source="phone")
    q = services.petition_from_suggestion(actor=staff(world), suggestion_id=item.pk, on=D("2023-03-06"))
    assert q.suggestion == item and q.link_kind == "from_suggestion" and q.channel == "phone"
    assert q.petitioners.get().name == "赵六"
    with pytest.raises(Conflict):
        services.petition_from_suggestion(actor=staff(world), suggestion_id=item.pk, on=D("2023-03-06"))
    with pytest.raises(Forbidden):
        services.petition_from_suggestion(actor=world.users[Role.PRESIDIUM], suggestion_id=item.pk)
    assert Suggestion.objects.count() == 2


def test_overdue_open_count_as_of(world: World) -> None:
    a = petition(world, subject="一")
    b = petition(world, subject="二", content="别的事", petitioners=[PetitionerData(name="李四")])
    services.petition_accept(actor=staff(world), petition_id=b.pk, on=D("2023-03-02"))
    qs = Petition.objects.all()
    assert selectors.overdue_open_count(qs, D("2023-03-16")) == 0  # acceptance due 03-16
    assert selectors.overdue_open_count(qs, D("2023-03-17")) == 1  # a is overdue
    services.petition_accept(actor=staff(world), petition_id=a.pk, on=D("2023-03-20"))
    # Decided on 03-20: still overdue as of 03-18, not as of 03-20 (now handling until 05-19).
    assert selectors.overdue_open_count(qs, D("2023-03-18")) == 1
    assert selectors.overdue_open_count(qs, D("2023-03-20")) == 0
    # b: handling due 05-01 (劳动节 → 05-04).
    assert selectors.overdue_open_count(qs, D("2023-05-04")) == 0
    assert selectors.overdue_open_count(qs, D("2023-05-05")) == 1
    services.petition_issue_opinion(actor=staff(world), petition_id=b.pk, opinion="x", on=D("2023-05-10"))
    assert selectors.overdue_open_count(qs, D("2023-05-09")) == 1
    assert selectors.overdue_open_count(qs, D("2023-05-10")) == 0
