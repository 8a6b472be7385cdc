"""The only writers of deputies and contact assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renda.core.errors import InvalidInput
from renda.core.services import create_audited, lock, set_active, update_audited
from renda.core.types import Actor
from renda.core.validators import is_phone
from renda.people import policy
from renda.people.models import ContactAssignment, Deputy
from renda.places.models import Level, Region

_UNSET: Any = object()


def _check_places(town: Region, village: Region | None, grids: Sequence[Region]) -> None:
    if town.level != Level.TOWN:
        raise InvalidInput(_("所属镇街不正确"), fields={"town": _("不是镇街")})
    if village is not None and (village.level != Level.VILLAGE or village.town_id != town.pk):
        raise InvalidInput(
            _("村社区「{name}」不属于{town}").format(name=village.name, town=town.name),
            fields={"village": _("不属于本镇街")},
        )
    for g in grids:
        if g.level != Level.GRID or g.town_id != town.pk:
            raise InvalidInput(
                _("网格「{name}」不属于{town}").format(name=g.name, town=town.name), fields={"grids": _("不属于本镇街")}
            )


def _check_phone(phone: str) -> None:
    if not is_phone(phone):
        raise InvalidInput(_("手机号格式不正确"), fields={"phone": _("格式不正确")})


@transaction.atomic
def deputy_create(
    *,
    actor: Actor,
    name: str,
    phone: str,
    level: str,
    town: Region,
    term: str = "",
    constituency: str = "",
    village: Region | None = None,
    is_presidium: bool = False,
    serving_from: dt.date | None = None,
    serving_to: dt.date | None = None,
    grids: Sequence[Region] = (),
    phone_public: bool = False,
) -> Deputy:
    deputy = Deputy(
        name=name.strip(),
        phone=phone.strip(),
        level=level,
        town=town,
        term=term.strip(),
        constituency=constituency.strip(),
        village=village,
        is_presidium=is_presidium,
        serving_from=serving_from,
        serving_to=serving_to,
        phone_public=phone_public,
    )
    policy.require(actor, "create", deputy)
    _check_phone(deputy.phone)
    _check_places(town, village, grids)
    if Deputy.objects.filter(name=deputy.name, phone=deputy.phone).exists():
        raise InvalidInput(
            _("已有同名同手机号的代表「{name}」").format(name=deputy.name), fields={"phone": _("已存在")}
        )
    return create_audited(deputy, actor=actor, verb="deputy.create", m2m={"grids": grids})


@transaction.atomic
def deputy_update(
    *,
    actor: Actor,
    deputy_id: int,
    name: str | None = None,
    phone: str | None = None,
    level: str | None = None,
    term: str | None = None,
    constituency: str | None = None,
    village: Region | None = _UNSET,
    is_presidium: bool | None = None,
    serving_from: dt.date | None = _UNSET,
    serving_to: dt.date | None = _UNSET,
    grids: Sequence[Region] | None = None,
    phone_public: bool | None = None,
) -> tuple[Deputy, bool]:
    deputy = lock(Deputy, deputy_id)
    policy.require(actor, "change", deputy)
    changes: dict[str, Any] = {}
    for field, value in (("name", name), ("phone", phone), ("term", term), ("constituency", constituency)):
        if value is not None:
            changes[field] = value.strip()
    if level is not None:
        changes["level"] = level
    if is_presidium is not None:
        if deputy.is_presidium and not is_presidium and deputy.contact_assignments.filter(is_active=True).exists():
            raise InvalidInput(
                _("该主席团成员还有联系代表安排，请先停用这些安排"), fields={"is_presidium": _("有联系安排")}
            )
        changes["is_presidium"] = is_presidium
    if phone_public is not None:
        changes["phone_public"] = phone_public
    optional: tuple[tuple[str, Any], ...] = (
        ("village", village), ("serving_from", serving_from), ("serving_to", serving_to))
    for field, value in optional:
        if value is not _UNSET:
            changes[field] = value
    if "phone" in changes:
        _check_phone(changes["phone"])
    _check_places(deputy.town, changes.get("village", deputy.village), grids or ())
    new_name, new_phone = changes.get("name", deputy.name), changes.get("phone", deputy.phone)
    if Deputy.objects.filter(name=new_name, phone=new_phone).exclude(pk=deputy.pk).exists():
        raise InvalidInput(_("已有同名同手机号的代表「{name}」").format(name=new_name), fields={"phone": _("已存在")})
    m2m = {"grids": grids} if grids is not None else None
    return update_audited(deputy, actor=actor, verb="deputy.update", changes=changes, m2m=m2m)


@transaction.atomic
def deputy_deactivate(*, actor: Actor, deputy_id: int, serving_to: dt.date | None = None, reason: str = "") -> Deputy:
    deputy = lock(Deputy, deputy_id)
    policy.require(actor, "deactivate", deputy)
    extra = {"serving_to": serving_to} if serving_to is not None else {}
    obj = set_active(deputy, actor=actor, verb="deputy.deactivate", active=False, comment=reason, extra=extra)
    for assignment in ContactAssignment.objects.select_for_update().filter(deputy=deputy, is_active=True):
        set_active(assignment, actor=actor, verb="contact_assignment.deactivate", active=False,
                   comment=_("代表停用"))
    return obj


@transaction.atomic
def deputy_activate(*, actor: Actor, deputy_id: int) -> Deputy:
    deputy = lock(Deputy, deputy_id)
    policy.require(actor, "deactivate", deputy)
    return set_active(deputy, actor=actor, verb="deputy.activate", active=True)


@transaction.atomic
def contact_assignment_create(*, actor: Actor, presidium_member: Deputy, deputy: Deputy) -> ContactAssignment:
    assignment = ContactAssignment(presidium_member=presidium_member, deputy=deputy, town=presidium_member.town)
    policy.require(actor, "create", assignment)
    if not presidium_member.is_presidium:
        raise InvalidInput(
            _("「{name}」不是主席团成员").format(name=presidium_member.name),
            fields={"presidium_member": _("不是主席团成员")},
        )
    if presidium_member.pk == deputy.pk:
        raise InvalidInput(_("主席团成员不能联系自己"), fields={"deputy": _("不能是本人")})
    if deputy.town_id != presidium_member.town_id:
        raise InvalidInput(_("只能联系本镇街的代表"), fields={"deputy": _("不属于本镇街")})
    if not (presidium_member.is_active and deputy.is_active):
        raise InvalidInput(_("停用的代表不能安排联系"))
    existing = (
        ContactAssignment.objects.select_for_update().filter(presidium_member=presidium_member, deputy=deputy).first()
    )
    if existing is not None:
        if existing.is_active:
            raise InvalidInput(
                _("「{p}」已联系代表「{d}」").format(p=presidium_member.name, d=deputy.name),
                fields={"deputy": _("已安排")},
            )
        obj, _c = update_audited(existing, actor=actor, verb="contact_assignment.activate", changes={"is_active": True})
        return obj
    return create_audited(assignment, actor=actor, verb="contact_assignment.create")


@transaction.atomic
def contact_assignment_deactivate(*, actor: Actor, assignment_id: int, reason: str = "") -> ContactAssignment:
    assignment = lock(ContactAssignment, assignment_id)
    policy.require(actor, "deactivate", assignment)
    return set_active(assignment, actor=actor, verb="contact_assignment.deactivate", active=False, comment=reason)
