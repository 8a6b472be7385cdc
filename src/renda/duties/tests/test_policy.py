"""Policy matrix: every role × every action on activities, archives, the ranking, reports to
voters, awards and settings, in the own town and another town."""

from __future__ import annotations

import pytest
from tests.support import World

from renda.core.roles import Role
from renda.duties import policy, selectors, services
from renda.duties.models import Activity, Award, DutySettings, VoterReport
from renda.duties.tests.helpers import make_activity, other_town_activity

pytestmark = pytest.mark.django_db
ROLES = list(Role)
P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER, Role.DISTRICT_VIEWER,
                       Role.ADMIN)

#: (action, object key) → the roles allowed. "ours": the town's activity the deputy and the presidium
#: member take part in; "theirs": another town's.
ACTIVITY = {
    ("view", "ours"): {P, S, D, V, A},
    ("view", "theirs"): {V, A},
    ("change", "ours"): {P, S, A},
    ("change", "theirs"): {A},
    ("poster", "ours"): {P, S, A},
    ("hold", "ours"): {P, S, A},
    ("cancel", "ours"): {P, S, A},
    ("attendance", "ours"): {P, S, A},
    ("attendance", "theirs"): {A},
    ("sign_in", "ours"): {P, D},  # the participants (the presidium member is a deputy taking part)
    ("sign_in", "theirs"): set(),
    ("attach", "ours"): {P, S, D, A},
    ("finding", "ours"): {P, S, D, A},
}
NO_OBJECT = {
    "list": {P, S, D, V, A},
    "create": {P, S, A},
    "ranking": {P, S},
    "reports": {P, S, D, V, A},
    "archives": {P, S, D, V, A},
    "award": {P, S, A},
    "settings": {S, A},
    "draft": {P, S, D, A},
}


@pytest.fixture
def objs(world: World) -> dict[str, Activity]:
    return {"ours": make_activity(world), "theirs": other_town_activity(world)}


@pytest.mark.parametrize("role", ROLES)
def test_activity_matrix(world: World, objs: dict[str, Activity], role: Role) -> None:
    user = world.users[role]
    for (action, key), allowed in ACTIVITY.items():
        assert policy.can(user, action, objs[key]) == (role in allowed), (role, action, key)
    for action, allowed in NO_OBJECT.items():
        assert policy.can(user, action) == (role in allowed), (role, action)
    seen = set(selectors.activities_visible_to(user).values_list("pk", flat=True))
    expected = {k for k in ("ours", "theirs") if role in ACTIVITY[("view", k)]}
    assert seen == {objs[k].pk for k in expected}


ARCHIVE = {  # whose archive each role reads
    "deputy": {P, S, D, V, A},  # world.deputy: the deputy reads their own
    "plain": {P, S, V, A},
    "other": {V, A},
}


@pytest.mark.parametrize("role", ROLES)
def test_archive_matrix(world: World, role: Role) -> None:
    user = world.users[role]
    deputies = {"deputy": world.deputy, "plain": world.plain_deputy, "other": world.other_deputy}
    for key, allowed in ARCHIVE.items():
        assert policy.can_view_archive(user, deputies[key]) == (role in allowed), (role, key)
    visible = set(selectors.deputies_visible_to(user).values_list("pk", flat=True))
    assert (world.deputy.pk in visible) == (role in ARCHIVE["deputy"])
    assert (world.plain_deputy.pk in visible) == (role in ARCHIVE["plain"])
    assert (world.other_deputy.pk in visible) == (role in ARCHIVE["other"])


REPORT = {
    ("view", "ours"): {P, S, D, V, A},
    ("view", "plain"): {P, S, V, A},
    ("view", "theirs"): {V, A},
    ("edit", "ours"): {P, S, D, A},
    ("submit", "ours"): {P, S, D, A},
    ("edit", "plain"): {P, S, A},
    ("edit", "theirs"): {A},
}


@pytest.mark.parametrize("role", ROLES)
def test_report_matrix(world: World, role: Role) -> None:
    staff = world.users[S]
    reports = {"ours": services.report_draft(actor=staff, deputy=world.deputy, year=2023),
               "plain": services.report_draft(actor=staff, deputy=world.plain_deputy, year=2023),
               "theirs": services.report_draft(actor=world.other_staff, deputy=world.other_deputy, year=2023)}
    user = world.users[role]
    for (action, key), allowed in REPORT.items():
        assert policy.can(user, action, reports[key]) == (role in allowed), (role, action, key)
    # the state is the workflow's question: a draft offers no rating to anyone yet
    assert "rate" not in policy.available_report_actions(user, reports["ours"])
    assert ("edit" in policy.available_report_actions(user, reports["ours"])) == (role in REPORT[("edit", "ours")])
    seen = set(selectors.reports_visible_to(user).values_list("pk", flat=True))
    assert seen == {reports[k].pk for k in ("ours", "plain", "theirs") if role in REPORT[("view", k)]}


@pytest.mark.parametrize("role", ROLES)
def test_awards_and_settings(world: World, role: Role) -> None:
    user = world.users[role]
    award = Award(deputy=world.deputy, town=world.town, title="t", body="b")
    settings = DutySettings(town=world.town)
    assert policy.can(user, "create", award) == (role in {P, S, A})
    assert policy.can(user, "change", settings) == (role in {S, A})
    assert policy.can(user, "view", settings) == (role in {P, S, V, A})
    other = DutySettings(town=world.other_town)
    assert policy.can(user, "change", other) == (role == A)


def test_inactive_users_may_nothing(world: World, objs: dict[str, Activity]) -> None:
    user = world.users[S]
    user.is_active = False
    assert not policy.can(user, "view", objs["ours"]) and not policy.can(user, "list")
    assert VoterReport.objects.count() == 0
