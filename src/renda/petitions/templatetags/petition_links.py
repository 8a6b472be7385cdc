"""``{% petition_links suggestion %}``: on a suggestion's page, the petitions linked to it (that
the user may see) and, for the office, the "转为信访件" button."""

from __future__ import annotations

from typing import Any

from django import template

from renda.petitions import policy, selectors
from renda.petitions.forms import FromSuggestionForm
from renda.petitions.models import Petition

register = template.Library()


@register.inclusion_tag("petitions/partials/suggestion_links.html", takes_context=True)
def petition_links(context: dict[str, Any], suggestion: Any) -> dict[str, Any]:
    user = context["request"].user
    linked = list(selectors.petitions_visible_to(user).filter(suggestion_id=suggestion.pk).order_by("id"))
    can_convert = (policy.can(user, "from_suggestion") and user.town_id == suggestion.town_id
                   and suggestion.kind == "public" and not suggestion.anonymous and not linked
                   and not Petition.objects.filter(suggestion_id=suggestion.pk).exists())
    return {"suggestion": suggestion, "linked": linked, "can_convert": can_convert,
            "form": FromSuggestionForm() if can_convert else None, "csrf_token": context.get("csrf_token")}
