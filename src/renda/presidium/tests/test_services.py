"""The services' rules at their edges: the plan (one a year), tasks (the presidium member in
charge, the office staff, the due half within the plan's year), links (only the town's own
records, key supervision only, once each), half-year reviews (one per task and half; only for the
half the task is due in or a later one that has begun), the division of duties, information
items, and honours of the presidium, the office and deputies (duties.Award)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.errors import Conflict, InvalidInput
from renda.core.roles import Role
from renda.duties import selectors as duty_selectors
from renda.duties import services as duty_services
from renda.duties.models import Award
from renda.liaison import services as liaison_services
from renda.presidium import selectors, services
from renda.presidium.models import PlanTaskReview
from renda.presidium.tests.helpers import make_info, make_plan, make_task

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def test_one_plan_per_town_and_year(world: World) -> None:
    make_plan(world)
    with pytest.raises(Conflict):
        make_plan(world)
    make_plan(world, year=2024)
    make_plan(world, other=True)


def test_tasks_are_numbered_and_led_by_a_presidium_member_of_the_town(world: World) -> None:
    plan = make_plan(world)
    first, second = make_task(world, plan), make_task(world, plan, due_half="2023H2")
    assert (first.ordinal, second.ordinal) == (1, 2)
    for lead in (world.deputy, world.other_presidium_deputy):  # not presidium; another town's member
        with pytest.raises(InvalidInput) as exc:
            make_task(world, plan, lead=lead)
        assert "lead" in exc.value.fields
    with pytest.raises(InvalidInput):
        make_task(world, plan, supporters=[world.other_staff])
    task = make_task(world, plan, supporters=[world.users[Role.STAFF]])
    assert list(task.supporters.all()) == [world.users[Role.STAFF]]


@pytest.mark.parametrize(("due_half", "due_on", "ok"), [
    ("2023H1", None, True), ("2023H2", D("2023-07-01"), True), ("2023H1", D("2023-06-30"), True),
    ("2023H1", D("2023-07-01"), False), ("2024H1", None, False), ("2022H2", None, False), ("2023H3", None, False),
])
def test_a_tasks_due_half_lies_in_the_plans_year(world: World, due_half: str, due_on: dt.date | None,
                                                 ok: bool) -> None:
    plan = make_plan(world)
    if ok:
        assert make_task(world, plan, due_half=due_half, due_on=due_on).due_half == due_half
    else:
        with pytest.raises(InvalidInput):
            make_task(world, plan, due_half=due_half, due_on=due_on)


# --- reviews ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("half", "on", "ok"), [
    ("2023H1", D("2023-12-31"), False),  # the half before the due half
    ("2023H2", D("2023-06-30"), False),  # the due half, reviewed the day before it begins
    ("2023H2", D("2023-07-01"), True),   # the due half, on its first day
    ("2024H1", D("2024-01-01"), True),   # a later half that has begun
    ("2024H1", D("2023-12-31"), False),  # a later half not yet begun
])
def test_review_only_for_the_due_half_or_later_once_begun(world: World, half: str, on: dt.date, ok: bool) -> None:
    task = make_task(world, due_half="2023H2")
    staff = world.users[Role.STAFF]
    if ok:
        review, changed = services.task_review(actor=staff, task=task, half=half, status="done", on=on)
        assert changed and review.by == staff
    else:
        with pytest.raises(InvalidInput) as exc:
            services.task_review(actor=staff, task=task, half=half, status="done", on=on)
        assert "half" in exc.value.fields


def test_one_review_per_task_and_half_a_second_corrects_the_first(world: World) -> None:
    task = make_task(world)
    staff = world.users[Role.STAFF]
    services.task_review(actor=staff, task=task, half="2023H1", status="under_way", note="已完成一半",
                         on=D("2023-06-30"))
    review, changed = services.task_review(actor=staff, task=task, half="2023H1", status="done", on=D("2023-07-01"))
    assert changed and review.status == "done" and review.note == ""
    assert PlanTaskReview.objects.filter(task=task).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTaskReview.objects.create(task=task, town=task.town, half="2023H1", status="done", on=D("2023-07-01"))


def test_a_review_not_done_needs_a_note_and_not_a_future_date(world: World) -> None:
    task = make_task(world)
    with pytest.raises(InvalidInput) as exc:
        services.task_review(actor=None, task=task, half="2023H1", status="not_started", on=D("2023-06-30"))
    assert "note" in exc.value.fields
    with pytest.raises(InvalidInput):
        services.task_review(actor=None, task=task, half="2023H1", status="done",
                             on=dt.date.today() + dt.timedelta(days=2))


def test_reviewable_halves_run_from_the_due_half_to_today(world: World) -> None:
    task = make_task(world, due_half="2023H2")
    assert services.reviewable_halves(task, D("2023-06-30")) == []
    assert services.reviewable_halves(task, D("2023-07-01")) == ["2023H2"]
    assert services.reviewable_halves(task, D("2024-07-01")) == ["2023H2", "2024H1", "2024H2"]


def test_the_due_half_cannot_move_past_a_review(world: World) -> None:
    task = make_task(world, due_half="2023H1")
    services.task_review(actor=None, task=task, half="2023H1", status="done", on=D("2023-06-30"))
    with pytest.raises(InvalidInput):
        services.task_update(actor=None, task_id=task.pk, area=task.area, text=task.text, lead=task.lead,
                             due_half="2023H2")


def test_unreviewed_due_tasks_of_a_half(world: World) -> None:
    plan = make_plan(world)
    h1, h2 = make_task(world, plan, due_half="2023H1"), make_task(world, plan, due_half="2023H2")
    assert list(selectors.unreviewed_due(world.town.pk, "2023H1")) == [h1]
    assert list(selectors.unreviewed_due(world.town.pk, "2023H2")) == [h1, h2]  # h1 not yet done
    services.task_review(actor=None, task=h1, half="2023H1", status="done", on=D("2023-06-30"))
    assert list(selectors.unreviewed_due(world.town.pk, "2023H2")) == [h2]
    assert list(selectors.tasks_for_half(world.town, "2023H2")) == [h2]


# --- links ------------------------------------------------------------------------------------


def test_links_only_to_the_towns_own_records_once_each(world: World) -> None:
    task = make_task(world)
    ours = liaison_services.settings_set(actor=None, town=world.town, voter_contacts_per_year=10,
                                         presidium_contacts_per_quarter=1, group_meetings_per_quarter=1)[0]
    theirs = liaison_services.settings_set(actor=None, town=world.other_town, voter_contacts_per_year=10,
                                           presidium_contacts_per_quarter=1, group_meetings_per_quarter=1)[0]
    link = services.task_link(actor=world.users[Role.STAFF], task=task, kind="contact_target", target=ours)
    assert link.target == ours and AuditEvent.objects.filter(verb="plan_task.link").count() == 1
    with pytest.raises(InvalidInput):  # twice
        services.task_link(actor=None, task=task, kind="contact_target", target=ours)
    with pytest.raises(InvalidInput):  # another town's
        services.task_link(actor=None, task=task, kind="contact_target", target=theirs)
    with pytest.raises(InvalidInput):  # a record that is not of the kind
        services.task_link(actor=None, task=task, kind="project", target=ours)
    services.task_unlink(actor=None, link_id=link.pk)
    assert not task.links.exists()


def test_only_key_supervision_suggestions_are_linked(world: World) -> None:
    from tests.reliability.samples import register_public

    task = make_task(world)
    s = register_public(world, world.town, world.grid)
    with pytest.raises(InvalidInput) as exc:
        services.task_link(actor=None, task=task, kind="suggestion", target=s)
    assert "重点督办" in exc.value.message
    type(s).objects.filter(pk=s.pk).update(key_supervision=True)
    s.refresh_from_db()
    assert services.task_link(actor=None, task=task, kind="suggestion", target=s).suggestion == s


# --- division of duties ---------------------------------------------------------------------


def test_division_of_duties_one_per_member_and_year_within_the_town(world: World) -> None:
    staff = world.users[Role.STAFF]
    d = services.division_create(actor=staff, town=world.town, year=2023, member=world.presidium_deputy,
                                 areas="代表联络站建设", regions=[world.village])
    assert list(selectors.division_of_duties(world.town, 2023)) == [d]
    with pytest.raises(InvalidInput):
        services.division_create(actor=staff, town=world.town, year=2023, member=world.presidium_deputy, areas="x")
    with pytest.raises(InvalidInput):
        services.division_create(actor=staff, town=world.town, year=2024, member=world.presidium_deputy, areas="x",
                                 regions=[world.other_village])
    with pytest.raises(InvalidInput):
        services.division_create(actor=staff, town=world.town, year=2024, member=world.deputy, areas="x")


# --- information items and honours -------------------------------------------------------------


def test_information_adoption_rules(world: World) -> None:
    with pytest.raises(InvalidInput) as exc:
        make_info(world, adopted=True)
    assert "adopted_on" in exc.value.fields
    with pytest.raises(InvalidInput):  # a day before it was submitted
        make_info(world, adopted=True, adopted_on=D("2023-05-09"))
    assert make_info(world, adopted=True, adopted_on=D("2023-05-10")).adopted_on == D("2023-05-10")
    assert make_info(world, adopted=False, adopted_on=D("2023-05-12")).adopted_on is None
    with pytest.raises(InvalidInput):
        make_info(world, recipient="other")
    assert make_info(world, recipient="other", recipient_other="《人民代表报》").recipient_text == "《人民代表报》"
    with pytest.raises(InvalidInput):
        make_info(world, author=world.other_staff)


def test_honours_of_the_presidium_office_and_deputies(world: World) -> None:
    staff = world.users[Role.STAFF]
    honour = duty_services.award_create(actor=staff, recipient="office", town=world.town,
                                        title="全区人大信息工作先进单位", body="区人大常委会", on=D("2023-07-20"))
    assert honour.deputy is None and honour.recipient_text == "人大办"
    with pytest.raises(InvalidInput):  # a deputy's honour names the deputy
        duty_services.award_create(actor=staff, recipient="deputy", title="优秀代表", body="区人大常委会",
                                   on=D("2023-07-20"))
    mine = duty_services.award_create(actor=staff, deputy=world.deputy, title="优秀代表", body="区人大常委会",
                                      on=D("2023-07-20"))
    assert duty_selectors.archive(world.deputy).awards == [mine]  # the archive keeps the deputies' only
    changed, did = duty_services.award_update(actor=staff, award_id=mine.pk, recipient="presidium", title="先进主席团",
                                              body="区人大常委会", on=D("2023-07-21"))
    assert did and changed.deputy is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(recipient="presidium", deputy=world.deputy, town=world.town, title="t", body="b",
                             on=D("2023-07-01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(recipient="deputy", town=world.town, title="t", body="b", on=D("2023-07-01"))


def test_writes_are_refused_to_those_who_may_not(world: World) -> None:
    from renda.core.errors import Forbidden, NotFound

    task = make_task(world)
    with pytest.raises(Forbidden):
        services.task_review(actor=world.users[Role.DEPUTY], task=task, half="2023H1", status="done",
                             on=D("2023-06-30"))
    with pytest.raises(NotFound):
        services.task_review(actor=world.other_staff, task=task, half="2023H1", status="done", on=D("2023-06-30"))
    with pytest.raises(Forbidden):
        services.info_create(actor=world.users[Role.DEPUTY], town=world.town, title="t",
                             submitted_on=D("2023-05-01"), recipient="district")
