"""Staff pages for towns, villages, grids and grid workers (thin: selectors, policy, services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core.crud import Column, DetailField, Resource, yes_no
from renda.core.errors import Forbidden
from renda.core.types import Actor
from renda.places import forms, policy, selectors, services
from renda.places.models import GridWorker, Level, Region


def _status(o: Any) -> str:
    return str(_("启用")) if o.is_active else str(_("已停用"))


def _region_update(actor: Actor, obj: Region, d: dict[str, Any]) -> tuple[Region, bool]:
    return services.region_update(actor=actor, region_id=obj.pk, name=d["name"], kind=d.get("kind"),
                                  parent=d.get("parent") if obj.level == Level.TOWN else None)


def _region_create(level: str, kind: str | None = None) -> Any:
    def create(actor: Actor, d: dict[str, Any]) -> Region:
        return services.region_create(actor=actor, code=d["code"], name=d["name"], level=level,
                                      kind=d.get("kind") or kind or level, parent=d["parent"])
    return create


def _deactivate(actor: Actor, obj: Region, reason: str) -> Region:
    return services.region_deactivate(actor=actor, region_id=obj.pk, reason=reason)


def _activate(actor: Actor, obj: Region) -> Region:
    return services.region_activate(actor=actor, region_id=obj.pk)


def _region_initial(user: Any, obj: Region | None) -> dict[str, Any]:
    if obj is None:
        return {"parent": user.town_id} if user.town_id else {}
    return {"code": obj.code, "name": obj.name, "kind": obj.kind, "parent": obj.parent_id}


def _children(title: Any, url_name: str) -> Any:
    def related(user: Any, obj: Region) -> list[dict[str, Any]]:
        rows = [(f"{c.name}（{c.code}）", reverse(url_name, args=[c.pk])) for c in obj.children.order_by("code")]
        return [{"title": title, "count": len(rows), "rows": rows}]
    return related


def _grid_related(user: Any, obj: Region) -> list[dict[str, Any]]:
    workers = [(f"{w.name}（{w.get_kind_display()}）", reverse("grid_workers:detail", args=[w.pk]))
               for w in obj.grid_workers.all()]
    deputies = [(f"{d.name}（{d.get_level_display()}）", reverse("deputies:detail", args=[d.pk]))
                for d in obj.deputies.all()]
    return [{"title": _("网格员"), "count": len(workers), "rows": workers},
            {"title": _("联系代表"), "count": len(deputies), "rows": deputies}]


def _town_can(user: Any, action: str, obj: Any = None) -> bool:
    """Creating a town is for district administrators: ask the policy about a would-be town."""
    if obj is None and action == "create":
        return policy.can(user, action, Region(level=Level.TOWN))
    return policy.can(user, action, obj)


def _town_require(user: Any, action: str, obj: Any = None) -> None:
    if obj is None and action == "create":
        if not _town_can(user, action):
            raise Forbidden()
        return
    policy.require(user, action, obj)


COMMON = {"model": Region, "can": policy.can, "require": policy.require, "search_fields": ("name", "code"),
          "initial": _region_initial, "update": _region_update, "deactivate": _deactivate, "activate": _activate}

towns = Resource(
    name="towns", label=_("镇街"), label_plural=_("镇街"),
    selector=lambda u: selectors.towns_visible_to(u).annotate(
        n_villages=Count("children", filter=Q(children__is_active=True), distinct=True)),
    columns=[
        Column("code", _("区划代码"), lambda o: o.code, sort="code", link=True, nowrap=True),
        Column("name", _("名称"), lambda o: o.name, sort="name", link=True),
        Column("kind", _("类型"), lambda o: o.get_kind_display()),
        Column("parent", _("所属区县"), lambda o: o.parent.name if o.parent else ""),
        Column("villages", _("村社区数"), lambda o: o.n_villages, sort="n_villages"),
        Column("status", _("状态"), _status, nowrap=True),
    ],
    filter_form=forms.TownFilter, default_sort="code", form_class=forms.TownForm,
    create=_region_create(Level.TOWN),
    detail_fields=[
        DetailField(_("区划代码"), lambda o: o.code), DetailField(_("名称"), lambda o: o.name),
        DetailField(_("类型"), lambda o: o.get_kind_display()),
        DetailField(_("所属区县"), lambda o: o.parent.name if o.parent else ""),
    ],
    related=_children(_("村社区"), "villages:detail"), export_name="镇街",
    **(COMMON | {"can": _town_can, "require": _town_require}),  # type: ignore[arg-type]
)

villages = Resource(
    name="villages", label=_("村社区"), label_plural=_("村社区"),
    selector=lambda u: selectors.villages_visible_to(u).annotate(
        n_grids=Count("children", filter=Q(children__is_active=True), distinct=True)),
    columns=[
        Column("code", _("区划代码"), lambda o: o.code, sort="code", link=True, nowrap=True),
        Column("name", _("名称"), lambda o: o.name, sort="name", link=True),
        Column("kind", _("类型"), lambda o: o.get_kind_display(), sort="kind"),
        Column("town", _("所属镇街"), lambda o: o.town.name if o.town else "", district_only=True),
        Column("grids", _("网格数"), lambda o: o.n_grids, sort="n_grids"),
        Column("status", _("状态"), _status, nowrap=True),
    ],
    filter_form=forms.RegionFilter, default_sort="code", form_class=forms.VillageForm,
    create=_region_create(Level.VILLAGE),
    detail_fields=[
        DetailField(_("区划代码"), lambda o: o.code), DetailField(_("名称"), lambda o: o.name),
        DetailField(_("类型"), lambda o: o.get_kind_display()),
        DetailField(_("所属镇街"), lambda o: o.town.name if o.town else ""),
    ],
    related=_children(_("网格"), "grids:detail"), export_name="村社区", **COMMON,  # type: ignore[arg-type]
)

grids = Resource(
    name="grids", label=_("网格"), label_plural=_("网格"),
    selector=lambda u: selectors.grids_visible_to(u).prefetch_related("grid_workers", "deputies"),
    columns=[
        Column("code", _("网格编码"), lambda o: o.code, sort="code", link=True, nowrap=True),
        Column("name", _("名称"), lambda o: o.name, sort="name", link=True),
        Column("village", _("所属村社区"), lambda o: o.parent.name if o.parent else "", sort="parent__code"),
        Column("town", _("所属镇街"), lambda o: o.town.name if o.town else "", district_only=True),
        Column("workers", _("网格员"), lambda o: "、".join(w.name for w in o.grid_workers.all())),
        Column("deputies", _("联系代表"), lambda o: "、".join(d.name for d in o.deputies.all())),
        Column("status", _("状态"), _status, nowrap=True),
    ],
    filter_form=forms.GridFilter, default_sort="code", form_class=forms.GridForm,
    create=_region_create(Level.GRID, "grid"),
    detail_fields=[
        DetailField(_("网格编码"), lambda o: o.code), DetailField(_("名称"), lambda o: o.name),
        DetailField(_("所属村社区"), lambda o: o.parent.name if o.parent else ""),
        DetailField(_("所属镇街"), lambda o: o.town.name if o.town else ""),
    ],
    related=_grid_related, export_name="网格", **COMMON,  # type: ignore[arg-type]
)


def _gw_initial(user: Any, obj: GridWorker | None) -> dict[str, Any]:
    if obj is None:
        return {"town": user.town_id} if user.town_id else {}
    return {"name": obj.name, "phone": obj.phone, "kind": obj.kind, "town": obj.town_id,
            "grids": [g.pk for g in obj.grids.all()]}


grid_workers = Resource(
    name="grid_workers", model=GridWorker, label=_("网格员"), label_plural=_("网格员"),
    can=policy.can, require=policy.require, selector=selectors.grid_workers_visible_to,
    columns=[
        Column("name", _("姓名"), lambda o: o.name, sort="name", link=True),
        Column("phone", _("手机号"), lambda o: o.phone, sort="phone"),
        Column("kind", _("类型"), lambda o: o.get_kind_display(), sort="kind"),
        Column("town", _("所属镇街"), lambda o: o.town.name, district_only=True),
        Column("grids", _("负责网格"), lambda o: "、".join(g.name for g in o.grids.all())),
        Column("status", _("状态"), _status, nowrap=True),
    ],
    search_fields=("name", "phone", "grids__name"), filter_form=forms.GridWorkerFilter, default_sort="name",
    form_class=forms.GridWorkerForm, initial=_gw_initial,
    create=lambda a, d: services.grid_worker_create(actor=a, name=d["name"], phone=d["phone"], kind=d["kind"],
                                                    town=d["town"], grids=list(d["grids"])),
    update=lambda a, o, d: services.grid_worker_update(actor=a, grid_worker_id=o.pk, name=d["name"],
                                                       phone=d["phone"], kind=d["kind"], grids=list(d["grids"])),
    deactivate=lambda a, o, r: services.grid_worker_deactivate(actor=a, grid_worker_id=o.pk, reason=r),
    activate=lambda a, o: services.grid_worker_activate(actor=a, grid_worker_id=o.pk),
    detail_fields=[
        DetailField(_("姓名"), lambda o: o.name), DetailField(_("手机号"), lambda o: o.phone),
        DetailField(_("类型"), lambda o: o.get_kind_display()), DetailField(_("所属镇街"), lambda o: o.town.name),
        DetailField(_("负责网格"), lambda o: "、".join(f"{g.name}（{g.code}）" for g in o.grids.all())),
        DetailField(_("有登录账号"), lambda o: yes_no(hasattr(o, "user"))),
    ],
    export_name="网格员",
)


def _param(request: HttpRequest, name: str) -> int | None:
    """A select's value sent by htmx, under its name with or without a form prefix (``x-grid``)."""
    for key in request.GET:
        if key == name or key.endswith(f"-{name}"):
            value = str(request.GET.get(key) or "")
            return int(value) if value.isdigit() else None
    return None


@login_required
def region_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a dependent place select (``forms.PlaceSelects``): the villages of the
    chosen town, the grids of the chosen village (else town), among the active places the user
    sees; the select's own value stays chosen when it is still listed. ``?level=village|grid``."""
    level = request.GET.get("level") or Level.GRID
    if level == Level.VILLAGE:
        qs = selectors.villages_visible_to(request.user)
    elif level == Level.GRID:
        qs = selectors.grids_visible_to(request.user)
    else:
        raise Http404
    village_id = _param(request, "village") if level == Level.GRID else None
    town_id = _param(request, "town")
    if village_id is not None and not selectors.villages_visible_to(request.user).filter(
            pk=village_id, **({"town_id": town_id} if town_id else {})).exists():
        village_id = None  # a village of the town chosen before: the town's grids
    regions = forms.narrow_places(qs.filter(is_active=True), level=level, town_id=town_id, village_id=village_id)
    return render(request, "places/partials/options.html",
                  {"regions": regions.order_by("code"), "selected": _param(request, level)})
