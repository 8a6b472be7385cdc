"""The GeoReport v2 endpoints at /open311/v2/ (docs/open311.md): thin — parse (``protocol``),
read (``selectors``) or write (``services``), answer (``answers`` → ``render``). Every refusal is
the specification's error list: 403 a missing, wrong or revoked api_key; 404 an unknown
jurisdiction, service or request; 429 too many POSTs of one client; 400 anything else.

No login and no session: reads are public, a POST is authenticated by its api_key alone, so the
POST endpoint is CSRF-exempt (a browser's cookies give it nothing)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from renda.audit.security import log_event_limited
from renda.core import validators
from renda.core.errors import ApplicationError, Forbidden, NotFound
from renda.open311 import answers, openapi, protocol, render, selectors, services
from renda.open311.protocol import Open311Error, bad, one
from renda.places.models import Region

View = Callable[..., HttpResponse]


def _status(exc: ApplicationError) -> int:
    if isinstance(exc, services.RateLimited):
        return 429
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    return 400


def georeport(view: View) -> View:
    """Answers an ``Open311Error`` or a service's ``ApplicationError`` in the URL's format."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return render.error(fmt, exc)
        except ApplicationError as exc:
            status = _status(exc)
            headers = {"Retry-After": "600"} if status == 429 else None
            return render.error(fmt, Open311Error(status, exc.message), headers=headers)

    return wrapped


def _jurisdiction(params: Any) -> Region:
    return selectors.jurisdiction(one(params, "jurisdiction_id", max_length=40))


@require_GET
@georeport
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    contact = getattr(settings, "RENDA_OPEN311_CONTACT", "") or _("如需帮助，请联系镇人大办公室。")
    key_service = _("API 密钥（api_key）由平台管理员为每个接入系统签发，请与镇人大办公室联系。")
    url = request.build_absolute_uri("/open311/v2/")
    return render.respond(fmt, "discovery", answers.discovery(url, str(contact), key_service))


@require_GET
@georeport
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    town = _jurisdiction(request.GET)
    has_attributes = bool(selectors.attributes_for(town))
    data = [answers.service(c, town, has_attributes) for c in selectors.categories(town)]
    return render.respond(fmt, "services", data)


@require_GET
@georeport
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    town = _jurisdiction(request.GET)
    category = selectors.category(town, service_code)
    return render.respond(fmt, "service_definition",
                          answers.service_definition(category, selectors.attributes_for(town)))


@csrf_exempt
@require_http_methods(["GET", "POST"])
@georeport
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _receive(request, fmt)
    params = request.GET
    town = _jurisdiction(params)
    ids = protocol.comma_list(params, "service_request_id", pattern=protocol.REQUEST_ID_LIST)
    codes = protocol.comma_list(params, "service_code", pattern=protocol.SERVICE_CODE_LIST)
    start, end = protocol.date_range(params)
    statuses = protocol.statuses(params)
    page = protocol.positive_int(params, "page", default=1, maximum=100_000)
    page_size = protocol.positive_int(params, "page_size", default=protocol.MAX_RESULTS, maximum=protocol.MAX_RESULTS)
    items = selectors.requests(town, ids=ids, codes=codes, start=start, end=end, statuses=statuses, page=page,
                               page_size=page_size)
    return render.respond(fmt, "service_requests", [answers.request(s) for s in items])


@require_GET
@georeport
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    town = _jurisdiction(request.GET)
    return render.respond(fmt, "service_requests", [answers.request(selectors.request(town, request_id))])


@require_GET
def openapi_document(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi.document(), json_dumps_params={"ensure_ascii": False})


# --- POST requests ---------------------------------------------------------------------------


def _clean(value: str, name: str, *, max_length: int, multiline: bool = False) -> str:
    try:
        return validators.clean_text(value, label=name, max_length=max_length, multiline=multiline)
    except ValidationError as exc:
        raise bad(exc.messages[0]) from None


def _form(request: HttpRequest) -> Any:
    """The POSTed form: form-encoded as the specification says (multipart is read too, without
    files: media is a link), at most ``MAX_BODY`` bytes and ``MAX_FIELDS`` fields."""
    content_type = request.content_type or ""
    if content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        raise bad(_("请以 application/x-www-form-urlencoded 格式提交"))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > protocol.MAX_BODY:
        raise bad(_("提交的内容过大"))
    form = request.POST
    if request.FILES:
        raise bad(_("不接收文件：图片等请以 media_url 链接给出"))
    if len(form) > protocol.MAX_FIELDS:
        raise bad(_("提交的参数过多"))
    return form


def _receive(request: HttpRequest, fmt: str) -> HttpResponse:
    form = _form(request)
    client = selectors.client_for_key(one(form, "api_key"))
    if client is None:
        log_event_limited(kind="access_denied", detail="Open311 api_key missing, wrong or revoked", path=request.path)
        raise Open311Error(403, _("api_key 缺失、不正确或已吊销"))
    town = selectors.jurisdiction(one(form, "jurisdiction_id", max_length=40) or one(request.GET, "jurisdiction_id"))
    code = one(form, "service_code", max_length=40)
    if not code:
        raise bad(_("请给出 service_code"))
    category = selectors.category(town, code)
    submission = _submission(form, town, category)
    req = services.request_receive(actor=None, client=client, town=town, submission=submission)
    return render.respond(fmt, "service_requests", [answers.received(req.suggestion)])


def _submission(form: Any, town: Region, category: Any) -> services.Submission:
    lat_text, long_text = one(form, "lat", max_length=40), one(form, "long", max_length=40)
    if bool(lat_text) != bool(long_text):
        raise bad(_("lat 与 long 须同时给出"))
    lat = protocol.coordinate(lat_text, "lat", limit=90) if lat_text else None
    long = protocol.coordinate(long_text, "long", limit=180) if long_text else None
    address_string = _clean(one(form, "address_string", max_length=1000), "address_string",
                            max_length=protocol.ADDRESS_MAX)
    if protocol.HTML_RE.search(address_string):
        raise bad(_("address_string 不能包含 HTML 或代码"))
    address_id = one(form, "address_id", max_length=40)
    grid = selectors.grid_in(town, address_id) if address_id else None
    if lat is None and not address_string and grid is None:
        raise bad(_("请给出位置：lat 和 long，或 address_string，或 address_id（网格编码）"))

    given = protocol.attributes(form)
    definitions = {a.code: a for a in selectors.attributes_for(town)}
    unknown = sorted(set(given) - set(definitions))
    if unknown:
        raise bad(_("未知的附加信息：{codes}").format(codes="、".join(unknown)))
    chosen: dict[str, str] = {}
    for a in definitions.values():
        values = given.get(a.code, [])
        if not values:
            if a.required:
                raise bad(_("请填写附加信息 attribute[{code}]（{description}）").format(code=a.code,
                                                                                   description=a.description))
            continue
        keys = {k for k, _n in a.values}
        if len(values) > 1 or values[0] not in keys:
            raise bad(_("附加信息 attribute[{code}] 的值不在可选范围内").format(code=a.code))
        chosen[a.code] = values[0]
    village = selectors.villages(town).filter(code=chosen[selectors.VILLAGE]).first() \
        if selectors.VILLAGE in chosen else None
    if grid is not None:
        if village is not None and grid.parent_id != village.pk:
            raise bad(_("address_id 的网格不在所选村（社区）"))
        village = village or grid.parent

    description = _clean(one(form, "description", max_length=protocol.DESCRIPTION_MAX * 2), "description",
                         max_length=protocol.DESCRIPTION_MAX, multiline=True)
    protocol.check_description(description)
    names = {n: _clean(one(form, n, max_length=200), n, max_length=protocol.NAME_MAX)
             for n in ("first_name", "last_name")}
    if any(protocol.HTML_RE.search(v) for v in names.values()):
        raise bad(_("姓名不能包含 HTML 或代码"))
    phone = one(form, "phone", max_length=40)
    email = one(form, "email", max_length=protocol.EMAIL_MAX + 10)
    protocol.check_email(email)
    media_url = one(form, "media_url", max_length=protocol.MEDIA_URL_MAX + 10)
    protocol.check_media_url(media_url)
    for ignored in ("device_id", "account_id"):  # identifiers of a person's phone or account: not kept
        one(form, ignored, max_length=200)
    return services.Submission(
        category=category, village=village, grid=grid,
        no_unit_contact=chosen.get(selectors.NO_UNIT_CONTACT) == selectors.YES, lat=lat, long=long,
        address_string=address_string, address_id=grid.code if grid else "", description=description,
        first_name=names["first_name"], last_name=names["last_name"], phone=phone, email=email,
        media_url=media_url, attributes={k: [v] for k, v in chosen.items()},
    )


@csrf_exempt
def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return render.error(fmt, Open311Error(404, _("没有这个 Open311 资源")))
