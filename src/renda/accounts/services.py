"""The only writers of users and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.accounts import policy
from renda.accounts.models import ApiToken, User
from renda.audit.security import log_event, log_event_limited
from renda.audit.services import record, snapshot
from renda.core import crypto
from renda.core.compiled import CompiledQuery
from renda.core.errors import InvalidInput
from renda.core.roles import DISTRICT_ROLES, Role
from renda.core.services import create_audited, lock, set_active, update_audited
from renda.core.types import Actor
from renda.core.validators import validate_mobile
from renda.people.models import Deputy
from renda.places.models import GridWorker, Level, Region
from renda.units.models import Unit


def _check_links(
    *, role: str, town: Region | None, unit: Unit | None, deputy: Deputy | None, grid_worker: GridWorker | None
) -> None:
    if role not in DISTRICT_ROLES and town is None:
        raise InvalidInput(_("请选择所属镇街"), fields={"town": _("必填")})
    if town is not None and town.level != Level.TOWN:
        raise InvalidInput(_("所属镇街不正确"), fields={"town": _("不是镇街")})
    if role == Role.UNIT and (unit is None or (town is not None and unit.town_id != town.pk)):
        raise InvalidInput(_("承办单位用户必须关联本镇街的一个承办单位"), fields={"unit": _("必填")})
    if role in {Role.DEPUTY, Role.PRESIDIUM}:
        if deputy is None or (town is not None and deputy.town_id != town.pk):
            raise InvalidInput(_("代表用户必须关联本镇街的一名代表"), fields={"deputy": _("必填")})
        if role == Role.PRESIDIUM and not deputy.is_presidium:
            raise InvalidInput(
                _("「{name}」不是主席团成员").format(name=deputy.name), fields={"deputy": _("不是主席团成员")}
            )
    if role == Role.GRID_WORKER and (grid_worker is None or (town is not None and grid_worker.town_id != town.pk)):
        raise InvalidInput(_("网格员用户必须关联本镇街的一名网格员"), fields={"grid_worker": _("必填")})


def _contact(*, email: str, phone: str) -> tuple[str, str]:
    """The e-mail address and mobile phone the outbox sends the user's notifications to."""
    email, phone = (email or "").strip(), crypto.normalize_phone(phone or "")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise InvalidInput(_("电子邮箱格式不正确"), fields={"email": _("格式不正确")}) from exc
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0], fields={"phone": exc.messages}) from exc
    return email, phone


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("；".join(exc.messages), fields={"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    town: Region | None = None,
    unit: Unit | None = None,
    deputy: Deputy | None = None,
    grid_worker: GridWorker | None = None,
    email: str = "",
    phone: str = "",
    validate: bool = True,
) -> User:
    email, phone = _contact(email=email, phone=phone)
    user = User(
        username=username.strip(),
        role=role,
        display_name=display_name.strip(),
        email=email,
        phone=phone,
        town=town,
        unit=unit if role == Role.UNIT else None,
        deputy=deputy if role in {Role.DEPUTY, Role.PRESIDIUM} else None,
        grid_worker=grid_worker if role == Role.GRID_WORKER else None,
    )
    policy.require(actor, "create", user)
    _check_links(role=role, town=town, unit=user.unit, deputy=user.deputy, grid_worker=user.grid_worker)
    if User.objects.filter(username__iexact=user.username).exists():
        raise InvalidInput(_("用户名「{u}」已被使用").format(u=user.username), fields={"username": _("已存在")})
    if validate:
        _check_password(password, user)
    user.set_password(password)
    user.is_superuser = user.is_staff = role == Role.ADMIN
    return create_audited(user, actor=actor, verb="user.create")


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user_id: int,
    display_name: str | None = None,
    role: str | None = None,
    town: Region | None = None,
    unit: Unit | None = None,
    deputy: Deputy | None = None,
    grid_worker: GridWorker | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> tuple[User, bool]:
    user = lock(User, user_id)
    policy.require(actor, "change", user)
    new_role = role or user.role
    new_town = town if town is not None else user.town
    changes: dict[str, Any] = {"role": new_role, "town": new_town}
    if display_name is not None:
        changes["display_name"] = display_name.strip()
    if email is not None or phone is not None:
        new_email, new_phone = _contact(email=user.email if email is None else email,
                                        phone=user.phone if phone is None else phone)
        changes["email"], changes["phone"] = new_email, new_phone
    changes["unit"] = (unit or user.unit) if new_role == Role.UNIT else None
    changes["deputy"] = (deputy or user.deputy) if new_role in {Role.DEPUTY, Role.PRESIDIUM} else None
    changes["grid_worker"] = (grid_worker or user.grid_worker) if new_role == Role.GRID_WORKER else None
    _check_links(
        role=new_role, town=new_town, unit=changes["unit"], deputy=changes["deputy"], grid_worker=changes["grid_worker"]
    )
    probe = User(role=new_role, town=new_town)
    policy.require(actor, "create", probe)  # may the actor give this role in this town?
    changes["is_superuser"] = changes["is_staff"] = new_role == Role.ADMIN
    return update_audited(user, actor=actor, verb="user.update", changes=changes)


@transaction.atomic
def user_deactivate(*, actor: Actor, user_id: int, reason: str = "") -> User:
    user = lock(User, user_id)
    policy.require(actor, "deactivate", user)
    if actor is not None and actor.pk == user.pk:
        raise InvalidInput(_("不能停用自己的账号"))
    return set_active(user, actor=actor, verb="user.deactivate", active=False, comment=reason)


@transaction.atomic
def user_activate(*, actor: Actor, user_id: int) -> User:
    user = lock(User, user_id)
    policy.require(actor, "deactivate", user)
    return set_active(user, actor=actor, verb="user.activate", active=True)


@transaction.atomic
def user_change_password(*, actor: User, old_password: str, new_password: str) -> User:
    user = lock(User, actor.pk)
    if not user.check_password(old_password):
        raise InvalidInput(_("原密码不正确"), fields={"old_password": _("不正确")})
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor=user, verb="user.password_change", target=user)
    log_event(kind="password_changed", user=user)
    return user


@transaction.atomic
def user_reset_password(*, actor: Actor, user_id: int, new_password: str) -> User:
    user = lock(User, user_id)
    policy.require(actor, "change", user)
    _check_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor=actor, verb="user.password_reset", target=user)
    return user


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw token is returned once and never stored."""
    if actor is not None and actor.pk != user.pk:
        policy.require(actor, "change", user)
    raw = "rd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip() or "token", key_hash=_token_hash(raw), prefix=raw[3:9])
    record(actor=actor, verb="api_token.create", target=user, after={"token": str(token)})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    token = lock(ApiToken, token_id)
    if actor is not None and actor.pk != token.user_id:
        policy.require(actor, "change", token.user)
    if token.revoked_at is not None:
        return token  # already revoked: keep the original time, record nothing new
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, verb="api_token.revoke", target=token.user, before={"token": str(token)})
    return token


#: A token's row with its active user and the user's town (what most API calls scope by:
#: registering, lists), compiled once per connection: the query runs on every API request.
#: ``key_hash`` is unique, so the query needs no ``ORDER BY``.
_TOKEN: CompiledQuery[ApiToken] = CompiledQuery(
    lambda key_hash: ApiToken.objects.select_related("user", "user__town").order_by()
    .filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)[:1])


def user_for_token(raw: str) -> User | None:
    """The active user of a valid (unrevoked) bearer token, else ``None``: one query (``_TOKEN``)."""
    token = _TOKEN.first(_token_hash(raw))
    if token is None:
        log_event_limited(kind="login_failed", detail="invalid API token")
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


__all__ = ["api_token_create", "api_token_revoke", "snapshot", "user_create", "user_for_token"]
