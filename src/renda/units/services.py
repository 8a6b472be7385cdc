"""The only writers of handling units."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
from renda.core.services import create_audited, lock, set_active, update_audited
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.places.models import Level, Region
from renda.units import policy
from renda.units.models import Unit


def _check(*, town: Region, name: str, phone: str, exclude_pk: Any = None) -> None:
    if town.level != Level.TOWN:
        raise InvalidInput(_("承办单位必须属于一个镇街"), fields={"town": _("不是镇街")})
    if not name:
        raise InvalidInput(_("请填写单位名称"), fields={"name": _("必填")})
    if phone and not is_phone(phone):
        raise InvalidInput(_("联系电话格式不正确"), fields={"contact_phone": _("格式不正确")})
    if Unit.objects.filter(town=town, name=name).exclude(pk=exclude_pk).exists():
        raise InvalidInput(
            _("{town}已有名为「{name}」的承办单位").format(town=town.name, name=name), fields={"name": _("已存在")}
        )


@transaction.atomic
def unit_create(
    *, actor: Actor, town: Region, name: str, kind: str, contact_person: str = "", contact_phone: str = ""
) -> Unit:
    unit = Unit(town=town, name=name.strip(), kind=kind, contact_person=contact_person.strip(),
                contact_phone=contact_phone.strip())
    policy.require(actor, "create", unit)
    _check(town=town, name=unit.name, phone=unit.contact_phone)
    return create_audited(unit, actor=actor, verb="unit.create")


@transaction.atomic
def unit_update(
    *, actor: Actor, unit_id: int, name: str | None = None, kind: str | None = None,
    contact_person: str | None = None, contact_phone: str | None = None,
) -> tuple[Unit, bool]:
    unit = lock(Unit, unit_id)
    policy.require(actor, "change", unit)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if kind is not None:
        changes["kind"] = kind
    if contact_person is not None:
        changes["contact_person"] = contact_person.strip()
    if contact_phone is not None:
        changes["contact_phone"] = contact_phone.strip()
    _check(town=unit.town, name=changes.get("name", unit.name), phone=changes.get("contact_phone", unit.contact_phone),
           exclude_pk=unit.pk)
    return update_audited(unit, actor=actor, verb="unit.update", changes=changes)


@transaction.atomic
def unit_deactivate(*, actor: Actor, unit_id: int, reason: str = "") -> Unit:
    unit = lock(Unit, unit_id)
    policy.require(actor, "deactivate", unit)
    return set_active(unit, actor=actor, verb="unit.deactivate", active=False, comment=reason)


@transaction.atomic
def unit_activate(*, actor: Actor, unit_id: int) -> Unit:
    unit = lock(Unit, unit_id)
    policy.require(actor, "deactivate", unit)
    return set_active(unit, actor=actor, verb="unit.activate", active=True)
