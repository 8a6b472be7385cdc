from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from renda.places.forms import GridFilter
from renda.places.models import Region


class GridWorkFilter(GridFilter):
    busy = forms.ChoiceField(label=_("有待办"), choices=[("", _("全部")), ("1", _("有未结事项")),
                                                         ("petitions", _("有未结信访")), ("risks", _("有未化解隐患"))])

    def apply(self, qs: QuerySet[Region]) -> Any:
        qs = super().apply(qs)
        busy = self.cleaned_data.get("busy")
        if busy == "1":
            from renda.gridwork.selectors import busy as busy_only

            qs = busy_only(qs)
        elif busy == "petitions":
            qs = qs.filter(open_petitions__gt=0)  # type: ignore[misc]  # annotated by selectors.with_counts
        elif busy == "risks":
            qs = qs.filter(open_risks__gt=0)  # type: ignore[misc]
        return qs
