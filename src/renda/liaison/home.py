"""What liaison adds to the home pages (the contact-target warnings) and the top menu."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.home import card
from renda.core.navigation import DEPUTY_WORK, NavItem, register
from renda.core.roles import Role
from renda.liaison import selectors, targets

ORG = frozenset({"presidium", "staff", "district_viewer", "admin"})

#: The liaison pages sit in the 代表工作 menu (core.navigation.DEPUTY_WORK), for the office and deputies.
_ENTRIES = (
    (_("联系群众"), "liaison:overview", 300),
    (_("代表联系选民"), "voter_contacts:list", 310),
    (_("主席团成员联系代表"), "presidium_contacts:list", 320),
    (_("联系选民户"), "liaison_voters:list", 325),
    (_("代表小组"), "deputy_groups:list", 330),
    (_("小组活动"), "group_meetings:list", 335),
    (_("代表联络站"), "stations:list", 340),
    (_("接待日安排"), "reception_days:list", 345),
    (_("联络站接待记录"), "receptions:list", 350),
)
register(
    *(NavItem(label, url_name, ORG, DEPUTY_WORK, order=order + 200) for label, url_name, order in _ENTRIES),
    NavItem(_("联系目标"), "liaison_settings:list", ORG, DEPUTY_WORK, order=560),
    *(NavItem(label, url_name, frozenset({"deputy"}), DEPUTY_WORK, order=order + 200)
      for label, url_name, order in _ENTRIES),
)

OFFICE = {Role.STAFF, Role.PRESIDIUM}


def warnings_for(user: Any, today: dt.date | None = None) -> dict[str, Any] | None:
    """The contact-target warnings for ``user``'s home page: a deputy's own voter contacts this
    year against the pro-rata target; a presidium member's assigned deputies not yet contacted
    this quarter; for the town's office and presidium, the members behind, the deputies without
    a presidium contact this quarter, those below the voter target this year and the groups that
    did not meet last quarter."""
    if not getattr(user, "is_authenticated", False) or not user.town_id:
        return None
    today = today or timezone.localdate()
    town_ids = [user.town_id]
    q_start, _q_end = targets.quarter_range(*targets.quarter_of(today))
    year_start = dt.date(today.year, 1, 1)
    out: dict[str, Any] = {"quarter": targets.quarter_code(today)}
    deputy_id = getattr(user, "deputy_id", None)
    if user.role in {Role.DEPUTY, Role.PRESIDIUM} and deputy_id:
        deputy = user.deputy
        per_year = selectors.settings_for_id(user.town_id).voter_contacts_per_year
        span = targets.clip(year_start, today, deputy.serving_from, deputy.serving_to)
        count = selectors.voter_contact_counts(town_ids, year_start, today).get(deputy_id, 0)
        owed = targets.voter_target(per_year, *span) if span else 0
        out["own_voter"] = {"count": count, "per_year": per_year, "target_text": f"{float(owed):.1f}",
                            "below": count < owed}
    if user.role == Role.PRESIDIUM and deputy_id:
        mine = selectors.presidium_behind(town_ids, q_start, today, presidium_member_id=deputy_id)
        out["own_presidium"] = mine[0].behind if mine else []
    if user.role in OFFICE:
        out["presidium_behind"] = selectors.presidium_behind(town_ids, q_start, today)
        out["without_contact"] = list(selectors.deputies_without_contact(user.town_id, q_start, today))
        out["below_voter"] = selectors.below_voter_target(town_ids, year_start, today)
        out["groups_not_met"] = selectors.groups_not_met(town_ids, *targets.previous_quarter(today))
    return out


@card("liaison_warnings", template="liaison/partials/home_card.html", roles={Role.STAFF, Role.PRESIDIUM, Role.DEPUTY},
      order=60)
def liaison_warnings(user: Any) -> dict[str, Any] | None:
    return warnings_for(user)
