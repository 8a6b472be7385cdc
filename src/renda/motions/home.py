"""What motions adds to the top menu (代表工作), the presidium's home page (motions awaiting its
decision) and the suggestion's page (the motion a suggestion came from, ``core.panels``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renda.core.home import WorkItem, card, worklist_section
from renda.core.navigation import DEPUTY_WORK, NavItem, register
from renda.core.panels import panel
from renda.core.roles import Role
from renda.motions import selectors
from renda.motions.models import Motion

_READERS = frozenset({"presidium", "staff", "deputy", "unit", "district_viewer", "admin"})

register(
    NavItem(gettext_lazy("议案"), "motions:list", _READERS, DEPUTY_WORK, order=310),
    NavItem(gettext_lazy("议案设置"), "motions:settings", frozenset({"staff", "admin"}), DEPUTY_WORK, order=312),
)


def _item(m: Motion) -> WorkItem:
    submitted = timezone.localtime(m.submitted_at).strftime("%Y-%m-%d %H:%M") if m.submitted_at else ""
    return WorkItem(url=reverse("motions:detail", args=[m.pk]), code=m.code, title=m.title,
                    meta=_("{by} · 提交于 {at}").format(by=m.get_submitted_by_display(), at=submitted))


@card("motion_work", template="motions/partials/home_card.html", roles={Role.PRESIDIUM, Role.STAFF}, order=38)
def motion_work(user: Any) -> dict[str, Any] | None:
    """议案: the submitted motions awaiting the presidium's decision (hidden when there are none)."""
    qs = selectors.awaiting_decision(user)
    list_url = reverse("motions:list")
    section = worklist_section(key="awaiting", label=_("待主席团决定的议案"), qs=qs,
                               more_url=f"{list_url}?state=submitted", row=_item, empty=_("没有待决定的议案"))
    if not section["count"]:
        return None
    return {"id": "motion-work", "title": _("议案"), "sections": [section],
            "actions": [{"url": list_url, "label": _("全部议案"), "primary": False}], "footer": []}


@panel("suggestions")
def suggestion_motion(user: Any, suggestion: Any) -> list[dict[str, Any]]:
    """On a suggestion's page: the motion it came from (作为代表建议处理), if the viewer sees it."""
    rows = [(_("由议案 {code}「{title}」转来").format(code=m.code, title=m.title),
             reverse("motions:detail", args=[m.pk])) for m in selectors.motions_for_suggestion(user, suggestion.pk)]
    return [{"title": _("来源议案"), "count": len(rows), "rows": rows}] if rows else []


@panel("deputies")
def deputy_motions(user: Any, deputy: Any) -> list[dict[str, Any]]:
    """On a deputy's page: the motions the deputy led or signed (among those the viewer sees)."""
    qs = selectors.motions_visible_to(user).filter(signatures__deputy=deputy).order_by("-id")[:50]
    rows = [(f"{m.code} {m.title}（{_('领衔') if m.lead_deputy_id == deputy.pk else _('联名')} · "
             f"{m.get_state_display()}）", reverse("motions:detail", args=[m.pk])) for m in qs]
    return [{"title": _("领衔和联名的议案"), "count": len(rows), "rows": rows}] if rows else []
