"""Grid governance (网格治理): a town table of all grids with their open work, and a page per grid
with its grid workers, deputies, open petitions, risks and suggestions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.crud import Column, DetailField, Resource
from renda.gridwork import forms, policy, selectors
from renda.petitions.selectors import petitions_visible_to
from renda.places.models import Region
from renda.risks.selectors import risks_visible_to
from renda.suggestions.selectors import suggestions_visible_to
from renda.suggestions.workflow import OPEN as SUGGESTION_OPEN

LIMIT = 50  # rows per related table on a grid page; the lists behind the links have the rest


def _related(user: Any, grid: Region) -> list[dict[str, Any]]:
    workers = [(f"{w.name}（{w.get_kind_display()}）", reverse("grid_workers:detail", args=[w.pk])
                if user.role in policy.ORG_READERS else "") for w in grid.grid_workers.filter(is_active=True)]
    deputies = [(f"{d.name}（{d.get_level_display()}）", reverse("deputies:detail", args=[d.pk])
                 if user.role in policy.ORG_READERS else "") for d in grid.deputies.filter(is_active=True)]
    petitions = petitions_visible_to(user).open().filter(grid=grid).order_by("registered_on", "pk")
    risks = risks_visible_to(user).open().filter(grid=grid).order_by("registered_on", "pk")
    suggestions = (suggestions_visible_to(user).filter(grid=grid, state__in=[s.value for s in SUGGESTION_OPEN])
                   .order_by("registered_at", "pk"))
    tables = [
        (_("未结信访件"), petitions, getattr(grid, "open_petitions", None),
         lambda p: (f"{p.code} {p.subject}（{p.get_state_display()}）", reverse("petitions:detail", args=[p.pk]))),
        (_("未化解隐患"), risks, getattr(grid, "open_risks", None),
         lambda r: (f"{r.title}（{r.get_level_display()}，{r.get_state_display()}）",
                    reverse("risks:detail", args=[r.pk]))),
        (_("未办结意见建议"), suggestions, getattr(grid, "open_suggestions", None),
         lambda s: (f"{s.title}（{s.get_state_display()}）", reverse("suggestions:detail", args=[s.pk]))),
    ]
    out = [{"title": _("网格员"), "count": len(workers), "rows": workers},
           {"title": _("联系代表"), "count": len(deputies), "rows": deputies}]
    for title, qs, total, row in tables:
        visible = qs.count()
        rows = [row(o) for o in qs[:LIMIT]]
        if visible > LIMIT:
            rows.append((_("……共 {n} 件，只列出前 {limit} 件").format(n=visible, limit=LIMIT), ""))
        if total is not None and total > visible:
            rows.append((_("另有 {n} 件不在您的查看范围内").format(n=total - visible), ""))
        out.append({"title": title, "count": total if total is not None else visible, "rows": rows})
    return out


grid_work = Resource(
    name="grid_work", model=Region, label=_("网格"), label_plural=_("网格治理"),
    can=policy.can, require=policy.require,
    selector=lambda u: selectors.with_counts(selectors.grids_for(u).filter(is_active=True)),
    columns=[
        Column("code", _("网格编码"), lambda o: o.code, sort="code", link=True, nowrap=True),
        Column("name", _("网格"), lambda o: o.name, sort="name", link=True),
        Column("village", _("所属村社区"), lambda o: o.parent.name if o.parent else "", sort="parent__code"),
        Column("workers", _("网格员"), lambda o: o.n_workers, sort="n_workers"),
        Column("deputies", _("联系代表"), lambda o: o.n_deputies, sort="n_deputies"),
        Column("petitions", _("未结信访"), lambda o: o.open_petitions, sort="open_petitions"),
        Column("risks", _("未化解隐患"), lambda o: o.open_risks, sort="open_risks"),
        Column("suggestions", _("未办结意见建议"), lambda o: o.open_suggestions, sort="open_suggestions"),
    ],
    search_fields=("name", "code", "parent__name"), filter_form=forms.GridWorkFilter, default_sort="code",
    detail_fields=[
        DetailField(_("网格编码"), lambda o: o.code),
        DetailField(_("所属村社区"), lambda o: o.parent.name if o.parent else ""),
        DetailField(_("所属镇街"), lambda o: o.town.name if o.town else ""),
    ],
    related=_related, export_name="网格治理",
)
