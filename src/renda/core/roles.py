"""Roles (DESIGN §2) and the role groups that every app's policy shares.

The role is a property of the acting user (``accounts.User.role``), but the names and groups are
needed by every app's policy below and beside ``accounts``, so they live here, on the floor.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PRESIDIUM = "presidium", _("主席团成员")
    STAFF = "staff", _("人大办工作人员")
    DEPUTY = "deputy", _("人大代表")
    UNIT = "unit", _("承办单位")
    GRID_WORKER = "grid_worker", _("网格员")
    DISTRICT_VIEWER = "district_viewer", _("区人大(只读)")
    ADMIN = "admin", _("系统管理员")


#: Roles whose users belong to the whole district rather than one town.
DISTRICT_ROLES = frozenset({Role.DISTRICT_VIEWER, Role.ADMIN})
#: Roles with a town (everyone but district viewers and district admins).
TOWN_ROLES = frozenset({Role.PRESIDIUM, Role.STAFF, Role.DEPUTY, Role.UNIT, Role.GRID_WORKER})
#: May read the organization of their town (or of every town, for district roles).
ORG_READERS = frozenset({Role.PRESIDIUM, Role.STAFF, Role.DISTRICT_VIEWER, Role.ADMIN})
#: May change the organization of their town: the congress office (人大办), and the administrator.
ORG_WRITERS = frozenset({Role.STAFF, Role.ADMIN})
#: The town's presidium and its office: who leads and runs the town's congress work.
TOWN_OFFICE = frozenset({Role.STAFF, Role.PRESIDIUM})
