"""Dependent place selects: a grid select lists the chosen village's grids (forms and list
filters), a village select the chosen town's villages; the options endpoint gives the same
narrowing among what the user sees; every option the user may choose still validates."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.support import World, make_grid, make_village

from renda.core.roles import Role
from renda.places.models import Region
from renda.suggestions.forms import RegisterForm, SuggestionFilter


def option_values(html: str) -> set[str]:
    return set(re.findall(r'<option value="(\d+)"', html))


@pytest.fixture
def second_village(world: World) -> tuple[Region, Region]:
    village = make_village(world.town)
    return village, make_grid(village)


@pytest.mark.django_db
def test_options_endpoint_narrows_grids_to_the_village(world: World, client: Client,
                                                       second_village: tuple[Region, Region]) -> None:
    village2, grid2 = second_village
    client.force_login(world.users[Role.STAFF])
    html = client.get(f"/places/options/?level=grid&village={village2.pk}").content.decode()
    assert option_values(html) == {str(grid2.pk)} and ">请选择</option>" in html
    # The select's own value stays chosen when still listed; a prefixed name is understood.
    url = f"/places/options/?level=grid&x-village={world.village.pk}&x-grid={world.grid.pk}"
    html = client.get(url).content.decode()
    assert option_values(html) == {str(world.grid.pk)} and "selected" in html
    # No village: the town's grids; never another town's.
    html = client.get("/places/options/?level=grid").content.decode()
    assert option_values(html) == {str(world.grid.pk), str(grid2.pk)}
    html = client.get(f"/places/options/?level=grid&village={world.other_village.pk}").content.decode()
    assert str(world.other_grid.pk) not in option_values(html)


@pytest.mark.django_db
def test_options_endpoint_town_to_village_for_district_users(world: World, client: Client) -> None:
    client.force_login(world.users[Role.ADMIN])
    html = client.get(f"/places/options/?level=village&town={world.other_town.pk}").content.decode()
    assert option_values(html) == {str(world.other_village.pk)}
    # A village of the town chosen before is ignored: the new town's grids.
    html = client.get(f"/places/options/?level=grid&town={world.other_town.pk}&village={world.village.pk}"
                      ).content.decode()
    assert option_values(html) == {str(world.other_grid.pk)}
    assert client.get("/places/options/?level=town").status_code == 404


@pytest.mark.django_db
def test_register_form_narrows_the_grid_to_the_chosen_village(world: World,
                                                              second_village: tuple[Region, Region]) -> None:
    village2, grid2 = second_village
    staff = world.users[Role.STAFF]
    unbound = RegisterForm(user=staff)
    assert option_values(str(unbound["grid"])) == {str(world.grid.pk), str(grid2.pk)}  # no JS: all still offered
    attrs = unbound.fields["grid"].widget.attrs
    assert attrs["hx-get"].startswith("/places/options/") and "change from:#id_village" in attrs["hx-trigger"]
    bound = RegisterForm({"kind": "public", "title": "路灯", "submitter_name": "张三", "village": village2.pk},
                         user=staff)
    assert option_values(str(bound["grid"])) == {str(grid2.pk)}
    # Server side the grid must still lie in the village (the service's check), shown on the field.
    bound = RegisterForm({"kind": "public", "title": "路灯", "submitter_name": "张三", "village": village2.pk,
                          "grid": world.grid.pk}, user=staff)
    assert bound.is_valid()  # the form accepts any grid the user sees …
    client = Client()
    client.force_login(staff)
    response = client.post("/suggestions/new/", {"kind": "public", "title": "路灯", "submitter_name": "张三",
                                                 "village": village2.pk, "grid": world.grid.pk})
    assert "不属于该村社区" in response.content.decode()  # … the service refuses a grid of another village


@pytest.mark.django_db
def test_filter_lists_the_villages_grids_and_drops_a_stray_grid(world: World, client: Client,
                                                               second_village: tuple[Region, Region]) -> None:
    village2, grid2 = second_village
    staff = world.users[Role.STAFF]
    f = SuggestionFilter({"village": str(village2.pk)}, user=staff)
    assert option_values(str(f["grid"])) == {str(grid2.pk)}
    assert f.fields["village"].widget.attrs["hx-target"] == "#list-table"
    assert "village" in f.redraw_on
    f = SuggestionFilter({"village": str(village2.pk), "grid": str(world.grid.pk)}, user=staff)
    assert f.is_valid() and f.cleaned_data["grid"] is None and f.cleaned_data["village"] == village2
    # The page redraws the filters when the village changes (HTMX), with the narrowed grids.
    client.force_login(staff)
    html = client.get(f"/suggestions/?village={village2.pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-table",
                      HTTP_HX_TRIGGER_NAME="village").content.decode()
    assert 'id="filters"' in html and 'hx-swap-oob="true"' in html
    grid_select = re.search(r'<select name="grid".*?</select>', html, re.S)
    assert grid_select and option_values(grid_select.group(0)) == {str(grid2.pk)}
