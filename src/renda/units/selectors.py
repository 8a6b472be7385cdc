"""Reads of handling units, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from renda.core.policy import sees_every_town
from renda.core.roles import ORG_READERS, Role
from renda.units.models import Unit


def units_visible_to(user: Any) -> QuerySet[Unit]:
    qs = Unit.objects.select_related("town")
    if user is None:
        return qs
    if user.role == Role.UNIT:
        return qs.filter(pk=user.unit_id)
    if user.role not in ORG_READERS:
        return qs.none()
    if sees_every_town(user):
        return qs
    return qs.filter(town_id=user.town_id)
