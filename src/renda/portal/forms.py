"""The public forms: an opinion, a tracking-code lookup, the evaluation of a reply, the search
for one's deputies. Choices come from the active places and the town's categories; everything
typed is checked again by the suggestion services' edge rule."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core import uploads
from renda.core.validators import validate_mobile
from renda.places.models import Region
from renda.portal import selectors
from renda.suggestions.models import Result

#: Limits of a public opinion (also told on the page).
CONTENT_MAX = 1000
PHOTO_MAX_FILES = 3
PHOTO_MAX_SIZE = 5 * 1024 * 1024
PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})
#: The honeypot: a field people never see (hidden by the portal's style sheet) and bots fill in.
HONEYPOT = "website"


def _grouped(regions: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """Regions as ``<optgroup>``s by their parent (villages by town, grids by village)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for r in regions:
        groups.setdefault(r.parent.name if r.parent else "", []).append((r.pk, r.name))
    return list(groups.items())


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


def style(form: forms.Form) -> None:
    """Bootstrap classes on the widgets (the public pages have no other styling step)."""
    for f in form.fields.values():
        w = f.widget
        if isinstance(w, forms.RadioSelect):
            continue
        w.attrs.setdefault("class", "form-select" if isinstance(w, forms.Select) else "form-control")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/png,image/jpeg", "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > PHOTO_MAX_FILES:
            raise forms.ValidationError(_("最多上传{n}张照片").format(n=PHOTO_MAX_FILES))
        for f in files:
            if f.size > PHOTO_MAX_SIZE:
                raise forms.ValidationError(_("每张照片不能超过5MB"))
            f.seek(0)
            kind = uploads.sniff(f.read(16))
            f.seek(0)
            if kind not in PHOTO_TYPES:
                raise forms.ValidationError(_("只能上传JPG或PNG格式的照片"))
        return files


class OpinionForm(forms.Form):
    category = forms.TypedChoiceField(label=_("类别"), coerce=int, required=False, empty_value=None)
    village = forms.TypedChoiceField(label=_("所在村（社区）"), coerce=int)
    grid = forms.TypedChoiceField(label=_("所在网格"), coerce=int, required=False, empty_value=None)
    content = forms.CharField(label=_("反映内容"), max_length=CONTENT_MAX, min_length=5,
                              widget=forms.Textarea(attrs={"rows": 6, "maxlength": CONTENT_MAX}),
                              help_text=_("请写清事情、地点和您的诉求，最多1000字"))
    name = forms.CharField(label=_("姓名（可不填）"), max_length=20, required=False,
                           help_text=_("不填姓名即为匿名反映，无法电话回访"))
    phone = forms.CharField(label=_("手机号（可不填）"), max_length=11, required=False, validators=[validate_mobile],
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    photos = PhotosField(label=_("照片（可不传，最多3张）"), required=False)
    website = forms.CharField(required=False, label=_("网址（请勿填写）"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args: Any, town: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.town = town
        cats = list(selectors.categories(town))
        _choices(self, "category", [("", _("请选择"))] + [(c.pk, c.name) for c in cats])
        self.categories = {c.pk: c for c in cats}
        vs = list(selectors.villages(town))
        self.villages = {v.pk: v for v in vs}
        _choices(self, "village", [("", _("请选择"))] + [(v.pk, v.name) for v in vs])
        gs = list(selectors.grids(town))
        self.grids = {g.pk: g for g in gs}
        _choices(self, "grid", [("", _("不清楚")), *_grouped(gs)])
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grid = self.grids.get(data.get("grid") or 0)
        village = self.villages.get(data.get("village") or 0)
        if grid is not None and village is not None and grid.parent_id != village.pk:
            self.add_error("grid", _("该网格不属于所选村（社区）"))
        if data.get("phone") and not (data.get("name") or "").strip():
            self.add_error("name", _("留了手机号请同时填写姓名，或清空手机号匿名反映"))
        return data


class LookupForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "form-control"}))


class EvaluateForm(forms.Form):
    result = forms.ChoiceField(label=_("您对答复是否满意"), choices=Result.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见（可不填）"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500, "class": "form-control"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class FindForm(forms.Form):
    village = forms.TypedChoiceField(label=_("村（社区）"), coerce=int, required=False, empty_value=None)
    grid = forms.TypedChoiceField(label=_("或网格"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vs = list(selectors.villages())
        gs = list(selectors.grids())
        self.villages = {v.pk: v for v in vs}
        self.grids = {g.pk: g for g in gs}
        _choices(self, "village", [("", _("请选择")), *_grouped(vs)])
        _choices(self, "grid", [("", _("请选择")), *_grouped(gs)])
        style(self)
