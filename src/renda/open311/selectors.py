"""Reads of the Open311 interface. What it publishes is public by design (no login), so nothing
here is restricted to a user: the jurisdiction (a town), its services (the town's active
suggestion categories) with their attributes, and its public items (群众意见建议) told only in
public wording (``suggestions.public``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.open311 import protocol
from renda.open311.models import Client, Request
from renda.open311.protocol import Open311Error, bad
from renda.places.models import Level, Region
from renda.suggestions.models import Kind, Reply, Suggestion, SuggestionCategory
from renda.suggestions.public import CLOSED_STATES

#: The attribute codes a town asks for with every service (see ``attributes_for``).
VILLAGE, NO_UNIT_CONTACT = "village", "no_unit_contact"
YES, NO = "yes", "no"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def client_for_key(raw: str) -> Client | None:
    """The active client whose key this is, or None: found by the key's first characters, the
    key's SHA-256 compared in constant time (``hmac.compare_digest``)."""
    if not raw or len(raw) > 200 or not raw.isascii():
        return None
    wanted = key_hash(raw)
    found = None
    for client in Client.objects.filter(prefix=raw[:8]):
        if hmac.compare_digest(client.key_hash, wanted):
            found = client
    if found is None or found.revoked_at is not None:
        return None
    return found


def towns() -> QuerySet[Region]:
    return Region.objects.filter(level=Level.TOWN, is_active=True).order_by("code")


def serves_several() -> bool:
    """Whether this instance serves several towns (then every call names its jurisdiction_id)."""
    return towns()[:2].count() > 1


def jurisdiction(jurisdiction_id: str) -> Region:
    """The town a call is about: named by its 12-digit region code; on a one-town instance it may
    be left out. Unknown: 404; left out where several towns are served: 400."""
    if jurisdiction_id:
        town = towns().filter(code=jurisdiction_id).first() if protocol.JURISDICTION_RE.fullmatch(jurisdiction_id) \
            else None
        if town is None:
            raise Open311Error(404, _("jurisdiction_id「{id}」不存在").format(id=jurisdiction_id[:20]))
        return town
    first_two = list(towns()[:2])
    if len(first_two) > 1:
        raise bad(_("本平台服务多个镇街，请给出 jurisdiction_id（镇街的12位区划代码）"))
    if not first_two:
        raise Open311Error(404, _("本平台尚未设置镇街"))
    return first_two[0]


def categories(town: Region) -> QuerySet[SuggestionCategory]:
    return SuggestionCategory.objects.filter(town=town, is_active=True).order_by("name", "pk")


def service_code(category: SuggestionCategory) -> str:
    """A category's service_code: its id, which never changes (a rename keeps it)."""
    return str(category.pk)


def category(town: Region, code: str) -> SuggestionCategory:
    """The active category of ``town`` whose service_code is ``code``, else 404."""
    found = categories(town).filter(pk=int(code)).first() if protocol.SERVICE_CODE_RE.fullmatch(code) else None
    if found is None:
        raise Open311Error(404, _("service_code「{code}」不存在").format(code=code[:20]))
    return found


def villages(town: Region) -> QuerySet[Region]:
    return Region.objects.filter(town=town, level=Level.VILLAGE, is_active=True).order_by("code")


@dataclass(frozen=True)
class Attribute:
    """One attribute of a service definition, in the specification's terms."""

    code: str
    datatype: str
    required: bool
    order: int
    description: str
    datatype_description: str = ""
    variable: bool = True
    values: list[tuple[str, str]] = field(default_factory=list)  # (key, name)


def attributes_for(town: Region) -> list[Attribute]:
    """What a town asks with every service: the village (社区) the item is about — required when
    the town has villages, as the office routes items by village — and whether the submitter
    does not want the handling unit to contact them directly."""
    village_values = [(v.code, v.name) for v in villages(town)]
    out = []
    if village_values:
        out.append(Attribute(code=VILLAGE, datatype="singlevaluelist", required=True, order=1,
                             description=_("所在村（社区）"), datatype_description=_("村（社区）的12位区划代码"),
                             values=village_values))
    out.append(Attribute(code=NO_UNIT_CONTACT, datatype="singlevaluelist", required=False, order=2,
                         description=_("是否不愿承办单位直接联系（由人大办转达）"),
                         values=[(YES, _("是")), (NO, _("否"))]))
    return out


def grid_in(town: Region, code: str) -> Region:
    """The active grid of ``town`` whose 15-digit code is ``code`` (address_id), else 400."""
    grid = Region.objects.filter(code=code, level=Level.GRID, town=town, is_active=True).select_related(
        "parent").first() if len(code) == 15 and code.isdigit() else None
    if grid is None:
        raise bad(_("address_id「{code}」不是本镇街的网格编码").format(code=code[:20]))
    return grid


def _public_items() -> QuerySet[Suggestion]:
    return (Suggestion.objects.filter(kind=Kind.PUBLIC)
            .select_related("town", "village", "grid", "category", "lead_unit", "open311")
            .prefetch_related(Prefetch("replies", queryset=Reply.objects.select_related("unit").order_by(
                "replied_at", "id"))))


def request(town: Region, request_id: str) -> Suggestion:
    """One public item of ``town`` by its service_request_id (编号), else 404."""
    found = _public_items().filter(town=town, code=request_id).first() \
        if protocol.REQUEST_ID_RE.fullmatch(request_id) else None
    if found is None:
        raise Open311Error(404, _("service_request_id「{id}」不存在").format(id=request_id[:30]))
    return found


def requests(town: Region, *, ids: list[str], codes: list[str], start: dt.datetime, end: dt.datetime,
             statuses: list[str], page: int, page_size: int) -> list[Suggestion]:
    """GET requests: the town's public items, newest first. ``ids`` (编号) override every other
    filter; else registered within ``start``–``end`` (by the registration date, in the town's
    time), of the given service codes and statuses. One page of at most ``page_size``."""
    qs = _public_items().filter(town=town)
    if ids:
        qs = qs.filter(code__in=ids)
    else:
        qs = qs.filter(registered_at__gte=timezone.localdate(start), registered_at__lte=timezone.localdate(end))
        if codes:
            qs = qs.filter(category_id__in=[int(c) for c in codes])
        closed = [s.value for s in CLOSED_STATES]
        if statuses == ["open"]:
            qs = qs.exclude(state__in=closed)
        elif statuses == ["closed"]:
            qs = qs.filter(state__in=closed)
    offset = (page - 1) * page_size
    return list(qs.order_by("-registered_at", "-id")[offset:offset + page_size])


def received(s: Suggestion) -> Request | None:
    """The Open311 request an item came in as, if it did."""
    try:
        return cast(Request, cast(Any, s).open311)  # the reverse one-to-one (Request.suggestion)
    except Request.DoesNotExist:
        return None
