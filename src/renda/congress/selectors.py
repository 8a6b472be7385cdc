"""Reads of congress sessions and vote rounds, limited to what the user may see, and the
result of a round (``round_result``): issued/returned only while it is open, the tally after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q, QuerySet

from renda.congress import workflow
from renda.congress.models import AttendanceStatus, Ballot, RoundState, Session, Voted, VoteRound
from renda.core.policy import sees_every_town
from renda.core.roles import Role
from renda.people.models import Deputy, DeputyLevel

#: Roles that see the sessions and rounds of their town (district roles: every town).
READERS = frozenset({Role.STAFF, Role.PRESIDIUM, Role.DEPUTY, Role.DISTRICT_VIEWER, Role.ADMIN})


# --- the deputies of a session --------------------------------------------------------------


def town_deputies(town_id: int, on: dt.date) -> QuerySet[Deputy]:
    """The town-level deputies of a town serving on ``on`` (全体代表)."""
    return Deputy.objects.filter(town_id=town_id, level=DeputyLevel.TOWN, is_active=True).filter(
        Q(serving_from__isnull=True) | Q(serving_from__lte=on)).filter(
        Q(serving_to__isnull=True) | Q(serving_to__gte=on))


@dataclass(frozen=True)
class Quorum:
    all: int
    present: int
    needed: int
    reached: bool


def quorum_of(all_count: int, present: int, numerator: int, denominator: int) -> Quorum:
    """Reached when present × denominator ≥ all × numerator (and someone is present)."""
    needed = -(-all_count * numerator // denominator)
    reached = all_count > 0 and present * denominator >= all_count * numerator
    return Quorum(all=all_count, present=present, needed=needed, reached=reached)


def present_deputy_ids(session: Session) -> set[int]:
    """The deputies marked present who are among the session's deputies (全体代表)."""
    serving = town_deputies(session.town_id, session.starts_on).values("pk")
    return set(session.attendance.filter(status=AttendanceStatus.PRESENT, deputy_id__in=serving)
               .values_list("deputy_id", flat=True))


def session_quorum(session: Session) -> Quorum:
    all_count = town_deputies(session.town_id, session.starts_on).count()
    return quorum_of(all_count, len(present_deputy_ids(session)), session.quorum_numerator,
                     session.quorum_denominator)


# --- visibility -------------------------------------------------------------------------------


def _reader(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in READERS)


def sessions_visible_to(user: Any) -> QuerySet[Session]:
    qs = Session.objects.select_related("town")
    if sees_every_town(user):
        return qs
    if not _reader(user) or not user.town_id:
        return qs.none()
    return qs.filter(town_id=user.town_id)


def rounds_visible_to(user: Any) -> QuerySet[VoteRound]:
    qs = VoteRound.objects.select_related("session", "session__town", "agenda_item")
    if sees_every_town(user):
        return qs
    if not _reader(user) or not user.town_id:
        return qs.none()
    return qs.filter(session__town_id=user.town_id)


def deputy_of(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.role in {Role.DEPUTY, Role.PRESIDIUM}:
        return getattr(user, "deputy_id", None)
    return None


def rounds_open_for_deputy(user: Any) -> QuerySet[VoteRound]:
    """Open phone rounds of the user's town at sessions where the deputy is marked present,
    in which the deputy has not voted yet."""
    deputy_id = deputy_of(user)
    if deputy_id is None or not user.town_id:
        return VoteRound.objects.none()
    return rounds_visible_to(user).filter(
        state=RoundState.OPEN, mode="phone",
        session__attendance__deputy_id=deputy_id, session__attendance__status=AttendanceStatus.PRESENT,
    ).exclude(pk__in=Voted.objects.filter(deputy_id=deputy_id).values("round_id"))


def has_voted(round_id: int, deputy_id: int | None) -> bool:
    return deputy_id is not None and Voted.objects.filter(round_id=round_id, deputy_id=deputy_id).exists()


def rounds_closed_between(town_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> QuerySet[VoteRound]:
    """Rounds closed (or voided) with a close date in [start, end] (local dates), of these towns
    (``None``: every town) — for the projects' section of ``renda stats``."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = VoteRound.objects.filter(state__in=[RoundState.CLOSED, RoundState.VOID], closed_at__gte=lo,
                                  closed_at__lt=hi)
    if town_ids is not None:
        qs = qs.filter(session__town_id__in=list(town_ids))
    return qs


def session_for_report(town: Any, on_or_before: dt.date) -> Session | None:
    """The latest session of ``town`` opening on or before ``on_or_before`` (the session a work
    report is given at: 「（2023年7月X日在XX镇第X届人民代表大会第X次会议上）」)."""
    town_id = getattr(town, "pk", town)
    return (Session.objects.select_related("town").filter(town_id=town_id, starts_on__lte=on_or_before)
            .order_by("-starts_on", "-id").first())


# --- the result of a round ----------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    ref_kind: str
    ref_id: int
    label: str
    for_: int | None = None
    against: int | None = None
    abstain: int | None = None
    satisfied: int | None = None
    basically_satisfied: int | None = None
    dissatisfied: int | None = None
    elected: bool = False
    grade: str | None = None


@dataclass(frozen=True)
class RoundResult:
    state: str
    issued: int
    returned: int
    valid: int | None
    invalid: int | None
    void: bool
    basis_count: int
    threshold: int | None
    options: list[OptionResult]
    tied: list[OptionResult]
    needs_further_round: bool
    seats_left: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RoundResult:
        options = [OptionResult(**o) for o in data.get("options", [])]
        tied = [OptionResult(**o) for o in data.get("tied", [])]
        return cls(**{**data, "options": options, "tied": tied})

    @property
    def elected(self) -> list[OptionResult]:
        return [o for o in self.options if o.elected]


def basis_count_of(r: VoteRound) -> int:
    return r.present_count if r.basis == "present" else r.all_count


def compute_result(r: VoteRound) -> RoundResult:
    """The tally of a round from its filled ballots (used by the close; afterwards the stored
    ``result`` is read)."""
    options = list(r.options.all())
    specs = [workflow.Option(o.pk, o.ref_kind, o.ref_id, o.label) for o in options]
    ballots: list[dict[int, str] | None] = []
    for valid, choices in Ballot.objects.filter(round_id=r.pk, filled=True).values_list("valid", "choices"):
        ballots.append({int(k): v for k, v in (choices or {}).items()} if valid else None)
    basis = basis_count_of(r)
    void = r.state == RoundState.VOID or r.returned > r.issued
    t = workflow.tally(r.kind, specs, ballots, seats=r.seats, basis_count=basis)

    def one(o: workflow.Option) -> OptionResult:
        c = t.counts[o.option_id]
        common: dict[str, Any] = {"option_id": o.option_id, "ref_kind": o.ref_kind, "ref_id": o.ref_id,
                                  "label": o.label}
        if r.kind == "select":
            return OptionResult(**common, for_=c.for_, against=c.against, abstain=c.abstain,
                                elected=(not void) and o.option_id in t.elected)
        return OptionResult(**common, satisfied=c.satisfied, basically_satisfied=c.basically_satisfied,
                            dissatisfied=c.dissatisfied, abstain=c.abstain,
                            grade=None if void else t.grades.get(o.option_id))

    results = [one(o) for o in specs]
    tied = [x for x in results if x.option_id in t.tied] if not void else []
    return RoundResult(
        state=RoundState.VOID if void else RoundState.CLOSED, issued=r.issued, returned=r.returned,
        valid=t.valid, invalid=t.invalid, void=void, basis_count=basis,
        threshold=t.threshold if r.kind == "select" else None, options=results, tied=tied,
        needs_further_round=bool(tied), seats_left=t.seats_left if tied else 0,
    )


def round_result(r: VoteRound) -> RoundResult:
    """While the round is open (or being prepared) only issued/returned are exposed; after the
    close the tally stored at the close."""
    if r.is_over and r.result:
        return RoundResult.from_json(r.result)
    options = [OptionResult(option_id=o.pk, ref_kind=o.ref_kind, ref_id=o.ref_id, label=o.label)
               for o in r.options.all()]
    return RoundResult(state=r.state, issued=r.issued, returned=r.returned, valid=None, invalid=None,
                       void=False, basis_count=basis_count_of(r), threshold=None, options=options, tied=[],
                       needs_further_round=False, seats_left=0)
