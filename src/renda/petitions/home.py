"""What petitions adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renda.core.home import WorkItem
from renda.core.navigation import PETITIONS, NavItem, register
from renda.petitions import rules
from renda.petitions.models import Petition

register(
    NavItem(
        _("信访件"),
        "petitions:list",
        frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer", "admin"}),
        PETITIONS,
        order=70,
    ),
    NavItem(_("登记信访"), "petitions:create", frozenset({"grid_worker"}), PETITIONS, order=80),
    NavItem(_("查找信访人"), "petitions:lookup", frozenset({"presidium", "staff"}), PETITIONS, order=90),
    NavItem(_("信访工作台"), "petitions:queue", frozenset({"staff"}), PETITIONS, order=100),
    NavItem(_("待阅批来信"), "petitions:instructions", frozenset({"presidium"}), PETITIONS, order=110),
)


def work_item(p: Petition, today: dt.date) -> WorkItem:
    """A petition as a row of a home page's work list (its subject, never the petitioner): state,
    running time limit, and whether that limit is past or near (``PetitionQuerySet.overdue`` /
    ``due_soon``)."""
    meta = [p.get_state_display()]
    if p.deadline:
        meta.append(gettext("期限 {date}").format(date=p.deadline.isoformat()))
    badge, danger = "", False
    if p.deadline and p.is_open:
        if p.deadline < today:
            badge, danger = gettext("已超期"), True
        elif p.deadline <= today + dt.timedelta(days=rules.DEFAULT.due_soon_days):
            badge = gettext("即将到期")
    return WorkItem(url=reverse("petitions:detail", args=[p.pk]), code=p.code, title=p.subject,
                    meta=" · ".join(meta), badge=badge, danger=danger)
