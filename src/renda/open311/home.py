"""What the Open311 app adds to other apps' pages: on a suggestion's page, the client it came
from (来自 Open311 客户端 NAME) and what its request carried (``core.panels``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renda.core.panels import panel
from renda.open311 import policy, selectors, services


@panel("suggestions")
def received_from(user: Any, s: Any) -> list[dict[str, Any]]:
    req = selectors.received(s)
    if req is None or not policy.can(user, "view_source", s):
        return []
    rows: list[tuple[str, str | None]] = [(_("来自 Open311 客户端 {name}").format(name=req.client.name), None)]
    if req.lat is not None:
        rows.append((_("经纬度（WGS84）：{lat}，{long}").format(lat=req.lat, long=req.long), None))
    if req.address_string:
        rows.append((_("地址：{address}").format(address=req.address_string), None))
    if req.address_id:
        rows.append((_("网格编码：{code}").format(code=req.address_id), None))
    if req.media_url:
        rows.append((_("媒体链接（未下载，请谨慎打开）：{url}").format(url=req.media_url), None))
    if req.email:
        rows.append((_("电子邮箱：{email}").format(email=services.mask_email(req.email)), None))
    return [{"title": _("Open311 来源"), "count": 1, "rows": rows}]
