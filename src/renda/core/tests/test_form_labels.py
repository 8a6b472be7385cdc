"""The empty choice of a select says 全部 in a list filter and 请选择 in a form — never
Django's ``---------`` — on every list and form page."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from tests.support import World

from renda.core.crud import FilterForm, ResourceForm, label_blanks, set_queryset, style_form
from renda.core.roles import Role
from renda.places.models import Region
from renda.suggestions.services import suggestion_register

LISTS = ["/suggestions/", "/petitions/", "/risks/", "/deputies/", "/contacts/", "/units/", "/grids/", "/villages/",
         "/grid-workers/", "/users/", "/grid-work/"]
FORMS = ["/suggestions/new/", "/petitions/new/", "/risks/new/", "/deputies/new/", "/contacts/new/", "/units/new/",
         "/grids/new/", "/villages/new/", "/grid-workers/new/", "/users/new/"]


class Filter(FilterForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none())
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "甲")])


class Form(ResourceForm):
    region = forms.ModelChoiceField(queryset=Region.objects.none())


@pytest.mark.django_db
def test_filter_says_all_and_form_says_choose(world: World) -> None:
    f = Filter()
    set_queryset(f, "region", Region.objects.all())
    html = str(f["region"]) + str(f["kind"])
    assert "---------" not in html and html.count(">全部</option>") == 2
    form = Form()
    set_queryset(form, "region", Region.objects.all())
    html = str(style_form(form)["region"])
    assert "---------" not in html and ">请选择</option>" in html


@pytest.mark.django_db
def test_label_blanks_after_a_narrowed_display() -> None:
    """A field whose shown options were narrowed (set_queryset's display copy) is named too."""

    class Narrowed(ResourceForm):
        region = forms.ModelChoiceField(queryset=Region.objects.none())

        def shown_choices(self, name: str, qs: object) -> object:
            return Region.objects.none()

    form = Narrowed()
    set_queryset(form, "region", Region.objects.all())
    label_blanks(form, "请选择")
    assert ">请选择</option>" in str(form["region"])


@pytest.mark.django_db
@pytest.mark.parametrize("url", LISTS)
def test_no_dashes_on_list_pages(world: World, client: Client, url: str) -> None:
    for role in (Role.STAFF, Role.ADMIN):
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == 200, (url, role)
        body = response.content.decode()
        assert "---------" not in body, (url, role)


@pytest.mark.django_db
@pytest.mark.parametrize("url", FORMS)
def test_no_dashes_on_form_pages(world: World, client: Client, url: str) -> None:
    for role in (Role.STAFF, Role.ADMIN):
        client.force_login(world.users[role])
        response = client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (url, role)
        body = response.content.decode()
        assert "---------" not in body, (url, role)
        assert "请选择" in body, (url, role)


@pytest.mark.django_db
def test_no_dashes_in_a_detail_pages_actions(world: World, client: Client) -> None:
    staff = world.users[Role.STAFF]
    s = suggestion_register(actor=staff, town=world.town, kind="public", title="路灯不亮", submitter_name="张三")
    client.force_login(staff)
    body = client.get(f"/suggestions/{s.pk}/").content.decode()
    assert 'id="action-assign"' in body and "---------" not in body
