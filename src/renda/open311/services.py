"""The only code that writes Open311 data: issuing and revoking a client's key, and receiving a
service request — which lands as a public suggestion through ``suggestions.services`` (the same
register step as the office's page), with the client recorded beside it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import record, snapshot
from renda.core.errors import ApplicationError, Conflict, InvalidInput, NotFound
from renda.core.services import full_clean, lock
from renda.core.types import Actor
from renda.open311 import selectors
from renda.open311.models import Client, Request
from renda.places.models import Region
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Kind, Source, SuggestionCategory

#: How many requests one client may hand over per hour (``RENDA_OPEN311_HOURLY_LIMIT``).
HOURLY_LIMIT = 120
KEY_PREFIX = "o3_"


class RateLimited(ApplicationError):
    status = 429
    default_code = "rate_limited"


def hourly_limit() -> int:
    return int(getattr(settings, "RENDA_OPEN311_HOURLY_LIMIT", HOURLY_LIMIT))


def mask_email(value: str) -> str:
    """zhang.san@example.com → z***@example.com."""
    local, _sep, domain = (value or "").partition("@")
    return f"{local[:1]}***@{domain}" if local and domain else ""


def _snap(req: Request) -> dict[str, Any]:
    data = snapshot(req)
    data["email"] = mask_email(req.email)
    return data


@transaction.atomic
def client_create(*, actor: Actor, name: str) -> tuple[Client, str]:
    """A new client and its API key; the key is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("请填写客户端名称"), fields={"name": _("必填")})
    if Client.objects.filter(name=name).exists():
        raise Conflict(_("客户端「{name}」已存在").format(name=name), fields={"name": _("已存在")})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    client = Client(name=name, prefix=raw[:8], key_hash=selectors.key_hash(raw))
    full_clean(client)
    client.save(force_insert=True)
    record(actor=actor, verb="open311_client.create", target=client, after=snapshot(client))
    return client, raw


@transaction.atomic
def client_revoke(*, actor: Actor, name: str) -> Client:
    """Revoke a client's key: from now on its POSTs get 403. Revoking twice changes nothing."""
    found = Client.objects.filter(name=(name or "").strip()).first()
    if found is None:
        raise NotFound(_("客户端「{name}」不存在").format(name=name))
    client = lock(Client, found.pk)
    if client.revoked_at is not None:
        return client
    before = snapshot(client)
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    record(actor=actor, verb="open311_client.revoke", target=client, before=before, after=snapshot(client))
    return client


@dataclass(frozen=True)
class Submission:
    """A POST requests form, parsed and checked for its shape (``protocol``, ``views``)."""

    category: SuggestionCategory
    village: Region | None = None
    grid: Region | None = None
    no_unit_contact: bool = False
    lat: Decimal | None = None
    long: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    media_url: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _title(sub: Submission) -> str:
    first_line = next((line.strip() for line in sub.description.splitlines() if line.strip()), "")
    if not first_line:
        return sub.category.name
    return first_line if len(first_line) <= 60 else first_line[:59] + "…"


@transaction.atomic
def request_receive(*, actor: Actor, client: Client, town: Region, submission: Submission) -> Request:
    """登记 a request handed over by ``client``: a public suggestion of ``town`` (source 网上;
    anonymous unless a name or a phone was given; the name as Chinese writes it, family name
    first), its timeline saying which client sent it, and the ``Request`` row with the location,
    media link and attributes. At most ``hourly_limit()`` per client and hour (the count is taken
    under the client's row lock, so it holds across app servers)."""
    locked = lock(Client, client.pk)
    if locked.revoked_at is not None:
        raise NotFound(_("客户端已吊销"))
    since = timezone.now() - dt.timedelta(hours=1)
    if Request.objects.filter(client=locked, received_at__gte=since).count() >= hourly_limit():
        raise RateLimited(_("提交过于频繁：每个客户端每小时最多 {n} 件，请稍后再试").format(n=hourly_limit()))
    sub = submission
    name = f"{sub.last_name.strip()}{sub.first_name.strip()}"
    phone = sub.phone.strip()
    if phone and not name:
        name = _("未留姓名")
    suggestion = suggestion_services.suggestion_register(
        actor=actor, town=town, kind=Kind.PUBLIC, source=Source.ONLINE, title=_title(sub), content=sub.description,
        village=sub.village, grid=sub.grid, category=sub.category, submitter_name=name, submitter_phone=phone,
        anonymous=not name and not phone, no_unit_contact=sub.no_unit_contact and bool(name or phone),
        comment=_("来自 Open311 客户端 {name}").format(name=locked.name),
    )
    req = Request(suggestion=suggestion, client=locked, service_code=str(sub.category.pk), lat=sub.lat,
                  long=sub.long, address_string=sub.address_string, address_id=sub.address_id,
                  media_url=sub.media_url, email=sub.email, attributes=sub.attributes)
    full_clean(req)
    req.save(force_insert=True)
    record(actor=actor, verb="open311_request.receive", target=req, after=_snap(req),
           comment=_("来自 Open311 客户端 {name}").format(name=locked.name))
    return req
