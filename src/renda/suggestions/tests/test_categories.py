"""The per-town category list that office staff edit: pages, policy, audit."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.support import World

from renda.audit.models import AuditEvent
from renda.core.roles import Role
from renda.suggestions import services
from renda.suggestions.models import SuggestionCategory

pytestmark = pytest.mark.django_db

EXPECTED_LIST = {Role.PRESIDIUM: 200, Role.STAFF: 200, Role.DEPUTY: 403, Role.UNIT: 403, Role.GRID_WORKER: 403,
                 Role.DISTRICT_VIEWER: 200, Role.ADMIN: 200}
EXPECTED_CREATE = {Role.STAFF: 200, Role.ADMIN: 200}


@pytest.mark.parametrize("role", list(Role))
def test_category_pages_by_role(world: World, client: Client, role: Role) -> None:
    own = services.suggestion_category_create(actor=None, town=world.town, name="城乡建设")
    other = services.suggestion_category_create(actor=None, town=world.other_town, name="交通出行")
    client.force_login(world.users[role])
    assert client.get("/suggestions/categories/").status_code == EXPECTED_LIST[role]
    assert client.get("/suggestions/categories/new/").status_code == EXPECTED_CREATE.get(role, 403)
    other_status = client.get(f"/suggestions/categories/{other.pk}/").status_code
    assert other_status == (200 if role in {Role.DISTRICT_VIEWER, Role.ADMIN} else 404)
    edit = client.get(f"/suggestions/categories/{own.pk}/edit/").status_code
    assert edit == (200 if role in {Role.STAFF, Role.ADMIN} else (403 if role in {Role.PRESIDIUM, Role.DISTRICT_VIEWER,
                                                                                Role.DEPUTY, Role.UNIT,
                                                                                Role.GRID_WORKER} else 404))


def test_staff_add_rename_and_deactivate(world: World, client: Client) -> None:
    client.force_login(world.users[Role.STAFF])
    response = client.post("/suggestions/categories/new/", {"name": "农业农村"}, follow=True)
    assert "已新增" in response.content.decode()
    cat = SuggestionCategory.objects.get(town=world.town, name="农业农村")
    dup = client.post("/suggestions/categories/new/", {"name": "农业农村"})
    assert dup.status_code == 200 and "已" in dup.content.decode()
    client.post(f"/suggestions/categories/{cat.pk}/edit/", {"name": "农业农村发展"})
    cat.refresh_from_db()
    assert cat.name == "农业农村发展"
    client.post(f"/suggestions/categories/{cat.pk}/deactivate/", {"reason": "合并类别"})
    cat.refresh_from_db()
    assert not cat.is_active
    verbs = set(AuditEvent.objects.filter(target_id=str(cat.pk), target_type="suggestions.suggestioncategory")
                .values_list("verb", flat=True))
    assert {"suggestion_category.create", "suggestion_category.deactivate"} <= verbs
