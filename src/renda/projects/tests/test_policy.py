"""The projects policy as a matrix: every role × action, on the own town's and another town's records."""

from __future__ import annotations

from typing import Any

import pytest
from tests.support import World

from renda.core.roles import Role
from renda.projects import policy, services
from renda.projects.tests.helpers import YEAR, candidate, project, staff, window

pytestmark = pytest.mark.django_db

P, S, D, U, G, V, A = "presidium", "staff", "deputy", "unit", "grid_worker", "district_viewer", "admin"
EVERY = {P, S, D, U, G, V, A}

#: action → the roles that may take it on the own town's project (led by the World's unit,
#: supervised by the presidium member with the World's deputy in its group)
PROJECT = {
    "view": {P, S, D, U, V, A},
    "plan": {P, S},
    "start": {P, S, U},
    "stage": {P, S, U},
    "money": {P, S, U},
    "report_progress": {P, S, U},
    "complete": {P, S, U},
    "rectify": {P, S, U},
    "inspect": {P, S, D},
    "note": {P, S, D},
    "evaluate": {P, S},
    "evaluate_fail": {P, S},
    "adopt": {P, S},
    "no_such_action": set(),
}
#: on another town's project: district readers see it, nobody acts
PROJECT_OTHER = {"view": {V, A}}
CANDIDATE = {"view": {P, S, D, V, A}, "screen": {P, S}, "edit": {P, S}}
LIST = {"view": {P, S, D, V, A}, "edit": {P, S}, "submit": {P}, "vote": {P, S}, "print": {P, S, V, A}}
NO_OBJECT = {"list": {P, S, D, U, V, A}, "export": {P, S, D, U, V, A}, "candidates": {P, S, D, V, A},
             "collect": {P, S}, "create_list": {P, S}, "adopt": {P, S}, "settings": {S}, "window": {S},
             "excluded_kinds": {S}}


def _world() -> tuple[World, Any, Any, Any, Any, Any]:
    w = World()
    p = project(w)
    services.project_plan(actor=staff(w), project_id=p.pk, lead_unit=w.unit, targets="", deadline=None,
                          supervisor=w.presidium_deputy, deputies=[w.deputy])
    p = type(p).objects.get(pk=p.pk)
    other = project(w, "外镇项目", town=w.other_town)
    window(w)
    c = candidate(w)
    cl = services.candidate_list_create(actor=staff(w), town=w.town, year=YEAR)
    other_cl = services.candidate_list_create(actor=w.other_staff, town=w.other_town, year=YEAR)
    return w, p, other, c, cl, other_cl


def test_project_matrix() -> None:
    w, p, other, _c, _cl, _ocl = _world()
    for role in EVERY:
        user = w.users[role]
        for action, allowed in PROJECT.items():
            assert policy.can(user, action, p) == (role in allowed), (role, action)
            assert policy.can(user, action, other) == (role in PROJECT_OTHER.get(action, set())), (role, action)


def test_candidate_and_list_matrix() -> None:
    w, _p, _o, c, cl, other_cl = _world()
    for role in EVERY:
        user = w.users[role]
        for action, allowed in CANDIDATE.items():
            assert policy.can(user, action, c) == (role in allowed), (role, action)
        for action, allowed in LIST.items():
            assert policy.can(user, action, cl) == (role in allowed), (role, action)
            expect_other = role in {V, A} and action in {"view", "print"}
            assert policy.can(user, action, other_cl) == expect_other, (role, action)
    assert not policy.can(w.other_staff, "edit", cl)


def test_no_object_matrix() -> None:
    w = World()
    for role in EVERY:
        for action, allowed in NO_OBJECT.items():
            assert policy.can(w.users[role], action) == (role in allowed), (role, action)


def test_anonymous_and_inactive_may_nothing() -> None:
    from django.contrib.auth.models import AnonymousUser

    w = World()
    p = project(w)
    assert not policy.can(AnonymousUser(), "view", p)
    user = w.users[Role.STAFF]
    user.is_active = False
    assert not policy.can(user, "view", p)
