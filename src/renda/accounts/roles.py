"""Role groups that app policies share."""

from __future__ import annotations

from renda.accounts.models import Role

#: May read the organization of their town (or of every town, for district roles).
ORG_READERS = frozenset({Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN})
#: May change the organization of their town.
ORG_WRITERS = frozenset({Role.STAFF, Role.ADMIN})
#: Roles with a town (everyone but district viewers and district admins).
TOWN_ROLES = frozenset({Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER})
