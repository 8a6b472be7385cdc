"""Who is told what when a petition moves on. The services call these with
``transaction.on_commit``; texts never name a petitioner (they are read in notification lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from renda.accounts.models import User
from renda.core.roles import Role
from renda.notifications.services import notify
from renda.petitions.models import Petition, ReviewInstruction


def office_users(town_id: int) -> list[User]:
    return list(User.objects.filter(is_active=True, role=Role.STAFF, town_id=town_id).order_by("pk"))


def _url(p: Petition) -> str:
    return reverse("petitions:detail", args=[p.pk])


def _send(users: Iterable[User], verb: str, text: str, url: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return len(notify(users=users, verb=verb, text=text, url=url))


def registered(petition_id: int) -> int:
    """A petition registered by a grid worker or a presidium member on duty: tell the office."""
    p = Petition.objects.filter(pk=petition_id).select_related("created_by").first()
    if p is None or p.created_by is None or p.created_by.role == Role.STAFF:
        return 0
    return _send(office_users(p.town_id), "petition.register",
                 _("新信访件 {code}「{subject}」待受理").format(code=p.code, subject=p.subject), _url(p))


def routed(instruction_id: int) -> int:
    ri = ReviewInstruction.objects.filter(pk=instruction_id).select_related("petition").first()
    if ri is None:
        return 0
    users = User.objects.filter(is_active=True, deputy_id=ri.presidium_member_id)
    return _send(users, "petition.route", _("信访件 {code}「{subject}」送您阅批").format(
        code=ri.petition.code, subject=ri.petition.subject), reverse("petitions:instructions"))


def instructed(instruction_id: int) -> int:
    ri = ReviewInstruction.objects.filter(pk=instruction_id).select_related("petition", "presidium_member").first()
    if ri is None:
        return 0
    return _send(office_users(ri.petition.town_id), "petition.instruct", _("{name}已阅批信访件 {code}").format(
        name=ri.presidium_member.name, code=ri.petition.code), _url(ri.petition))


def due(petitions: Iterable[Petition], today: dt.date, *, overdue: bool) -> int:
    """``renda petition_remind``: tell each town's office about petitions due soon or overdue."""
    sent = 0
    for p in petitions:
        assert p.deadline is not None
        text = (_("信访件 {code} 已超过期限 {d}") if overdue else _("信访件 {code} 将于 {d} 到期")).format(
            code=p.code, d=p.deadline.isoformat())
        sent += _send(office_users(p.town_id), "petition.overdue" if overdue else "petition.due_soon", text, _url(p))
    return sent
