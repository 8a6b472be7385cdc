"""What congress adds to the home pages and the top menu (see renda.core.home, renda.core.navigation):
a deputy's open phone rounds to vote in; the office's and presidium's rounds in progress and
sessions under way or coming."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.congress import selectors
from renda.congress.models import RoundState
from renda.core.home import card
from renda.core.navigation import DEPUTY_WORK, NavItem, register
from renda.core.roles import Role

READERS = frozenset({"presidium", "staff", "deputy", "district_viewer", "admin"})

# In the organisation's dropdown (a new top-level group would wrap the English top bar at 1366 px).
register(
    NavItem(_("人代会"), "congress:list", READERS, DEPUTY_WORK, order=300),
    NavItem(_("人代会投票"), "congress_rounds:list", READERS, DEPUTY_WORK, order=305),
)


@card("congress_vote", template="congress/partials/home_vote.html", roles={Role.DEPUTY, Role.PRESIDIUM}, order=1)
def rounds_to_vote(user: Any) -> list[Any] | None:
    rounds = list(selectors.rounds_open_for_deputy(user).order_by("id")[:10])
    return rounds or None


@card("congress_work", template="congress/partials/home_work.html", roles={Role.STAFF, Role.PRESIDIUM},
      order=20, columns={Role.PRESIDIUM: "side"})
def congress_work(user: Any) -> dict[str, Any] | None:
    today = timezone.localdate()
    rounds = list(selectors.rounds_visible_to(user).filter(state=RoundState.OPEN).order_by("id")[:10])
    sessions = list(selectors.sessions_visible_to(user).filter(ends_on__gte=today).order_by("starts_on", "id")[:3])
    if not rounds and not sessions:
        return None
    return {"rounds": rounds, "sessions": sessions}
