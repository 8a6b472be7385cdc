"""Reads of deputies and contact assignments, restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from renda.core.policy import sees_every_town
from renda.core.roles import ORG_READERS, Role
from renda.people.models import ContactAssignment, Deputy


def deputies_visible_to(user: Any) -> QuerySet[Deputy]:
    qs = Deputy.objects.select_related("town", "village").prefetch_related("grids")
    if sees_every_town(user):
        return qs
    if user.role not in ORG_READERS:
        return qs.filter(pk=user.deputy_id) if user.deputy_id else qs.none()
    return qs.filter(town_id=user.town_id)


def presidium_members_visible_to(user: Any) -> QuerySet[Deputy]:
    return deputies_visible_to(user).filter(is_presidium=True)


def contact_assignments_visible_to(user: Any) -> QuerySet[ContactAssignment]:
    qs = ContactAssignment.objects.select_related("presidium_member", "deputy", "town")
    if sees_every_town(user):
        return qs
    if user.role not in ORG_READERS:
        return qs.none()
    if user.role == Role.PRESIDIUM:
        return qs.filter(Q(town_id=user.town_id))
    return qs.filter(town_id=user.town_id)


def deputy_by_name_phone(name: str, phone: str) -> Deputy | None:
    return Deputy.objects.filter(name=name, phone=phone).first()


def presidium_contacts_of(deputy_id: int | None) -> QuerySet[Deputy]:
    """The serving presidium members assigned to keep in touch with this deputy (联系代表): whom a
    deputy turns to, shown on their own home page."""
    if not deputy_id:
        return Deputy.objects.none()
    return Deputy.objects.filter(is_active=True, contact_assignments__deputy_id=deputy_id,
                                 contact_assignments__is_active=True).distinct().order_by("name", "id")
