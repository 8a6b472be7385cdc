"""The legal time limits of petitions (信访工作条例, 2022; DESIGN §4).

How the days are counted (documented in docs/ledger.md and on the detail page):

- The regulation counts in 日, i.e. **calendar days**, not working days: 15 days to decide on
  acceptance from registration, 60 days to handle from acceptance, one extension of at most
  30 days, 30 days to ask for review (复查) after the handling opinion, 30 days to answer it,
  and the same 30 + 30 for re-review (复核).
- The day an event happens is not counted; the period starts the next day (民法典 art. 201), so
  "within 15 days of 2023-03-01" ends on 2023-03-16.
- When the last day falls on a rest day or public holiday, the period ends on the next working
  day instead (民法典 art. 203; 期间届满的最后一日是法定休假日的，以法定休假日结束的次日为期间的
  最后一日), using the official calendar with its make-up working days (``calendar_days``).
- An extension adds its days to the un-rolled 60th day, then rolls again.

Every town uses these defaults for now; ``rules_for`` is the place for a per-town override.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from renda.calendar_days.workdays import WorkCalendar, calendar


@dataclass(frozen=True)
class Rules:
    #: 受理: decide within 15 days of registration.
    acceptance_days: int = 15
    #: 办理: handle within 60 days of acceptance.
    handling_days: int = 60
    #: 延期: once, at most 30 days.
    max_extension_days: int = 30
    #: 复查 / 复核: asked for within 30 days of the written answer …
    request_days: int = 30
    #: … and answered within 30 days of the request.
    answer_days: int = 30
    #: "due soon" means a deadline within this many days.
    due_soon_days: int = 7
    #: repeats: the same petitioner or similar content within this many days (12 months).
    repeat_window_days: int = 365
    #: the bigram similarity (0–1) from which two petitions' contents count as alike.
    similarity_threshold: float = 0.5


DEFAULT = Rules()


def rules_for(town: Any) -> Rules:
    return DEFAULT


def period_end(start: dt.date, days: int, cal: WorkCalendar | None = None) -> dt.date:
    """The last day of a period of ``days`` calendar days from the event on ``start`` (not
    counted), moved to the next working day when it falls on a rest day or holiday."""
    cal = cal or calendar()
    return cal.next_workday(start + dt.timedelta(days=days))


def acceptance_due(registered_on: dt.date, rules: Rules = DEFAULT, cal: WorkCalendar | None = None) -> dt.date:
    return period_end(registered_on, rules.acceptance_days, cal)


def handling_due(accepted_on: dt.date, extension_days: int | None = None, rules: Rules = DEFAULT,
                 cal: WorkCalendar | None = None) -> dt.date:
    return period_end(accepted_on, rules.handling_days + (extension_days or 0), cal)


def review_request_by(answered_on: dt.date, rules: Rules = DEFAULT, cal: WorkCalendar | None = None) -> dt.date:
    """The last day to ask for 复查 (after the opinion) or 复核 (after the review answer)."""
    return period_end(answered_on, rules.request_days, cal)


def answer_due(requested_on: dt.date, rules: Rules = DEFAULT, cal: WorkCalendar | None = None) -> dt.date:
    """The last day to answer a 复查 or 复核 request."""
    return period_end(requested_on, rules.answer_days, cal)


@dataclass(frozen=True)
class Deadlines:
    """Every time limit of one petition that its dates so far determine (None: not yet running)."""

    acceptance: dt.date
    handling: dt.date | None
    review_request: dt.date | None
    review_answer: dt.date | None
    rereview_request: dt.date | None
    rereview_answer: dt.date | None


def deadlines(p: Any, rules: Rules = DEFAULT, cal: WorkCalendar | None = None) -> Deadlines:
    """The deadlines of petition ``p`` (anything with its date fields), for the detail page."""
    cal = cal or calendar()
    return Deadlines(
        acceptance=acceptance_due(p.registered_on, rules, cal),
        handling=handling_due(p.accepted_on, p.extension_days, rules, cal) if p.accepted_on else None,
        review_request=review_request_by(p.opinion_on, rules, cal) if p.opinion_on else None,
        review_answer=answer_due(p.review_requested_on, rules, cal) if p.review_requested_on else None,
        rereview_request=review_request_by(p.review_answered_on, rules, cal) if p.review_answered_on else None,
        rereview_answer=answer_due(p.rereview_requested_on, rules, cal) if p.rereview_requested_on else None,
    )


def running_deadline(state: str, d: Deadlines) -> dt.date | None:
    """The office's time limit that runs in ``state`` (None when the office owes nothing)."""
    return {
        "registered": d.acceptance,
        "handling": d.handling,
        "review": d.review_answer,
        "rereview": d.rereview_answer,
    }.get(state)
