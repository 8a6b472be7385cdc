"""The policy matrix for every staff page of the organization: every role × every page,
own town's and another town's objects (404), plus the role home pages."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.core.roles import Role

ALL_ROLES = list(Role)
READERS = {Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN}
WRITERS = {Role.STAFF, Role.ADMIN}

# resource url prefix -> (own-town object attr, other-town object attr, roles that see the own object as "theirs")
RESOURCES: dict[str, tuple[str, str, set[str]]] = {
    "towns": ("town", "other_town", set()),
    "villages": ("village", "other_village", set()),
    "grids": ("grid", "other_grid", {Role.GRID_WORKER}),
    "grid-workers": ("grid_worker", "other_grid_worker", {Role.GRID_WORKER}),
    "units": ("unit", "other_unit", {Role.UNIT}),
    "deputies": ("plain_deputy", "other_deputy", {Role.DEPUTY}),
    "contacts": ("contact", "other_contact", set()),
    "users": ("extra_user", "other_staff", set()),
}
HAS_EDIT = {"towns", "villages", "grids", "grid-workers", "units", "deputies", "users"}


def expected(resource: str, role: str, kind: str) -> int:
    own_special = RESOURCES[resource][2]
    readers = {Role.STAFF, Role.ADMIN} if resource == "users" else READERS
    writers = {Role.ADMIN} if resource == "towns" else WRITERS
    if resource == "deputies" and role == Role.DEPUTY:
        own_special = set()  # plain_deputy is the extra user's deputy, not the deputy user's
    if kind in {"list", "export"}:
        return 200 if role in readers else 403
    if kind == "create":
        return 200 if role in writers else 403
    if kind == "detail_own":
        return 200 if role in readers or role in own_special else 404
    if kind == "detail_other":
        if resource == "users":
            return 200 if role == Role.ADMIN else 404
        return 200 if role in {Role.DISTRICT_VIEWER, Role.ADMIN} else 404
    if kind == "change_own":
        if role in writers:
            return 200
        return 403 if role in readers or role in own_special else 404
    if kind == "change_other":
        if role == Role.ADMIN:
            return 200
        if resource == "users":
            return 404
        return 403 if role == Role.DISTRICT_VIEWER else 404
    raise AssertionError(kind)


def cases() -> list[tuple[str, str, str]]:
    out = []
    for resource in RESOURCES:
        kinds = ["list", "export", "create", "detail_own", "detail_other", "change_own", "change_other"]
        for role in ALL_ROLES:
            for kind in kinds:
                out.append((resource, role.value, kind))
    return out


def url_for(world: World, resource: str, kind: str) -> list[str]:
    own = getattr(world, RESOURCES[resource][0])
    other = getattr(world, RESOURCES[resource][1])
    base = f"/{resource}/"
    if kind == "list":
        return [base]
    if kind == "export":
        return [base + "?export=xlsx"]
    if kind == "create":
        return [base + "new/"]
    if kind == "detail_own":
        return [f"{base}{own.pk}/"]
    if kind == "detail_other":
        return [f"{base}{other.pk}/"]
    obj = own if kind == "change_own" else other
    urls = [f"{base}{obj.pk}/deactivate/"]
    if resource in HAS_EDIT:
        urls.append(f"{base}{obj.pk}/edit/")
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "role", "kind"), cases())
def test_page_matrix(shared_world: World, db: None, client: Client, resource: str, role: str, kind: str) -> None:
    world = shared_world
    client.force_login(world.users[role])
    for url in url_for(world, resource, kind):
        response = client.get(url)
        assert response.status_code == expected(resource, role, kind), (url, role, response.status_code)


HOMES = {
    Role.PRESIDIUM: ("/home/presidium/", "主席团工作台"),
    Role.STAFF: ("/home/office/", "人大办工作台"),
    Role.DEPUTY: ("/home/deputy/", "代表履职"),
    Role.UNIT: ("/home/unit/", "承办单位工作台"),
    Role.GRID_WORKER: ("/home/grid/", "网格员工作台"),
    Role.DISTRICT_VIEWER: ("/home/district/", "全区概况"),
    Role.ADMIN: ("/home/admin/", "系统管理"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_lands_on_its_own_home(world: World, client: Client, role: Role) -> None:
    client.force_login(world.users[role])
    response = client.get("/home/")
    url, heading = HOMES[role]
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert heading in page.content.decode()
    for other_role, (other_url, _h) in HOMES.items():
        if other_role != role:
            assert client.get(other_url).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world: World, client: Client) -> None:
    for resource in RESOURCES:
        response = client.get(f"/{resource}/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_denied_and_hidden_accesses_are_logged(world: World, client: Client) -> None:
    from renda.audit.models import SecurityEvent

    client.force_login(world.users[Role.STAFF])
    assert client.get(f"/deputies/{world.other_deputy.pk}/").status_code == 404
    client.force_login(world.users[Role.UNIT])
    assert client.get("/deputies/").status_code == 403
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert "not_found" in kinds and "access_denied" in kinds
