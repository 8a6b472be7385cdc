"""What the statistics page counts: the period and the towns, read from the page's URL
(``?period=2023H1`` — also ``2023上半年`` —, or ``?from=…&to=…``; ``as_of``; ``town``), the same
way for the page, its Excel export and the export's background job."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from renda.core import stats
from renda.core.errors import ApplicationError, InvalidInput
from renda.places.models import Level, Region
from renda.reports import metrics


def towns_for(user: Any) -> list[Region]:
    """The towns a user's statistics may count: their own, or every town for district roles."""
    qs = Region.objects.filter(level=Level.TOWN).order_by("code")
    if getattr(user, "town_id", None) is not None:
        qs = qs.filter(pk=user.town_id)
    return list(qs)


def _date(value: str | None, label: str) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("{f}「{v}」格式不正确，应为 YYYY-MM-DD").format(f=label, v=text)) from None


@dataclass(frozen=True)
class Chosen:
    period: stats.Period
    scope: metrics.Scope
    #: The problem with the URL's period or town (the page then shows this year, all towns).
    error: str | None
    #: The URL parameters that name this choice again (the period as a code when it is one).
    query: dict[str, str]

    @property
    def querystring(self) -> str:
        return urlencode(self.query)


def period_query(period: stats.Period) -> dict[str, str]:
    """``period`` as URL parameters: its code (2023H1 …) when it is exactly one, else from/to."""
    kind, year, number = stats.period_kind(period.from_, period.to)
    if kind == stats.RANGE:
        return {"from": period.from_.isoformat(), "to": period.to.isoformat()}
    return {"period": stats.period_code(kind, year, number)}


def choose(params: QueryDict, towns: list[Region], *, today: dt.date) -> Chosen:
    """The period and scope ``params`` name; this year and every visible town if they are wrong."""
    period_text = (params.get("period") or "").strip()
    error = None
    as_of_given = False
    try:
        as_of = _date(params.get("as_of"), _("截至日期"))
        as_of_given = as_of is not None
        if period_text:
            period = stats.Period.parse(period_text, as_of, today=today)
        elif params.get("from") or params.get("to"):
            from_, to = _date(params.get("from"), _("起始日期")), _date(params.get("to"), _("截止日期"))
            if from_ is None or to is None:
                raise InvalidInput(_("自定义区间须同时填写起始日期和截止日期"))
            period = stats.Period.make(from_, to, as_of, today=today)
        else:
            period = stats.Period.parse(str(today.year), as_of, today=today)
        scope = metrics.resolve_scope(params.get("town") or None, within=towns)
    except ApplicationError as exc:
        error = exc.message
        as_of_given = False
        period = stats.Period.parse(str(today.year), today=today)
        scope = metrics.resolve_scope(None, within=towns)
    query = period_query(period)
    if as_of_given:
        query["as_of"] = period.as_of.isoformat()
    if scope.town is not None and len(towns) > 1:
        query["town"] = scope.town.code
    return Chosen(period, scope, error, query)
