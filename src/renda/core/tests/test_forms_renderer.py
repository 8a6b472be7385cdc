"""Selects drawn in Python (``core.forms_renderer``) are exactly what Django's templates draw:
every kind of option, group, attribute and hostile text, compared character for character with
Django's own renderer; a select with templates of its own is left to them."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from renda.core.forms_renderer import Renderer, render_select
from renda.core.widgets import SearchableSelectMultiple

HOSTILE = '<script>alert("x")</script> & \' "'

CASES: list[tuple[str, forms.Widget, Any]] = [
    ("plain", forms.Select(choices=[("", "全部"), ("a", "甲"), ("b", "乙")]), "a"),
    ("nothing chosen", forms.Select(choices=[("", "全部"), ("a", "甲")]), None),
    ("numbers", forms.Select(choices=[(1, 2025), (2, 1234567), (3, 1.5)]), 2),
    ("hostile", forms.Select(choices=[(HOSTILE, HOSTILE), ("x", mark_safe("<b>粗</b>"))],
                             attrs={"title": HOSTILE}), HOSTILE),
    ("boolean attrs", forms.Select(choices=[("a", "甲")],
                                   attrs={"required": True, "disabled": False, "data-x": ""}), "a"),
    ("groups", forms.Select(choices=[("", "全部"), ("镇", [("1", "一村"), ("2", "二村")]), ("x", "其他")]), "2"),
    ("multiple", forms.SelectMultiple(choices=[("a", "甲"), ("b", "乙"), ("c", "丙")]), ["a", "c"]),
    ("empty", forms.Select(choices=[]), None),
    ("class", forms.Select(choices=[("a", "甲")], attrs={"class": "form-select form-select-sm"}), "a"),
]


@pytest.mark.parametrize(("label", "widget", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_select_is_drawn_exactly_as_django_draws_it(label: str, widget: forms.Widget, value: Any) -> None:
    ours = widget.render("f", value, attrs={"id": "id_f"}, renderer=Renderer())
    django = widget.render("f", value, attrs={"id": "id_f"}, renderer=DjangoTemplates())
    assert ours == django
    assert "<script>" not in ours


@pytest.mark.django_db
def test_a_model_select_with_its_lazy_labels_is_drawn_as_django_draws_it() -> None:
    from tests.support import World

    from renda.places.models import Region

    World()
    field = forms.ModelChoiceField(queryset=Region.objects.order_by("id"), empty_label="全部")
    form = forms.Form()
    form.fields["r"] = field
    chosen = Region.objects.order_by("id").last()
    assert chosen is not None
    ours = field.widget.render("r", chosen.pk, renderer=Renderer())
    assert ours == field.widget.render("r", chosen.pk, renderer=DjangoTemplates())
    assert "selected" in ours and chosen.name in ours


def test_a_select_with_templates_of_its_own_is_left_to_them() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Custom(choices=[("a", "甲")])
    context = widget.get_context("f", "a", None)["widget"]
    assert render_select(context) is None
    assert widget.render("f", "a", renderer=Renderer()) == widget.render("f", "a", renderer=DjangoTemplates())
    searchable = SearchableSelectMultiple(choices=[("a", "甲")])
    assert searchable.render("f", ["a"], renderer=Renderer()) == searchable.render(
        "f", ["a"], renderer=DjangoTemplates())


def test_the_site_renders_forms_with_it() -> None:
    assert isinstance(get_default_renderer(), Renderer)


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [True, False])
def test_a_select_read_as_values_draws_what_its_models_draw(chosen: bool) -> None:
    """A place or named select (``crud.label_fields``) reads its options as rows of values: the
    same options, labels, order and choice as from the models, in a filter form."""
    from tests.support import World

    from renda.core.crud import NamedChoiceField, _FetchedChoices, fetch_choices_at_once, label_fields
    from renda.places.forms import RegionLabelField
    from renda.places.models import Region
    from renda.units.models import Unit

    world = World()
    Region.objects.filter(pk=world.grid.pk).update(name=HOSTILE)
    for field in (RegionLabelField(queryset=Region.objects.select_related("parent", "town").order_by("code"),
                                   empty_label="全部"),
                  NamedChoiceField(queryset=Unit.objects.order_by("-name"), empty_label=None)):
        form = forms.Form()
        form.fields["f"] = field
        value = field.queryset.last().pk if chosen else None  # type: ignore[union-attr]
        by_models = forms.Select(choices=list(forms.models.ModelChoiceIterator(field))).render("f", value)
        fetch_choices_at_once(form)
        assert isinstance(field.widget.choices, _FetchedChoices) and label_fields(field)
        assert field.widget.render("f", value, renderer=Renderer()) == by_models
        assert "<script>" not in by_models and (f'value="{value}" selected' in by_models) == chosen
        assert field.clean(str(field.queryset.first().pk)) == field.queryset.first()  # type: ignore[union-attr]


def test_a_field_whose_labels_are_its_own_is_read_as_models() -> None:
    from renda.core.crud import label_fields
    from renda.places.forms import RegionLabelField
    from renda.places.models import Region

    class Renamed(RegionLabelField):
        def label_from_instance(self, obj: Region) -> str:
            return obj.name

    class Same(RegionLabelField):
        pass

    assert label_fields(Renamed(queryset=Region.objects.none())) == ()
    assert label_fields(Same(queryset=Region.objects.none())) == ("name", "code")
    assert label_fields(forms.ModelChoiceField(queryset=Region.objects.none())) == ()
