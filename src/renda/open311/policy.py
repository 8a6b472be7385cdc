"""Who may see what of the Open311 interface.

The GeoReport reads are public by design (no login: services, their definitions and the public
items in public wording, ``answers``); a POST is authorised by its client's api_key alone
(``selectors.client_for_key``), and clients are issued and revoked only on the server
(``renda open311_key``, the system). On a suggestion's page, where it came from (the client,
the location, the media link, the e-mail masked) is shown to whoever may see the suggestion."""

from __future__ import annotations

from typing import Any

from renda.core import policy as base
from renda.suggestions import policy as suggestion_policy


def can(user: Any, action: str, obj: Any = None) -> bool:
    if base.is_system(user):
        return True
    if action == "view_source":  # obj: the suggestion
        return obj is not None and suggestion_policy.can(user, "view", obj)
    return False  # issuing and revoking keys: the system only (the management command)
