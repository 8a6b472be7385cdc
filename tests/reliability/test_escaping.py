"""Script-injection payloads typed into every text field of every create form come back
escaped on the detail page the form leads to and on the list page: the raw payload never
appears, the escaped one does, and no link gets a ``javascript:`` target.

The forms are found by introspection: each ``<app>:create`` page's ``form`` (the crud
Resources' forms, the suggestion register form, and the new apps' create pages). Choice
fields get their first allowed option; fields that refuse a payload (codes, phones,
usernames, short fields) get a valid sample value instead and are reported as not carrying it."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from tests.reliability.samples import Sample
from tests.reliability.urlwalk import routes
from tests.support import phone

PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
_n = itertools.count(700)
#: choices the generic filler cannot guess (a user's role decides which links it needs)
#: (and structured text fields parsed line by line, which refuse free text as a whole)
FIXED: dict[str, dict[str, Any]] = {
    "users:create": {"role": "deputy"},  # then a deputy without an account is picked
    # 同行信访人: one "name phone id" line per person; the duty shift proposed (the sample's, of
    # today) must be of the registration day, and the filler registers on another date
    "petitions:create": {"others": "", "duty_shift": ""},
    # projects: a year with the sample's collection window (2023: 2022-10-01 … 2022-12-31)
    "projects:create": {"year": "2024"},
    "project_candidates:create": {"year": "2023", "collected_on": "2022-11-01"},
    "project_lists:create": {"year": "2023"},
    # presidium: a year without the sample's plan or division (2023), a half within the sample plan's year
    "presidium_plans:create": {"year": "2025"},
    "duty_divisions:create": {"year": "2025"},
    "plan_tasks:create": {"due_half": "2023H2", "due_on": "", "ordinal": ""},
}


def create_pages() -> list[str]:
    return sorted(r.name for r in routes() if r.name.endswith(":create") and not r.kwargs and not r.api)


def _choice(field: forms.Field) -> Any:
    if isinstance(field, forms.ModelChoiceField):
        obj = field.queryset.order_by("pk").first() if field.queryset is not None else None
        return None if obj is None else obj.pk
    if isinstance(field, forms.ChoiceField):
        values = [v for v, _label in field.choices if v not in ("", None) and not isinstance(_label, (list, tuple))]
        return values[0] if values else None
    return None


def sample_value(name: str, field: forms.Field, data: dict[str, Any], form: forms.BaseForm, sample: Sample) -> Any:
    """A valid value for a field that refuses the payload."""
    from renda.places.models import Region

    k = next(_n)
    if "email" in name:
        return "wang.wu@example.cn"
    if "phone" in name:
        return phone() if (getattr(field, "max_length", None) or 20) <= 11 else "0552-1234567"
    if name == "code":
        parent_key = form.add_prefix("parent")
        parent = Region.objects.filter(pk=data.get(parent_key)).first()
        if parent is None:
            return f"{k:012d}"
        m = k % 900 + 100
        if parent.level == "district":
            return f"{parent.code[:6]}{m:03d}000"
        if parent.level == "town":
            return f"{parent.code[:9]}{m:03d}"
        return f"{parent.code}{m:03d}"
    if "id_number" in name:
        from renda.core.validators import id_number_check_digit

        first17 = f"34030219800101{k % 1000:03d}"
        return first17 + id_number_check_digit(first17)
    if isinstance(field.widget, forms.NumberInput) or name.endswith("count"):
        return "5"
    if name == "username":
        return f"user{k}"
    if "password" in name:
        return "Renda-Test-2026!x"
    return f"测试{k}"[: getattr(field, "max_length", None) or 20]


def fill(form: forms.BaseForm, payload: str, fixed: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if field.disabled:
            continue
        if name in fixed:
            data[key] = fixed[name]
        elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            value = _choice(field) if field.required else None
            if value is not None:
                data[key] = [value]
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            initial = form.get_initial_for_field(field, name)
            value = getattr(initial, "pk", initial) if initial not in (None, "") else (
                _choice(field) if field.required else None)
            if value is not None:
                data[key] = value
        elif isinstance(field, forms.BooleanField):
            if field.required:
                data[key] = "on"
        elif isinstance(field, forms.DateField):
            data[key] = "2024-03-01"
        elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            data[key] = "1"
        elif isinstance(field, forms.EmailField):
            data[key] = "a@example.com"
        elif isinstance(field, forms.FileField):
            continue
        elif isinstance(field, forms.CharField):
            data[key] = f"{payload}{next(_n)}"
        else:
            initial = form.get_initial_for_field(field, name)
            if initial not in (None, ""):
                data[key] = getattr(initial, "pk", initial)
    return data


def check_page(html: str, payload: str, where: str) -> list[str]:
    problems = []
    if "<" in payload and payload in html:
        problems.append(f"{where}: the raw payload {payload!r} is in the page")
    if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.IGNORECASE):
        problems.append(f"{where}: a javascript: URL is in a link")
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("name", create_pages())
def test_payloads_render_escaped(sample: Sample, name: str, payload: str) -> None:
    url = reverse(name)
    for role in ("staff", "admin", "presidium", "deputy", "grid_worker", "unit"):
        c = Client(raise_request_exception=False)
        c.force_login(sample.world.users[role])
        page = c.get(url)
        if page.status_code == 200:
            break
    assert page.status_code == 200, f"{name}: GET {url} → {page.status_code} for every role"
    form = page.context.get("form") if page.context else None
    assert isinstance(form, forms.BaseForm), f"{name}: the page has no 'form' in its context"
    if not any(isinstance(f, forms.CharField) and not f.disabled for f in form.fields.values()):
        return  # nothing to type into (e.g. a form of two choices)
    fixed: dict[str, Any] = dict(FIXED.get(name, {}))
    choice_overrides: dict[str, Any] = {}
    tries: dict[str, list[Any]] = {}
    response = None
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.content.decode()))
    hidden.pop("csrfmiddlewaretoken", None)
    for _attempt in range(20):
        data = {**hidden, **fill(form, payload, {**fixed, **choice_overrides})}
        response = c.post(url, data)
        if response.status_code != 200:
            break
        bound = response.context.get("form") if response.context else None
        if not isinstance(bound, forms.BaseForm) or not bound.errors:
            break
        refused = [f for f in bound.errors if f in form.fields]
        if not refused:
            pytest.fail(f"{name}: the form is refused and the test cannot fill it: {bound.errors.as_text()}")
        for f in refused:
            field = form.fields[f]
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                # try the next option (e.g. a grid's parent must be a village)
                tried = tries.setdefault(f, [data.get(form.add_prefix(f))])
                if isinstance(field, forms.ModelChoiceField):
                    obj = field.queryset.exclude(pk__in=[t for t in tried if t]).order_by("pk").first() \
                        if field.queryset is not None else None
                    nxt = obj.pk if obj is not None else None
                else:
                    nxt = next((v for v, _label in field.choices if v not in ("", None) and v not in tried), None)
                if nxt is None:
                    pytest.fail(f"{name}: no option of {f} is accepted: {bound.errors.as_text()}")
                tried.append(nxt)
                choice_overrides[f] = nxt
            elif f not in FIXED.get(name, {}):
                fixed[f] = sample_value(f, field, data, form, sample)
    last_errors = ""
    if response is not None and response.status_code == 200 and response.context:
        bound = response.context.get("form")
        last_errors = bound.errors.as_text() if isinstance(bound, forms.BaseForm) else ""
    assert response is not None and response.status_code == 302, (
        f"{name}: could not create a record (status {response and response.status_code}); "
        f"fields given samples: {sorted(fixed)}; errors: {last_errors}")
    carried = [f for f, field in form.fields.items() if isinstance(field, forms.CharField)
               and not field.disabled and f not in fixed]
    assert carried, f"{name}: no text field accepted the payload"
    problems: list[str] = []
    detail = c.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    problems += check_page(html, payload, f"{name} → {response['Location']}")
    if "<" in payload or '"' in payload:
        assert escape(payload) in html, f"{name}: the escaped payload is not on the detail page"
    else:
        assert payload in html
    list_name = name.replace(":create", ":list")
    try:
        list_url = reverse(list_name)
    except NoReverseMatch:
        list_url = None
    if list_url:
        listing = c.get(list_url, {"per_page": 100})
        assert listing.status_code == 200
        problems += check_page(listing.content.decode(), payload, f"{name} → {list_url}")
    assert not problems, "\n".join(problems)
