"""What every app's API router shares: authentication by session, offline docs, error handlers,
common schemas, pagination and the helpers that resolve ids through what the user may see.

The API object itself and the mounting of every app's routers are in ``renda/api.py``.

The JSON API (Django Ninja) under /api/, schema at /api/openapi.json, docs at /api/docs.

Session auth (with CSRF) for the pages' own calls, bearer tokens (``Authorization: Bearer rd_…``)
for integrations. Every router calls the same selectors, policies and services as the pages:
lists come from the ``*_visible_to`` selectors, an id the user cannot see is a 404, an action
the policy refuses is a 403, and every write goes through a service (which audits it, with
source "api"). Errors are ``{"code", "message", "fields"}`` with a 4xx status.

An app's ``api.py`` imports the helpers below and declares ``routers = [(prefix, router), ...]``;
``renda/api.py`` mounts them (see renda.core.plugins).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

import ninja
import ninja.openapi.schema
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import register_converter
from django.urls.converters import PathConverter
from django.utils.html import escape
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.pagination import PaginationBase
from ninja.schema import NinjaGenerateJsonSchema
from ninja.security import SessionAuth
from pydantic import ConfigDict
from pydantic.json_schema import CoreModeRef, CoreRef, DefsRef, JsonSchemaValue

from renda.audit.security import log_event
from renda.core.crud import rows_by_id
from renda.core.errors import ApplicationError, NotFound
from renda.core.retry import RETRY_AFTER, busy_message, is_lock_error
from renda.core.types import ActingUser

M = TypeVar("M", bound=Model)


# -- authentication ------------------------------------------------------------------------


class CsrfSessionAuth(SessionAuth):
    """Django's session, with Django's CSRF check on unsafe methods.

    Ninja's ``SessionAuth`` checks CSRF before looking at the session, so a bearer-token POST
    (which carries no session and no CSRF token) would be refused by it. A request without a
    logged-in session has no ambient credential to abuse, so it is simply not authenticated
    here (the next scheme, or a 401, decides); a logged-in session must pass the CSRF check.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# -- offline docs (no CDN) -------------------------------------------------------------------

_SWAGGER_DIR = Path(str(ninja.__file__)).parent / "static" / "ninja"
_DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
}


class OfflineSwagger(DocsBase):
    """Swagger UI from the copy bundled with django-ninja, served by this API (no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        base = api.get_root_path(kwargs)
        settings = json.dumps({"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout",
                               "deepLinking": True}).replace("<", "\\u003c")
        html = f"""<!DOCTYPE html>
<html lang="zh-hans">
<head><meta charset="utf-8"><title>{escape(api.title)}</title>
<link rel="stylesheet" href="{base}docs/swagger-ui.css"></head>
<body data-csrf-token="{escape(get_token(request))}" data-api-csrf="true">
<script type="application/json" id="swagger-settings">{settings}</script>
<div id="swagger-ui"></div>
<script src="{base}docs/swagger-ui-bundle.js"></script>
<script src="{base}docs/swagger-ui-init.js"></script>
</body></html>"""
        return HttpResponse(html)


@cache
def _docs_asset(name: str) -> bytes:
    return (_SWAGGER_DIR / name).read_bytes()


# -- error handlers -----------------------------------------------------------------------------

Handler = Callable[[NinjaAPI, HttpRequest, Any], HttpResponse]
_HANDLERS: list[tuple[type[Exception], Handler]] = []


def _handles(exc: type[Exception]) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS.append((exc, fn))
        return fn

    return register


def install_error_handlers(api: NinjaAPI) -> None:
    """Errors as ``{"code", "message", "fields"}`` with a 4xx status, on ``api``."""
    for exc, fn in _HANDLERS:
        api.add_exception_handler(exc, partial(fn, api))


def _error(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
           fields: dict[str, Any] | None = None) -> HttpResponse:
    body = {"code": code, "message": message, "fields": fields or {}}
    return api.create_response(request, body, status=status)


@_handles(OperationalError)
def on_database_busy(api: NinjaAPI, request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A database still locked by another writer: 503 with ``Retry-After``, never a 500."""
    if not is_lock_error(exc):
        raise exc
    response = _error(api, request, 503, "busy", busy_message())
    response["Retry-After"] = str(RETRY_AFTER)
    return response


@_handles(ApplicationError)
def on_application_error(api: NinjaAPI, request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(api, request, exc.status, exc.code, exc.message, exc.fields)


#: Where a value came from and which view argument held it — not part of the field's name.
_LOC_PREFIXES = {"body", "query", "path", "payload", "form", "filters"}


@_handles(NinjaValidationError)
def on_validation_error(api: NinjaAPI, request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in _LOC_PREFIXES]
        fields.setdefault(".".join(loc) or "__all__", []).append(str(err.get("msg", "")))
    return _error(api, request, 422, "invalid", _("提交的数据不正确"), fields)


@_handles(OverflowError)
def on_overflow(api: NinjaAPI, request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An id or number beyond what the database can store (SQLite: 64-bit integers) is bad
    # input, not a server error.
    return _error(api, request, 422, "invalid", _("提交的数据不正确"))


@_handles(Http404)
def on_not_found(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(api, request, 404, "not_found", _("记录不存在或无权查看。"))


@_handles(PermissionDenied)
def on_permission_denied(api: NinjaAPI, request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(api, request, 403, "forbidden", _("您没有执行此操作的权限。"))


@_handles(AuthenticationError)
def on_auth_error(api: NinjaAPI, request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(api, request, 401, "unauthorized", _("请先登录或提供有效的 API 令牌。"))


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 429: "throttled"}


@_handles(HttpError)
def on_http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_CODES.get(exc.status_code, "error")
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(api, request, 403, "csrf_failed",
                      _("CSRF 校验失败：会话请求的写操作需带 X-CSRFToken 请求头。"))
    return _error(api, request, exc.status_code, code, str(exc))


# -- schema names ------------------------------------------------------------------------------

#: A type of an app's own module other than its ``api`` (its models' choices, its workflow's
#: states and actions) in a pydantic core ref: ``renda.<app>.<module>.<Name>:<id>``.
_APP_TYPE_REF = re.compile(r"\brenda\.(?P<app>\w+)\.(?P<path>(?:\w+\.)*?)(?P<name>\w+)(?=:)")


def _app_named(match: re.Match[str]) -> str:
    app, path, name = match["app"], match["path"], match["name"]
    if app == "core" or path in ("", "api."):
        return match[0]  # core's types are the shared floor; api schemas are named per app by hand
    prefix = "".join(part.capitalize() for part in app.split("_"))
    if name.startswith(prefix.removesuffix("s")):
        return match[0]  # already the app's: UnitKind
    return f"renda.{app}.{path}{prefix}{name}"


class AppNamedJsonSchema(NinjaGenerateJsonSchema):
    """OpenAPI component names unique across apps.

    Ninja merges every operation's definitions into one ``components.schemas`` keyed by the
    type's bare name, so two apps' ``State`` (or ``Kind``, ``Level``…) silently overwrite each
    other and a client sees the wrong enum. The choices and workflow types an app defines
    outside its ``api.py`` get the app's name in front (``SuggestionsState``, ``PlacesLevel``);
    request and response schemas in ``api.py`` carry it in their class name (``RiskRegisterIn``).
    tests/reliability/test_openapi.py checks that no name stands for two definitions."""

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        core_ref, mode = core_mode_ref
        return super().get_defs_ref((CoreRef(_APP_TYPE_REF.sub(_app_named, core_ref)), mode))

    def int_schema(self, schema: Any) -> JsonSchemaValue:
        """Integers are 64-bit (OpenAPI's ``int64``): what the database stores; beyond is a 422."""
        json_schema = super().int_schema(schema)
        json_schema.setdefault("format", "int64")
        return json_schema


# Ninja builds every operation's schema with the generator its openapi module names.
ninja.openapi.schema.NinjaGenerateJsonSchema = AppNamedJsonSchema  # type: ignore[misc]


# -- shared schemas ---------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str = Field(description="错误代码，如 not_found、forbidden、invalid、unauthorized")
    message: str = Field(description="中文错误说明")
    fields: dict[str, list[str]] = Field(description="按字段列出的错误（字段名 → 说明列表），无则为空对象")


#: The error responses every operation may give, for the OpenAPI schema.
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class InSchema(Schema):
    """Request bodies refuse unknown fields, so a typo is an error rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class RefOut(Schema):
    id: int = Field(description="ID")
    name: str = Field(description="名称")


class RegionRefOut(RefOut):
    code: str = Field(description="区划代码")


class MaskedPersonOut(Schema):
    """A person's personal data as everyone sees it: masked (``core.models.MaskedPersonalData``)."""

    name: str = Field(description="姓名（脱敏）")
    id_number: str = Field(description="身份证号（脱敏）")
    phone: str = Field(description="联系电话（脱敏）")
    address: str = Field(description="地址（脱敏）")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.name_masked)

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return str(obj.id_number_masked)

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return str(obj.phone_masked)

    @staticmethod
    def resolve_address(obj: Any) -> str:
        return str(obj.address_masked)


class TimelineOut(Schema):
    """One step of an item's timeline (a ``Transition``-shaped row); each app subclasses it."""

    action: str = Field(description="操作代码")
    action_label: str = Field(description="操作（中文）")
    from_state: str = Field(description="原状态")
    to_state: str = Field(description="新状态")
    actor: str = Field(description="操作人")
    on: dt.date = Field(description="日期")
    comment: str = Field(description="说明")

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return str(obj.get_action_display())

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_label)


class RevealIn(InSchema):
    """The body of every ``POST …/reveal``: the stated reason (``core.privacy.clean_reason``)."""

    reason: str = Field(max_length=500, description="查看理由（至少4个字，记入审计日志）")


class ReasonIn(InSchema):
    reason: str = Field("", max_length=500, description="停用原因（可选，记入审计日志）")


class ListFilters(Schema):
    q: str | None = Field(None, max_length=100, description="关键词（模糊匹配名称等）")
    is_active: bool | None = Field(None, description="是否启用；不填为全部")


class Pagination(PaginationBase):
    """``limit``/``offset`` with the total ``count``; a stable order (model ordering, then id)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200, description="每页条数（1–200，默认50）")
        offset: int = Field(0, ge=0, le=2_147_483_647, description="跳过的条数（默认0）")

    class Output(Schema):
        items: list[Any] = Field(description="本页记录")
        count: int = Field(description="符合条件的记录总数")

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest,
                          **params: Any) -> Any:
        ordering = [*queryset.query.order_by] or list(queryset.model._meta.ordering)
        queryset = queryset.order_by(*ordering, "pk")
        start = pagination.offset
        # As a list page reads its page (``crud.DeferredJoinPaginator``): the ids, then those rows
        # with their joins in the order written — not the joins planned for every order of eight
        # tables (77 ms of planning for 1 ms of execution, a town's 50 items at 1,000,000), nor
        # built for every row an offset skips.
        ids = list(queryset.values_list("pk", flat=True)[start:start + pagination.limit])
        return {"items": rows_by_id(queryset, ids), "count": queryset.count()}


# -- shared helpers ---------------------------------------------------------------------------


def actor(request: HttpRequest) -> Any:
    """The authenticated user (by session or token): an ``accounts.User``."""
    user = getattr(request, "auth", None)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        raise AuthenticationError()
    return user


def require_list(require: Callable[..., None], user: ActingUser) -> None:
    """A list (or a create without an object yet) the role may not use at all is a 403."""
    require(user, "list")


def visible(request: HttpRequest, qs: QuerySet[M], pk: int) -> M:
    """The record ``pk`` from a visibility-scoped queryset, else 404 (another town's record is
    indistinguishable from a missing one; the attempt is logged like the pages do)."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        if qs.model._default_manager.filter(pk=pk).exists():
            log_event(kind="not_found", user=getattr(request, "auth", None), path=request.path,
                      detail=f"{qs.model._meta.label_lower}:{pk}")
        raise NotFound()
    return obj


def visible_ref(qs: QuerySet[M], pk: int | None, field: str) -> M | None:
    """An input id resolved through what the actor may see; an unseen id is a 404 naming ``field``."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(fields={field: _("不存在或无权查看：{id}").format(id=pk)})
    return obj


def visible_refs(qs: QuerySet[M], pks: Iterable[int], field: str) -> list[M]:
    wanted = list(dict.fromkeys(pks))
    if not wanted:
        return []
    found = {o.pk: o for o in qs.filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise NotFound(fields={field: _("不存在或无权查看：{ids}").format(ids="、".join(missing))})
    return [found[pk] for pk in wanted]


def search(qs: QuerySet[M], q: str | None, fields: Sequence[str]) -> QuerySet[M]:
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__icontains": q})
    return qs.filter(cond)


def common_filters(qs: QuerySet[M], filters: ListFilters, search_fields: Sequence[str]) -> QuerySet[M]:
    if filters.is_active is not None:
        qs = qs.filter(is_active=filters.is_active)
    return search(qs, filters.q, search_fields)


def changes(payload: Schema) -> dict[str, Any]:
    """The fields a PATCH body actually sent."""
    return payload.model_dump(exclude_unset=True)


# -- docs assets and the JSON 404 for unknown paths ----------------------------------------------

docs_router = Router(auth=None, tags=["docs"])


@docs_router.get("/{name}", include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> HttpResponse:
    if name not in _DOCS_ASSETS:
        raise NotFound()
    response = HttpResponse(_docs_asset(name), content_type=f"{_DOCS_ASSETS[name]}; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class _AnyPathConverter(PathConverter):
    """Django's ``path`` converter, newlines included: an id with a newline is a JSON 404 too."""

    regex = r"(?s:.+)"


register_converter(_AnyPathConverter, "anypath")

fallback_router = Router(auth=None)


@fallback_router.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{anypath:rest}",
                               include_in_schema=False, url_name="unknown")
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    raise NotFound(_("没有这个接口：/api/{path}").format(path=rest))
