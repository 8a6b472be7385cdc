"""Reads of petitions, already restricted to what the user may see, the work queues, lookups by
keyed hash, and the as-of questions the indicators ask."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from renda.calendar_days.workdays import calendar
from renda.core import crypto
from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.people.models import Deputy
from renda.petitions import rules
from renda.petitions.models import Petition, Petitioner, PetitionQuerySet, ReviewInstruction, is_open_state
from renda.petitions.workflow import State
from renda.places.models import GridWorker

__all__ = ["is_open_state", "overdue_open_count", "petitions_visible_to"]


def _base() -> PetitionQuerySet:
    qs: PetitionQuerySet = Petition.objects.select_related("town", "village", "grid")
    return qs.prefetch_related(Prefetch("petitioners", queryset=Petitioner.objects.order_by("position", "id")))


def deputy_grid_ids(deputy_id: int) -> QuerySet[Any]:
    return Deputy.grids.through.objects.filter(deputy_id=deputy_id).values("region_id")


def worker_grid_ids(grid_worker_id: int) -> QuerySet[Any]:
    return GridWorker.grids.through.objects.filter(gridworker_id=grid_worker_id).values("region_id")


def petitions_visible_to(user: Any) -> PetitionQuerySet:
    """Office, presidium and town administrators: their town; district viewers and district
    administrators: every town (read-only, masked); deputies: petitions of the grids they are
    placed in; grid workers: petitions of their grids and those they registered; units: none
    (the person or unit complained about never sees a petition)."""
    qs = _base()
    if sees_every_town(user):
        return qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    role = user.role
    if role in {Role.STAFF, Role.PRESIDIUM, Role.DISTRICT_VIEWER, Role.ADMIN}:
        return qs.filter(town_id=user.town_id) if user.town_id else qs.none()
    if role == Role.DEPUTY and user.deputy_id and user.town_id:
        return qs.filter(town_id=user.town_id, grid_id__in=deputy_grid_ids(user.deputy_id))
    if role == Role.GRID_WORKER and user.grid_worker_id:
        return qs.filter(Q(created_by_id=user.pk) | Q(grid_id__in=worker_grid_ids(user.grid_worker_id)))
    return qs.none()


def office_queue(user: Any, *, today: dt.date | None = None) -> dict[str, QuerySet[Petition]]:
    """The office's work: to decide on acceptance, being handled, due soon (within 7 days),
    overdue, reviews (复查/复核) to answer, and letters routed for instructions not yet back."""
    today = today or timezone.localdate()
    qs = petitions_visible_to(user)
    pending = ReviewInstruction.objects.filter(instructed_on__isnull=True).values("petition_id")
    return {
        "to_decide": qs.filter(state=State.REGISTERED).order_by("deadline", "id"),
        "handling": qs.filter(state=State.HANDLING).order_by("deadline", "id"),
        "due_soon": qs.due_soon(today, rules.DEFAULT.due_soon_days).order_by("deadline", "id"),
        "overdue": qs.overdue(today).order_by("deadline", "id"),
        "reviews": qs.filter(state__in=[State.REVIEW, State.REREVIEW]).order_by("deadline", "id"),
        "instructions": qs.filter(pk__in=pending).order_by("registered_on", "id"),
    }


def instructions_for(user: Any) -> dict[str, QuerySet[ReviewInstruction]]:
    """A presidium member's letters to review (阅批): waiting, and done."""
    deputy_id = getattr(user, "deputy_id", None)
    qs = ReviewInstruction.objects.select_related("petition", "petition__town", "petition__village",
                                                  "petition__grid", "presidium_member")
    if not deputy_id or getattr(user, "role", None) != Role.PRESIDIUM:
        return {"pending": qs.none(), "done": qs.none()}
    mine = qs.filter(presidium_member_id=deputy_id, petition__town_id=user.town_id)
    return {
        "pending": mine.filter(instructed_on__isnull=True).order_by("requested_on", "id"),
        "done": mine.filter(instructed_on__isnull=False).order_by("-instructed_on", "-id"),
    }


def pending_instruction(petition: Petition, deputy_id: int | None) -> ReviewInstruction | None:
    """The letter's routing to this presidium member that is still waiting for their instruction."""
    return petition.instructions.filter(presidium_member_id=deputy_id, instructed_on__isnull=True).first()


def presidium_members(town_id: int) -> QuerySet[Deputy]:
    """The town's serving presidium members a letter may be routed to. One with a login writes
    the instruction from their own queue; for one without, the ledger import records it."""
    return Deputy.objects.filter(town_id=town_id, is_presidium=True, is_active=True).order_by("name", "id")


def petitions_for_lookup(user: Any, *, id_number: str = "", phone: str = "") -> PetitionQuerySet:
    """Petitions (visible to ``user``) of a petitioner found by ID number or phone through the
    keyed hashes — nothing is decrypted to search."""
    cond = Q()
    if id_number.strip():
        cond |= Q(id_hash=crypto.id_lookup_hash(id_number))
    if phone.strip():
        cond |= Q(phone_hash=crypto.phone_lookup_hash(phone))
    if not cond:
        return petitions_visible_to(user).none()
    ids = Petitioner.objects.filter(cond).values("petition_id")
    return petitions_visible_to(user).filter(pk__in=ids)


# --- the visits of a duty shift (registered with shifts in apps.py) ---------------------------


def shift_visits(user: Any, shift: Any, limit: int) -> list[Petition]:
    """The petitions received during a duty shift (``Petition.duty_shift``) that the user may
    see, oldest first, at most ``limit``: the visits on the shift page."""
    visible = petitions_visible_to(user).values("pk")
    return list(Petition.objects.filter(duty_shift_id=shift.pk, pk__in=visible).order_by("pk")[:limit])


def shift_has_visits(shift: Any) -> bool:
    """Whether any petition, whoever may see it, was received during the shift."""
    return Petition.objects.filter(duty_shift_id=shift.pk).exists()


# --- as-of questions (reports/metrics) -------------------------------------------------------


_DATE_FIELDS = ("state", "registered_on", "accepted_on", "declined_on", "extended_on", "extension_days",
                "opinion_on")


def overdue_open_count(qs: QuerySet[Petition], as_of: dt.date) -> int:
    """How many petitions of ``qs`` were, at the end of ``as_of``, past a legal time limit and
    not closed (METRICS ``petitions.overdue_open``).

    The state at ``as_of`` is rebuilt from the dated steps (the ``Transition`` rows write the
    same dates as the petition's date columns): registered and not yet decided → the 15-day
    acceptance limit; accepted and no handling opinion yet → the 60-day handling limit, with an
    extension only if granted on or before ``as_of``. Declined petitions and petitions with a
    handling opinion dated on or before ``as_of`` are not open. Review stages come after the
    opinion, so they do not count here (see ``overdue_reviews``).
    """
    cal = calendar()
    count = 0
    for row in qs.filter(registered_on__lte=as_of).order_by().values(*_DATE_FIELDS).iterator(chunk_size=2000):
        if row["declined_on"] is not None and row["declined_on"] <= as_of:
            continue
        if row["opinion_on"] is not None and row["opinion_on"] <= as_of:
            continue
        if row["accepted_on"] is not None and row["accepted_on"] <= as_of:
            ext = row["extension_days"] if row["extended_on"] is not None and row["extended_on"] <= as_of else None
            due = rules.handling_due(row["accepted_on"], ext, cal=cal)
        else:
            due = rules.acceptance_due(row["registered_on"], cal=cal)
        if due < as_of:
            count += 1
    return count


def overdue_reviews(qs: QuerySet[Petition], today: dt.date) -> QuerySet[Petition]:
    """Review / re-review requests whose 30-day answer limit has passed."""
    return qs.filter(state__in=[State.REVIEW, State.REREVIEW], deadline__lt=today)


def letters_reviewed(qs: QuerySet[Petition], as_of: dt.date) -> QuerySet[Petition]:
    """Letters with at least one presidium review instruction dated on or before ``as_of``
    (METRICS ``petitions.letters_reviewed``)."""
    done = ReviewInstruction.objects.filter(instructed_on__isnull=False, instructed_on__lte=as_of).values(
        "petition_id")
    return qs.filter(channel="letter", pk__in=done)
