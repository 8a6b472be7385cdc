"""What risks adds to the home pages and the top menu (see renda.core.home, renda.core.navigation)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renda.core.home import WorkItem
from renda.core.navigation import PETITIONS, NavItem, register
from renda.risks.models import Level, Risk

register(
    NavItem(
        _("信访隐患"),
        "risks:list",
        frozenset({"presidium", "staff", "deputy", "grid_worker", "district_viewer", "admin"}),
        PETITIONS,
        order=130,
    ),
)


def work_item(r: Risk) -> WorkItem:
    """A risk as a row of a home page's work list: its level (high in red), state and grid."""
    meta = [r.get_state_display(), r.grid.name if r.grid_id and r.grid else ""]
    return WorkItem(url=reverse("risks:detail", args=[r.pk]), code=r.code, title=r.title,
                    meta=" · ".join(m for m in meta if m),
                    badge=gettext("风险等级：{level}").format(level=r.get_level_display()),
                    danger=r.level == Level.HIGH)
