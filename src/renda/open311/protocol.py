"""The GeoReport v2 wire rules, pure: the error every refusal becomes, reading the query and form
parameters the specification names, and its datetime format (w3 note, with the offset: +08:00).

Nothing here touches the database; ``selectors`` and ``services`` are called with what this
module has parsed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this server's Open311 interface last changed (discovery ``changeset``).
CHANGESET = dt.datetime(2026, 12, 7, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
DISCOVERY_FORMATS = ["text/xml", "application/json"]

#: GET requests: at most this many per answer (the specification's default volume), and the
#: longest span between start_date and end_date.
MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)
#: At most this many ids in service_request_id, codes in service_code.
MAX_IDS = 100
#: POST requests: the longest description (the specification), address, name, e-mail and link.
DESCRIPTION_MAX = 4000
ADDRESS_MAX = 250
NAME_MAX = 25
EMAIL_MAX = 254
MEDIA_URL_MAX = 500
#: The most form fields and bytes a POST may carry: anything larger is not a GeoReport form.
MAX_FIELDS = 40
MAX_BODY = 64 * 1024  # 4,000 Chinese characters are 36,000 bytes form-encoded

SERVICE_CODE_RE = re.compile(r"^[0-9]{1,18}$")
REQUEST_ID_RE = re.compile(r"^[0-9A-Za-z_.-]{1,30}$")
#: The comma-delimited lists as a whole (the OpenAPI document declares the same patterns).
SERVICE_CODE_LIST = r"^([0-9]{1,18}(,[0-9]{1,18})*)?$"
REQUEST_ID_LIST = r"^([0-9A-Za-z_.-]{1,30}(,[0-9A-Za-z_.-]{1,30})*)?$"
STATUS_LIST = r"^((open|closed)(,(open|closed))*)?$"
JURISDICTION_RE = re.compile(r"^[0-9]{12}$")
#: Markup in a description: a tag, a comment, a declaration or an entity.
HTML_RE = re.compile(r"<[A-Za-z/!?]|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,24}$")
ATTRIBUTE_RE = re.compile(r"^attribute\[([A-Za-z0-9_]{1,40})\](\[\])?$")


@dataclass
class Open311Error(Exception):
    """A refusal in the specification's shape: an HTTP status and one ``{code, description}``
    (``code`` is the status, as the specification's examples have it)."""

    status: int
    description: str

    def __str__(self) -> str:
        return f"{self.status} {self.description}"


def bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def w3(value: dt.datetime | None) -> str | None:
    """A datetime in the w3 format with the town's offset: 2023-03-01T09:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def one(params: QueryDict, name: str, *, max_length: int = 200) -> str:
    """One parameter's value, stripped; "" when missing or empty (the specification: an empty
    parameter is an undeclared one). Declared twice with different values, or too long: 400."""
    values = [v.strip() for v in params.getlist(name)]
    values = [v for v in values if v]
    if len(set(values)) > 1:
        raise bad(_("参数 {name} 只能给出一次").format(name=name))
    value = values[0] if values else ""
    if len(value) > max_length:
        raise bad(_("参数 {name} 过长").format(name=name))
    if "\x00" in value:
        raise bad(_("参数 {name} 含有不可见的控制字符").format(name=name))
    return value


def comma_list(params: QueryDict, name: str, *, pattern: str, limit: int = MAX_IDS) -> list[str]:
    """A parameter that may be declared several times, each comma delimited: its values (each
    declaration matching ``pattern`` as a whole), at most ``limit``, duplicates dropped."""
    out: list[str] = []
    for raw in params.getlist(name):
        if not re.fullmatch(pattern, raw):
            raise bad(_("参数 {name} 的值「{value}」不正确").format(name=name, value=raw[:30]))
        for value in raw.split(","):
            if value and value not in out:
                out.append(value)
    if len(out) > limit:
        raise bad(_("参数 {name} 最多{n}个值").format(name=name, n=limit))
    return out


def statuses(params: QueryDict) -> list[str]:
    return comma_list(params, "status", pattern=STATUS_LIST, limit=2)


def parse_datetime(value: str, name: str) -> dt.datetime | None:
    """A w3 datetime (2010-01-01T00:00:00Z, or with an offset); a date alone or a time without an
    offset is read in the town's time (+08:00). Anything else: 400."""
    if not value:
        return None
    text = value.replace(" ", "+") if re.search(r"T\d\d:\d\d(:\d\d(\.\d+)?)? \d\d:?\d\d$", value) else value
    try:
        parsed = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise bad(_("参数 {name} 应为 W3C 日期时间，如 2023-03-01T00:00:00+08:00").format(name=name)) from None
    if not dt.date(1949, 1, 1) <= parsed.date() <= dt.date(9998, 12, 31):
        raise bad(_("参数 {name} 超出范围").format(name=name))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def date_range(params: QueryDict, *, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """start_date and end_date, the specification's way: when neither is given the most recent
    90 days; one alone spans 90 days from (or to) it; the two may not span more than 90 days."""
    start = parse_datetime(one(params, "start_date", max_length=40), "start_date")
    end = parse_datetime(one(params, "end_date", max_length=40), "end_date")
    if start is None and end is None:
        end = now or timezone.now()
        start = end - MAX_SPAN
    elif start is None:
        assert end is not None
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    if end < start:
        raise bad(_("end_date 不能早于 start_date"))
    if end - start > MAX_SPAN:
        raise bad(_("start_date 与 end_date 相隔不能超过90天"))
    return start, end


def positive_int(params: QueryDict, name: str, *, default: int, maximum: int) -> int:
    value = one(params, name, max_length=20)
    if not value:
        return default
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= maximum:
        raise bad(_("参数 {name} 应为1至{maximum}的整数").format(name=name, maximum=maximum))
    return int(value)


def coordinate(value: str, name: str, *, limit: int) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise bad(_("{name} 应为 WGS84 经纬度数值").format(name=name)) from None
    if not number.is_finite() or not -limit <= number <= limit:
        raise bad(_("{name} 超出范围").format(name=name))
    return number.quantize(Decimal("0.000001"))


def attributes(form: QueryDict) -> dict[str, list[str]]:
    """``attribute[code]=value`` and ``attribute[code][]=value`` (a multivaluelist): code → values."""
    out: dict[str, list[str]] = {}
    for key in form:
        if not key.startswith("attribute"):
            continue
        m = ATTRIBUTE_RE.fullmatch(key)
        if m is None:
            raise bad(_("附加信息参数「{key}」格式不正确，应为 attribute[代码]").format(key=key[:50]))
        values = [v.strip() for v in form.getlist(key) if v.strip()]
        if any(len(v) > 100 for v in values):
            raise bad(_("附加信息 {code} 的值过长").format(code=m.group(1)))
        out.setdefault(m.group(1), []).extend(values)
    return out


def check_description(text: str) -> None:
    if len(text) > DESCRIPTION_MAX:
        raise bad(_("description 最多{n}个字（现有{m}个）").format(n=DESCRIPTION_MAX, m=len(text)))
    if HTML_RE.search(text):
        raise bad(_("description 不能包含 HTML 或代码"))


def check_email(value: str) -> None:
    if value and (len(value) > EMAIL_MAX or not EMAIL_RE.fullmatch(value)):
        raise bad(_("email 格式不正确"))


def check_media_url(value: str) -> None:
    if not value:
        return
    if len(value) > MEDIA_URL_MAX or not re.fullmatch(r"https?://[^\s/?#@]+(/[^\s]*)?", value, re.IGNORECASE):
        raise bad(_("media_url 应为 http 或 https 链接"))
