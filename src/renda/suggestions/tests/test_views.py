"""The suggestion pages: policy matrix (every page × every role, own/other town, another
unit's item), list query count, actions through the services, stale pages, similar items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.support import World, make_unit

from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import Suggestion
from renda.suggestions.tests.helpers import assigned, deputy_item, public_item

ALL_ROLES = list(Role)
REGISTERS = {Role.STAFF, Role.PRESIDIUM, Role.ADMIN, Role.DEPUTY, Role.GRID_WORKER}
TODAY = dt.date.today()


class Items:
    def __init__(self, world: World) -> None:
        # Own town: a deputy suggestion of world.deputy, from world.grid, assigned to world.unit.
        self.own = deputy_item(world, grid=world.grid, on=TODAY)
        services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=self.own.pk, lead_unit=world.unit,
                                   on=TODAY)
        # Own town, another unit's item.
        self.other_unit_item = public_item(world, on=TODAY, grid=None, title="路灯维修")
        services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=self.other_unit_item.pk,
                                   lead_unit=make_unit(world.town), on=TODAY)
        # Another town's item.
        self.other = services.suggestion_register(actor=world.other_staff, town=world.other_town, kind="public",
                                                  title="修路", submitter_name="李四", on=TODAY)


PAGES = ["list", "export", "create", "similar", "queue", "inbox", "mine", "detail_own", "detail_other",
         "detail_other_unit"]


def expected(page: str, role: Role) -> int:
    if page in {"list", "export"}:
        return 200
    if page in {"create", "similar"}:
        return 200 if role in REGISTERS else 403
    if page == "queue":
        return 200 if role == Role.STAFF else 403
    if page == "inbox":
        return 200 if role == Role.UNIT else 403
    if page == "mine":
        return 200 if role in {Role.DEPUTY, Role.PRESIDIUM} else 403
    if page == "detail_own":
        return 200
    if page == "detail_other":
        return 200 if role in {Role.DISTRICT_VIEWER, Role.ADMIN} else 404
    if page == "detail_other_unit":
        return 200 if role in {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN} else 404
    raise AssertionError(page)


def url(items: Items, page: str) -> str:
    return {
        "list": "/suggestions/", "export": "/suggestions/?export=xlsx", "create": "/suggestions/new/",
        "similar": "/suggestions/similar/?title=路灯", "queue": "/suggestions/queue/", "inbox": "/suggestions/inbox/",
        "mine": "/suggestions/mine/", "detail_own": f"/suggestions/{items.own.pk}/",
        "detail_other": f"/suggestions/{items.other.pk}/",
        "detail_other_unit": f"/suggestions/{items.other_unit_item.pk}/",
    }[page]


@pytest.fixture(scope="module")
def shared_items(shared_world: World, django_db_blocker: object) -> Items:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return Items(shared_world)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_page_matrix(shared_world: World, shared_items: Items, client: Client, page: str, role: Role) -> None:
    client.force_login(shared_world.users[role])
    response = client.get(url(shared_items, page))
    assert response.status_code == expected(page, role), (page, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_actions_on_another_towns_item_are_404(shared_world: World, shared_items: Items, client: Client,
                                               role: Role) -> None:
    client.force_login(shared_world.users[role])
    response = client.post(f"/suggestions/{shared_items.other.pk}/do/decline/",
                           {"decline-version": 0, "decline-reason": "x", "decline-confirm": "on"})
    # The district administrator is the office of every town; the district viewer only reads.
    assert response.status_code == {Role.ADMIN: 302, Role.DISTRICT_VIEWER: 403}.get(role, 404)


@pytest.mark.django_db
def test_unit_cannot_act_on_another_units_item(world: World, client: Client) -> None:
    item = public_item(world, on=TODAY)
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=item.pk, lead_unit=make_unit(world.town),
                               on=TODAY)
    client.force_login(world.users[Role.UNIT])
    assert client.post(f"/suggestions/{item.pk}/do/accept/", {"accept-version": 1}).status_code == 404
    assert Suggestion.objects.get(pk=item.pk).state == "assigned"


@pytest.mark.django_db
def test_list_query_count_is_constant(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    for i in range(2):
        assigned(world, public_item(world, title=f"事项{i}"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/suggestions/?sort=-deadline").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        assigned(world, deputy_item(world, title=f"建议{i}", grid=world.grid))
    assert count() == few


@pytest.mark.django_db
def test_list_filters_search_and_export(world: World, client: Client) -> None:
    a = assigned(world, public_item(world, title="修建公交车站台"))
    public_item(world, title="路灯", content="三组路灯不亮")
    client.force_login(world.users[Role.STAFF])
    body = client.get("/suggestions/?q=站台").content.decode()
    assert a.code in body and "路灯" not in body
    assert "路灯" in client.get("/suggestions/?q=灯").content.decode()  # one character
    body = client.get(f"/suggestions/?state=assigned&unit={world.unit.pk}&due=overdue").content.decode()
    assert a.code in body  # assigned in 2023: long overdue
    assert a.code not in client.get("/suggestions/?state=registered").content.decode()
    response = client.get("/suggestions/?q=站台&export=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def _post(client: Client, item: Suggestion, action: str, **data: object) -> str:
    item.refresh_from_db()
    prefix = {"co_opinion": "coopinion", "request_extension": "requestextension",
              "approve_extension": "decideextension"}.get(action, action)
    payload = {f"{prefix}-version": item.version, **{f"{prefix}-{k}": v for k, v in data.items()}}
    response = client.post(f"/suggestions/{item.pk}/do/{action}/", payload, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_assign_then_accept_through_the_pages(world: World, client: Client) -> None:
    item = public_item(world, on=TODAY)
    client.force_login(world.users[Role.STAFF])
    page = client.get(f"/suggestions/{item.pk}/").content.decode()
    assert 'id="action-assign"' in page and 'id="action-decline"' in page and 'id="action-accept"' not in page
    assert "张**" in page or "张*" in page  # masked submitter
    assert "张小三" not in page
    body = _post(client, item, "assign", lead_unit=world.unit.pk)
    assert "已交办给" in body
    client.force_login(world.users[Role.UNIT])
    page = client.get(f"/suggestions/{item.pk}/").content.decode()
    assert 'id="action-accept"' in page and 'id="action-return"' in page and 'id="action-assign"' not in page
    body = _post(client, item, "accept")
    assert "已签收" in body
    item.refresh_from_db()
    assert item.state == "accepted"


@pytest.mark.django_db
def test_stale_page_gets_the_conflict_message(world: World, client: Client) -> None:
    item = public_item(world, on=TODAY)
    client.force_login(world.users[Role.STAFF])
    stale_version = item.version
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=item.pk, lead_unit=world.unit, on=TODAY)
    services.suggestion_return(actor=world.users[Role.UNIT], suggestion_id=item.pk, reason="非本单位职责", on=TODAY)
    response = client.post(f"/suggestions/{item.pk}/do/assign/",
                           {"assign-version": stale_version, "assign-lead_unit": world.unit.pk})
    assert "该事项已被他人处理，请刷新后重试" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "registered"


@pytest.mark.django_db
def test_a_stale_page_whose_action_is_gone_gets_the_conflict_not_the_refusal(world: World, client: Client) -> None:
    """Two offices opened the page together; the other assigned first. The assign no longer
    offered is answered with why: the page is out of date (409), not 「已交办」不能交办."""
    item = public_item(world, on=TODAY)
    client.force_login(world.users[Role.STAFF])
    stale_version = item.version
    services.suggestion_assign(actor=world.users[Role.STAFF], suggestion_id=item.pk, lead_unit=world.unit, on=TODAY)
    response = client.post(f"/suggestions/{item.pk}/do/assign/",
                           {"assign-version": stale_version, "assign-lead_unit": world.unit.pk})
    assert response.status_code == 409
    assert "该事项已被他人处理，请刷新后重试" in response.content.decode()
    # The same action posted from a fresh page is refused with the table's reason.
    item.refresh_from_db()
    response = client.post(f"/suggestions/{item.pk}/do/assign/",
                           {"assign-version": item.version, "assign-lead_unit": world.unit.pk})
    assert response.status_code == 409
    assert "该事项已被他人处理" not in response.content.decode()


@pytest.mark.django_db
def test_destructive_actions_need_confirmation(world: World, client: Client) -> None:
    item = public_item(world, on=TODAY)
    client.force_login(world.users[Role.STAFF])
    response = client.post(f"/suggestions/{item.pk}/do/decline/",
                           {"decline-version": item.version, "decline-reason": "属个人诉求"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.state == "registered"
    _post(client, item, "decline", reason="属个人诉求", confirm="on")
    item.refresh_from_db()
    assert item.state == "declined"


@pytest.mark.django_db
def test_merge_by_code(world: World, client: Client) -> None:
    target = public_item(world, on=TODAY)
    item = public_item(world, on=TODAY, submitter_name="王五")
    client.force_login(world.users[Role.STAFF])
    body = _post(client, item, "merge", into=target.code, confirm="on")
    assert f"已合并至 {target.code}" in body
    item.refresh_from_db()
    assert item.state == "merged" and item.merged_into_id == target.pk


@pytest.mark.django_db
def test_full_cycle_with_the_deputy(world: World, client: Client) -> None:
    item = deputy_item(world, on=TODAY)
    staff, unit, deputy = (world.users[r] for r in (Role.STAFF, Role.UNIT, Role.DEPUTY))
    client.force_login(staff)
    _post(client, item, "assign", lead_unit=world.unit.pk)
    client.force_login(unit)
    _post(client, item, "accept")
    _post(client, item, "reply", reply_class="A", text="已完成施工")
    client.force_login(deputy)
    assert "待测评" in client.get("/suggestions/mine/").content.decode()
    body = _post(client, item, "evaluate", result="dissatisfied", comment="未落实")
    assert "重新办理" in body
    item.refresh_from_db()
    assert item.state == "accepted" and item.rehandle_count == 1
    client.force_login(unit)
    _post(client, item, "reply", reply_class="A", text="已整改")
    client.force_login(deputy)
    _post(client, item, "evaluate", result="satisfied")
    client.force_login(staff)
    body = _post(client, item, "close")
    item.refresh_from_db()
    assert item.state == "closed" and "已办结" in body


@pytest.mark.django_db
def test_similar_partial_and_one_step_merge(world: World, client: Client) -> None:
    existing = public_item(world, on=TODAY, title="修建公交车站台", content="村口无公交车站台，雨天候车难")
    public_item(world, on=TODAY, title="路灯维修", content="三组路灯不亮")
    client.force_login(world.users[Role.STAFF])
    body = client.get("/suggestions/similar/", {"title": "建公交车站台"}).content.decode()
    assert existing.code in body and "路灯" not in body and "登记并合并至此件" in body
    assert client.get("/suggestions/similar/", {"title": "天气"}).content.decode().strip() == ""
    response = client.post("/suggestions/new/", {
        "kind": "public", "title": "建公交车站台", "submitter_name": "赵六", "merge_into": existing.pk}, follow=True)
    assert "并合并至" in response.content.decode()
    new = Suggestion.objects.get(title="建公交车站台")
    assert new.state == "merged" and new.merged_into_id == existing.pk


@pytest.mark.django_db
def test_deputy_and_grid_worker_register(world: World, client: Client) -> None:
    client.force_login(world.users[Role.DEPUTY])
    response = client.post("/suggestions/new/", {"title": "农田水利", "content": "质量监督", "source": "recess",
                                                 "co_deputies": [world.plain_deputy.pk]}, follow=True)
    assert "已登记" in response.content.decode(), response.context["form"].errors
    s = Suggestion.objects.get(title="农田水利")
    assert s.kind == "deputy" and s.lead_deputy_id == world.deputy.pk
    client.force_login(world.users[Role.GRID_WORKER])
    response = client.post("/suggestions/new/", {"title": "垃圾清运", "grid": world.grid.pk, "submitter_name": "钱七"},
                           follow=True)
    assert "已登记" in response.content.decode()
    s = Suggestion.objects.get(title="垃圾清运")
    assert s.kind == "public" and s.source == "grid_reported" and s.grid_id == world.grid.pk
    assert client.post("/suggestions/new/", {"title": "x", "grid": world.other_grid.pk,
                                              "submitter_name": "钱七"}).status_code == 200
    assert not Suggestion.objects.filter(title="x").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.UNIT, Role.DEPUTY, Role.GRID_WORKER, Role.PRESIDIUM])
def test_home_pages_link_the_queues(world: World, client: Client, role: Role) -> None:
    assigned(world, deputy_item(world, grid=world.grid))
    client.force_login(world.users[role])
    body = client.get("/home/", follow=True).content.decode()
    # units and grid workers see their work as lists (suggestions/tests/test_home.py, gridwork/tests/test_home.py)
    card = {Role.UNIT: 'id="unit-work"', Role.GRID_WORKER: 'id="grid-work"'}.get(role, 'id="suggestion-queue"')
    assert card in body
