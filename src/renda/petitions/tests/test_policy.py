"""The policy matrix: every petitions page and API endpoint × every role, on a petition of the
user's town (in the grid of the World's deputy and grid worker) and on another town's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role
from renda.petitions import policy, services
from renda.petitions.models import Petition
from renda.petitions.services import PetitionerData
from renda.petitions.tests.helpers import petition, staff

pytestmark = pytest.mark.django_db
P, S, D, U, G, V, A = (Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER,
                       Role.DISTRICT_VIEWER, Role.ADMIN)
ROLES = [P, S, D, U, G, V, A]
TODAY = dt.date.today()


class Fixture:
    def __init__(self, world: World) -> None:
        self.own = petition(world, on=TODAY)
        services.petition_accept(actor=staff(world), petition_id=self.own.pk, on=TODAY)
        services.petition_route(actor=staff(world), petition_id=self.own.pk,
                                presidium_member=world.presidium_deputy, on=TODAY)
        self.fresh = petition(world, on=TODAY, subject="另一件信访", content="别的内容",
                              petitioners=[PetitionerData(name="李四")])
        self.other = services.petition_register(actor=world.other_staff, town=world.other_town, channel="visit",
                                                subject="他镇信访", petitioners=[PetitionerData(name="王五")],
                                                on=TODAY)
        services.petition_accept(actor=world.other_staff, petition_id=self.other.pk, on=TODAY)


def row(**by_role: int) -> dict[Role, int]:
    return {r: by_role[k] for r, k in zip(ROLES, "PSDUGVA", strict=True)}


ALL_200 = row(P=200, S=200, D=200, U=403, G=200, V=200, A=200)
PAGES: dict[str, tuple[str, str, dict[Role, int]]] = {
    "list": ("get", "/petitions/", ALL_200),
    "list_filtered": ("get", "/petitions/?state=handling&channel=letter&due=overdue&repeat=no&q=征地", ALL_200),
    "export": ("get", "/petitions/?export=xlsx", ALL_200),
    "create": ("get", "/petitions/new/", row(P=200, S=200, D=403, U=403, G=200, V=403, A=403)),
    "queue": ("get", "/petitions/queue/", row(P=403, S=200, D=403, U=403, G=403, V=403, A=403)),
    "instructions": ("get", "/petitions/instructions/", row(P=200, S=403, D=403, U=403, G=403, V=403, A=403)),
    "lookup": ("post", "/petitions/lookup/", row(P=200, S=200, D=403, U=403, G=403, V=403, A=403)),
    "detail_own": ("get", "/petitions/{own}/", row(P=200, S=200, D=200, U=404, G=200, V=200, A=200)),
    "detail_other": ("get", "/petitions/{other}/", row(P=404, S=404, D=404, U=404, G=404, V=200, A=200)),
    "reveal_own": ("post", "/petitions/{own}/reveal/", row(P=200, S=200, D=403, U=404, G=403, V=403, A=403)),
    "reveal_other": ("post", "/petitions/{other}/reveal/", row(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
    "notice_own": ("get", "/petitions/{own}/notices/accept/", row(P=200, S=200, D=403, U=404, G=403, V=403, A=403)),
    "notice_other": ("get", "/petitions/{other}/notices/accept/",
                     row(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
    "accept_own": ("post", "/petitions/{fresh}/do/accept/", row(P=403, S=302, D=403, U=404, G=403, V=403, A=403)),
    "accept_other": ("post", "/petitions/{other}/do/accept/", row(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
    "instruct_own": ("post", "/petitions/{own}/do/instruct/", row(P=302, S=403, D=403, U=404, G=403, V=403, A=403)),
    "from_suggestion": ("post", "/petitions/from-suggestion/999999/",
                        row(P=403, S=404, D=403, U=403, G=403, V=403, A=403)),
}

API: dict[str, tuple[str, str, dict[str, Any] | None, dict[Role, int]]] = {
    "list": ("get", "/api/petitions", None, ALL_200),
    "get_own": ("get", "/api/petitions/{own}", None, row(P=200, S=200, D=200, U=404, G=200, V=200, A=200)),
    "get_other": ("get", "/api/petitions/{other}", None, row(P=404, S=404, D=404, U=404, G=404, V=200, A=200)),
    "register": ("post", "/api/petitions", {"channel": "visit", "subject": "来访", "grid_id": "{grid}",
                                              "petitioners": [{"name": "赵六", "phone": "13700000001"}]},
                 row(P=201, S=201, D=403, U=403, G=201, V=403, A=403)),
    "reveal_own": ("post", "/api/petitions/{own}/reveal", {"reason": "电话回访信访人"},
                   row(P=200, S=200, D=403, U=404, G=403, V=403, A=403)),
    "reveal_other": ("post", "/api/petitions/{other}/reveal", {"reason": "电话回访信访人"},
                     row(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
    "notice_own": ("get", "/api/petitions/{own}/notices/accept", None,
                   row(P=200, S=200, D=403, U=404, G=403, V=403, A=403)),
    "accept": ("post", "/api/petitions/{fresh}/accept", {"version": "{fresh_version}"},
               row(P=403, S=200, D=403, U=404, G=403, V=403, A=403)),
    "accept_other": ("post", "/api/petitions/{other}/accept", {"version": 2},
                     row(P=404, S=404, D=404, U=404, G=404, V=403, A=403)),
    "decline": ("post", "/api/petitions/{fresh}/decline", {"version": "{fresh_version}", "reason": "不属于受理范围"},
                row(P=403, S=200, D=403, U=404, G=403, V=403, A=403)),
    "route": ("post", "/api/petitions/{fresh}/route", {"version": "{fresh_version}",
                                                       "presidium_member_id": "{presidium}"},
              row(P=403, S=200, D=403, U=404, G=403, V=403, A=403)),
    "instruct": ("post", "/api/petitions/{own}/instruct", {"version": "{own_version}", "text": "请核实办理"},
                 row(P=200, S=403, D=403, U=404, G=403, V=403, A=403)),
    "to_suggestion": ("post", "/api/petitions/{fresh}/to_suggestion", {"version": "{fresh_version}"},
                      row(P=403, S=200, D=403, U=404, G=403, V=403, A=403)),
}


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _ids(world: World, f: Fixture) -> dict[str, Any]:
    own, fresh = Petition.objects.get(pk=f.own.pk), Petition.objects.get(pk=f.fresh.pk)
    return {"own": own.pk, "other": f.other.pk, "fresh": fresh.pk, "grid": world.grid.pk,
            "fresh_version": fresh.version, "own_version": own.version, "presidium": world.presidium_deputy.pk}


def _post_data(name: str) -> dict[str, str]:
    if name.startswith("reveal"):
        return {"reason": "电话回访信访人"}
    if name.startswith("instruct"):
        return {"instruct-version": "2", "instruct-text": "请核实办理"}
    if name == "lookup":
        return {"phone": "13912345678"}
    if name.startswith("accept"):
        return {"accept-version": "0"}
    return {}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages(world: World, page: str, role: Role) -> None:
    f = Fixture(world)
    method, url, expected = PAGES[page]
    client = Client()
    client.force_login(world.users[role])
    url = url.format(**_ids(world, f))
    response = client.get(url) if method == "get" else client.post(url, _post_data(page))
    assert response.status_code == expected[role], (page, role, response.content[:300])


@pytest.mark.parametrize("endpoint", list(API))
@pytest.mark.parametrize("role", ROLES)
def test_api(world: World, endpoint: str, role: Role) -> None:
    f = Fixture(world)
    method, url, body, expected = API[endpoint]
    ids = _ids(world, f)
    client = Client()
    client.force_login(world.users[role])
    url = url.format(**ids)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post(url, data=json.dumps(_fill(body, ids)), content_type="application/json")
    assert response.status_code == expected[role], (endpoint, role, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    assert client.get("/petitions/").status_code == 302
    assert client.get("/api/petitions").status_code == 401


def test_policy_without_object() -> None:
    assert not policy.can(type("U", (), {"is_authenticated": False})(), "list")


def test_openapi_lists_the_endpoints(client: Client, world: World) -> None:
    client.force_login(world.users[S])
    paths = [p for p in client.get("/api/openapi.json").json()["paths"] if p.startswith("/api/petitions")]
    for suffix in ("", "/{petition_id}", "/{petition_id}/reveal", "/{petition_id}/notices/{kind}",
                   "/{petition_id}/accept", "/{petition_id}/decline", "/{petition_id}/extend",
                   "/{petition_id}/issue_opinion", "/{petition_id}/request_review", "/{petition_id}/answer_review",
                   "/{petition_id}/request_rereview", "/{petition_id}/answer_rereview", "/{petition_id}/route",
                   "/{petition_id}/instruct", "/{petition_id}/to_suggestion"):
        assert "/api/petitions" + suffix in paths
