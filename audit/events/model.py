"""Event calendars (crises, opportunities, transitions) and how posts answer them.

DESIGN.md, "Events" and "Definitions of the contract metrics". An events file (TOML or CSV) is
user-written, so loading reports every problem at once with its place in the file
(``events[2].start: ...`` or ``line 3, column start: ...``). Matching posts to events is
column-wise polars work: one regex per event over the whole posts table, never a loop per post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

EventType = Literal["crisis", "opportunity", "transition"]
EVENT_TYPES: Final[tuple[EventType, ...]] = ("crisis", "opportunity", "transition")
RESPONSIVE_TYPES: Final = frozenset({"crisis", "opportunity"})
"""Event types that posts answer (matched by keywords); transitions only split cadence."""


@dataclass(frozen=True)
class Event:
    """One dated event; `start` and `end` are aware UTC datetimes, countries upper-case ISO codes."""

    id: str
    title: str
    type: EventType
    start: datetime
    end: datetime | None = None
    countries: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Which accounts an event concerns
# --------------------------------------------------------------------------------------------


def concerns(event: Event, host_country: str | None, home_country: str) -> bool:
    """The exact DESIGN.md rule.

    An event concerns an account when its countries include the account's host country or, for
    an account without a host country (ministry-level accounts), the ministry's home country; an
    event without countries concerns every account.
    """
    if not event.countries:
        return True
    return (host_country or home_country).upper() in event.countries


# --------------------------------------------------------------------------------------------
# Matching posts to keywords
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Responses and transitions
# --------------------------------------------------------------------------------------------


