"""The outbox list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.crud import FilterForm
from renda.notifications.models import Channel, DeliveryStatus


class DeliveryFilter(FilterForm):
    #: The office page shows the failed deliveries unless another status is asked for.
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *DeliveryStatus.choices], initial=DeliveryStatus.FAILED)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部")), *Channel.choices])

    def apply(self, qs: Any) -> Any:
        d = self.cleaned_data
        if d.get("status"):
            qs = qs.filter(status=d["status"])
        if d.get("channel"):
            qs = qs.filter(channel=d["channel"])
        return qs
