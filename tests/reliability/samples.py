"""The seeded world the reliability tests share: ``renda.core.testing.World`` (two towns, one
user per role) plus a suggestion with an attachment in each town, an API token per role, a
notification and a calendar day — something real behind every URL argument."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.accounts.models import Role, User
from renda.accounts.services import api_token_create
from renda.calendar_days.services import calendar_day_set
from renda.core.testing import World, make_deputy
from renda.suggestions import services as suggestion_services
from renda.suggestions.models import Attachment, Suggestion

ROLES: tuple[str, ...] = ("presidium", "staff", "deputy", "unit", "grid_worker", "district_viewer", "admin",
                          "anonymous")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
D = dt.date.fromisoformat


def register_public(world: World, town: Any, grid: Any, *, actor: User | None = None, **kw: Any) -> Suggestion:
    args: dict[str, Any] = {"town": town, "kind": "public", "title": "修建公交车站台", "content": "村口无站台",
                            "source": "visit", "submitter_name": "张小三", "submitter_phone": "13812345678",
                            "grid": grid, "on": D("2023-03-01")}
    args.update(kw)
    return suggestion_services.suggestion_register(actor=actor or world.users[Role.STAFF], **args)


@dataclass
class Sample:
    world: World
    suggestion: Suggestion
    other_suggestion: Suggestion
    attachment: Attachment
    other_attachment: Attachment
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else self.world.users[role]


def build_sample() -> Sample:
    world = World()
    other_staff = world.other_staff
    s = register_public(world, world.town, world.grid)
    o = register_public(world, world.other_town, world.other_grid, actor=other_staff)
    (att,) = suggestion_services.suggestion_attach(
        actor=world.users[Role.STAFF], suggestion_id=s.pk,
        files=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    (oatt,) = suggestion_services.suggestion_attach(
        actor=other_staff, suggestion_id=o.pk,
        files=[SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")])
    make_deputy(world.town, name="无账号代表")  # for the user form: a deputy to link an account to
    calendar_day_set(actor=world.users[Role.ADMIN], date=D("2030-01-01"), kind="holiday", name="元旦")
    sample = Sample(world=world, suggestion=s, other_suggestion=o, attachment=att, other_attachment=oatt)
    for role, user in world.users.items():
        sample.tokens[role] = api_token_create(actor=None, user=user, name="reliability")[1]
    return sample
