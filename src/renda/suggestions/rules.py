"""Per-town handling rules for suggestions, with the defaults of DESIGN §4.

Every town uses the defaults for now; a per-town override (a settings model edited by the
office) can replace ``rules_for`` later without touching its callers.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"
DEPUTY = "deputy"


@dataclass(frozen=True)
class Rules:
    #: 代表建议: reply within 3 months of assignment.
    deputy_reply_months: int = 3
    #: 群众意见建议: reply within 30 days of assignment.
    public_reply_days: int = 30
    #: a unit that is not responsible returns the item within 5 working days.
    return_workdays: int = 5
    #: 不满意 → re-handle with a new deadline this many months away.
    rehandle_months: int = 1
    #: deputy suggestions: the deadline with extensions is at most 6 months after assignment.
    deputy_max_months: int = 6
    #: public opinions: the same cap in days (None: no cap beyond the office's approval).
    public_max_days: int | None = None
    #: the third re-handling puts the item under key supervision.
    key_supervision_after_rehandles: int = 3
    #: "due soon" means a deadline within this many days.
    due_soon_days: int = 7


DEFAULT = Rules()


def rules_for(town: Any) -> Rules:
    """The rules in force in ``town`` (the defaults until towns can override them)."""
    return DEFAULT


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day
    (2023-01-31 + 1 month = 2023-02-28)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def deadline_for(kind: str, assigned_on: dt.date, rules: Rules = DEFAULT) -> dt.date:
    """The reply deadline of an item of ``kind`` assigned on ``assigned_on``."""
    if kind == DEPUTY:
        return add_months(assigned_on, rules.deputy_reply_months)
    return assigned_on + dt.timedelta(days=rules.public_reply_days)


def rehandle_deadline(on: dt.date, rules: Rules = DEFAULT) -> dt.date:
    return add_months(on, rules.rehandle_months)


def extension_cap(kind: str, assigned_on: dt.date, rules: Rules = DEFAULT) -> dt.date | None:
    """The latest deadline an extension may set, or None when there is no cap."""
    if kind == DEPUTY:
        return add_months(assigned_on, rules.deputy_max_months)
    if rules.public_max_days is None:
        return None
    return assigned_on + dt.timedelta(days=rules.public_max_days)
