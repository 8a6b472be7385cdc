"""Policy matrix: every role × every page and API endpoint; another town's risk is a 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.risks import policy, selectors
from renda.risks.models import Risk
from renda.risks.tests.helpers import make_risk, other_town_risk
from renda.risks.workflow import Action

ROLES = list(Role)


@pytest.fixture(scope="module")
def risks(shared_world: World, django_db_blocker: object) -> Iterator[dict[str, Risk]]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        w = shared_world
        out = {
            "ours": make_risk(w),  # in the deputy's and grid worker's grid, both take part
            "elsewhere": make_risk(w, title="别的网格", grid=None, village=w.village, participants=[]),
            "other_town": other_town_risk(w),
        }
        yield out
        transaction.set_rollback(True)


#: Who sees which risk (list and detail).
SEES = {
    Role.STAFF: {"ours", "elsewhere"}, Role.PRESIDIUM: {"ours", "elsewhere"},
    Role.DEPUTY: {"ours"}, Role.GRID_WORKER: {"ours"}, Role.UNIT: set(),
    Role.DISTRICT_VIEWER: {"ours", "elsewhere", "other_town"}, Role.ADMIN: {"ours", "elsewhere", "other_town"},
}
LISTS = {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.GRID_WORKER, Role.DISTRICT_VIEWER, Role.ADMIN}
REGISTERS = {Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.GRID_WORKER}
#: Actions each role may take on "ours" (registered; the deputy and grid worker take part).
ACTS = {
    Role.STAFF: {Action.START, Action.RESOLVE, Action.ESCALATE, Action.LOG_STEP, Action.ASSIGN, Action.UNASSIGN,
                 Action.REVEAL},
    Role.PRESIDIUM: {Action.START, Action.RESOLVE, Action.ESCALATE, Action.LOG_STEP, Action.ASSIGN,
                     Action.UNASSIGN, Action.REVEAL},
    Role.DEPUTY: {Action.START, Action.RESOLVE, Action.LOG_STEP},
    Role.GRID_WORKER: {Action.START, Action.RESOLVE, Action.LOG_STEP},
    Role.UNIT: set(), Role.DISTRICT_VIEWER: set(), Role.ADMIN: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_selector_and_policy_agree(shared_world: World, risks: dict[str, Risk], role: Role) -> None:
    user = shared_world.users[role]
    visible = {k for k, r in risks.items() if selectors.risks_visible_to(user).filter(pk=r.pk).exists()}
    assert visible == SEES[role]
    assert {k for k, r in risks.items() if policy.can(user, "view", r)} == SEES[role]
    assert set(policy.available_actions(user, risks["ours"])) == ACTS[role]
    assert policy.can(user, "list") == (role in LISTS)
    assert policy.can(user, Action.REGISTER) == (role in REGISTERS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_pages(shared_world: World, risks: dict[str, Risk], client: Client, role: Role) -> None:
    client.force_login(shared_world.users[role])
    assert client.get("/risks/").status_code == (200 if role in LISTS else 403)
    assert client.get("/risks/new/").status_code == (200 if role in REGISTERS else 403)
    for key, r in risks.items():
        expected = 200 if key in SEES[role] else 404
        assert client.get(f"/risks/{r.pk}/").status_code == expected, key
    ours = risks["ours"]
    # Posting an action the role may not take: 404 if they cannot see it, else 403.
    denied = 404 if "ours" not in SEES[role] else 403
    if Action.ESCALATE not in ACTS[role]:
        assert client.post(f"/risks/{ours.pk}/do/escalate/", {"escalate-state": "registered",
                                                                "escalate-to": "镇党委",
                                                                "escalate-reason": "x"}).status_code == denied
    if Action.REVEAL not in ACTS[role]:
        assert client.post(f"/risks/{ours.pk}/reveal/", {"reveal-reason": "核实身份信息"}).status_code == denied
    other = risks["other_town"]
    if "other_town" not in SEES[role]:
        assert client.post(f"/risks/{other.pk}/do/start/", {"start-state": "registered"}).status_code == 404
        assert client.post(f"/risks/{other.pk}/reveal/", {"reveal-reason": "核实身份信息"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api(shared_world: World, risks: dict[str, Risk], client: Client, role: Role) -> None:
    client.force_login(shared_world.users[role])
    listed = client.get("/api/risks")
    assert listed.status_code == (200 if role in LISTS else 403)
    if role in LISTS:
        codes = {i["code"] for i in listed.json()["items"]}
        assert codes == {risks[k].code for k in SEES[role]}
    for key, r in risks.items():
        expected = 200 if key in SEES[role] else 404
        res = client.get(f"/api/risks/{r.pk}")
        assert res.status_code == expected, key
        if expected == 404:
            assert set(res.json()) == {"code", "message", "fields"}
        assert client.get(f"/api/risks/{r.pk}/steps").status_code == expected
        assert client.get(f"/api/risks/{r.pk}/participants").status_code == expected
    ours = risks["ours"]
    if "ours" in SEES[role]:
        assert set(client.get(f"/api/risks/{ours.pk}").json()["allowed_actions"]) == {a.value for a in ACTS[role]}
    denied = 404 if "ours" not in SEES[role] else 403
    if Action.ESCALATE not in ACTS[role]:
        res = client.post(f"/api/risks/{ours.pk}/actions", {"action": "escalate", "to": "镇党委", "reason": "x"},
                          content_type="application/json")
        assert res.status_code == denied and res.json()["code"] in {"forbidden", "not_found"}
    if Action.REVEAL not in ACTS[role]:
        res = client.post(f"/api/risks/{ours.pk}/reveal", {"reason": "核实身份信息"}, content_type="application/json")
        assert res.status_code == denied
    if Action.ASSIGN not in ACTS[role]:
        res = client.post(f"/api/risks/{ours.pk}/participants", {"deputy_id": shared_world.plain_deputy.pk},
                          content_type="application/json")
        assert res.status_code == denied
    if Action.LOG_STEP not in ACTS[role]:
        res = client.post(f"/api/risks/{ours.pk}/steps", {"text": "走访"}, content_type="application/json")
        assert res.status_code == denied
    res = client.post("/api/risks", {"title": "新隐患", "grid_id": shared_world.grid.pk},
                      content_type="application/json")
    assert res.status_code == (201 if role in REGISTERS else 403), res.content
    if role in REGISTERS:
        assert res.json()["code"].startswith("YH")


@pytest.mark.django_db
def test_api_is_in_the_schema() -> None:
    """Every risks operation documents its parameters and bodies (the /api/openapi.json entries);
    checked per router so that another app's unfinished router does not hide a problem here."""
    from renda.risks.api import risks_router

    paths = set()
    for path, view in risks_router.path_operations.items():
        paths.add(path)
        for op in view.operations:
            for model in op.models:
                assert model.model_json_schema()
    assert paths == {"", "/{int:risk_id}", "/{int:risk_id}/actions", "/{int:risk_id}/steps",
                     "/{int:risk_id}/participants", "/{int:risk_id}/participants/{int:participant_id}",
                     "/{int:risk_id}/reveal"}
