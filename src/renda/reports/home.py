"""What reports adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from renda.core.home import card
from renda.core.navigation import ORG, REPORTS, NavItem, register
from renda.core.roles import Role
from renda.places.models import Region
from renda.places.selectors import towns_visible_to
from renda.reports import metrics

register(
    NavItem(gettext_lazy("统计分析"), "reports:dashboard", ORG, REPORTS, order=220),
    # a unit's, a grid worker's, a deputy's own figures (a presidium member has 统计, and 我的统计 from there)
    NavItem(gettext_lazy("我的统计"), "reports:mine", frozenset({Role.UNIT, Role.GRID_WORKER, Role.DEPUTY}), order=220),
    NavItem(gettext_lazy("镇街对比"), "reports:district", frozenset({Role.DISTRICT_VIEWER, Role.ADMIN}), REPORTS,
            order=221),
    NavItem(gettext_lazy("工作报告"), "reports:work_report", ORG, REPORTS, order=222),
)

#: The rates a town comparison shows (keys of the suggestions section), with the dashboard's labels.
RATES = (("closure_rate", gettext_lazy("办结率")), ("on_time_rate", gettext_lazy("按期办结率")),
         ("satisfaction_rate", gettext_lazy("满意率")))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _figures(f: dict[str, Any]) -> dict[str, Any]:
    """The key figures of one row of ``metrics.town_comparison`` (nothing counted here)."""
    return {"received": f["received"], "closed": f["closed"], "overdue_open": f["overdue_open"],
            "rates": [{"label": label, "value": _percent(f[k])} for k, label in RATES], "petitions": f["petitions"],
            "petitions_overdue": f["petitions_overdue"], "risks_resolved": f["risks_resolved"]}


def _links(period: metrics.Period, town: Region | None) -> dict[str, str]:
    dates = {"date_from": period.from_.isoformat(), "date_to": period.as_of.isoformat()}
    where = {"town": town.pk} if town is not None else {}
    stats = {"period": str(period.from_.year), **({"town": town.code} if town is not None else {})}
    return {
        "stats": reverse("reports:dashboard") + "?" + urlencode(stats),
        "suggestions": reverse("suggestions:list") + "?" + urlencode({**where, **dates}),
        "overdue": reverse("suggestions:list") + "?" + urlencode({**where, **dates, "due": "overdue"}),
        "petitions": reverse("petitions:list") + "?" + urlencode({**where, **dates}),
        "petitions_overdue": reverse("petitions:list") + "?" + urlencode({**where, **dates, "due": "overdue"}),
    }


@card("town_comparison", template="reports/partials/home_towns.html", roles={Role.DISTRICT_VIEWER}, order=10)
def town_comparison(user: Any) -> dict[str, Any] | None:
    """The district viewer's home: this year's key figures of each town side by side (suggestions
    received, closure, on-time and satisfaction rates, overdue; petitions), and the district's
    (its rates recomputed from the sums, as METRICS.md says), with links to the lists and the
    statistics of each town. The same computation as the district view (``metrics.town_comparison``:
    one read of the suggestion facts for every town, then the petitions section per town)."""
    towns = list(towns_visible_to(user).filter(is_active=True).order_by("code"))
    if not towns:
        return None
    today = timezone.localdate()
    period = metrics.Period.parse(str(today.year), today=today)
    comparison = metrics.town_comparison(period, towns)
    rows = [{"town": r["town"], **_figures(r), "links": _links(period, r["town"])} for r in comparison["rows"]]
    total = None
    if len(towns) > 1:
        total = {**_figures(comparison["total"]), "links": _links(period, None)}
    return {"period": period, "rows": rows, "total": total, "rate_labels": [label for _k, label in RATES]}
