"""``{% petition_links suggestion offered %}``: on a suggestion's page, the petitions linked to it
(that the user may see) and the "转为信访件" button when the suggestions workflow offers that action
(``offered``: the page's ``to_petition`` from ``suggestions.policy.available_actions`` — the table
says in which states, its guard which items) and the item has no petition yet."""

from __future__ import annotations

from typing import Any

from django import template

from renda.petitions import policy, selectors
from renda.petitions.forms import FromSuggestionForm
from renda.petitions.models import Petition

register = template.Library()


@register.inclusion_tag("petitions/partials/suggestion_links.html", takes_context=True)
def petition_links(context: dict[str, Any], suggestion: Any, offered: bool = False) -> dict[str, Any]:
    user = context["request"].user
    linked = list(selectors.petitions_visible_to(user).filter(suggestion_id=suggestion.pk).order_by("id"))
    can_convert = (bool(offered) and policy.can(user, "from_suggestion") and not linked
                   and not Petition.objects.filter(suggestion_id=suggestion.pk).exists())
    return {"suggestion": suggestion, "linked": linked, "can_convert": can_convert,
            "form": FromSuggestionForm() if can_convert else None, "csrf_token": context.get("csrf_token")}
