from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from renda.accounts.models import User
from renda.core.roles import Role


def users_visible_to(user: Any) -> QuerySet[User]:
    qs = User.objects.select_related("town", "unit", "deputy", "grid_worker")
    if user is None or (user.role == Role.ADMIN and user.town_id is None):
        return qs
    if user.role in {Role.ADMIN, Role.STAFF}:
        return qs.filter(town_id=user.town_id)
    return qs.filter(pk=user.pk)
