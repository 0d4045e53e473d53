"""Saved crisis feeds into one list of events: read every file, merge repeats, keep what is still going.

The API behind `audit events convert`; the CLI only writes the TOML and prints the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from audit.errors import InputError
from audit.events.feeds.common import merge_duplicates, since_filter
from audit.events.feeds.gdacs import ALERT_LEVELS
from audit.events.feeds.saved import read_saved
from audit.events.model import Event
from audit.sources.skips import Skipped


@dataclass(frozen=True)
class Conversion:
    """The events of saved feeds, the items left out with their reasons, and what was merged or dropped."""

    events: tuple[Event, ...]
    skipped: tuple[Skipped, ...]
    merged: int
    ended_before: int


def convert_feeds(paths: Sequence[Path], since: str | None = None, min_alert: str | None = None) -> Conversion:
    """Read saved ReliefWeb/GDACS files; `since` (YYYY-MM-DD) keeps events going on at or after that day."""
    first_day, level = since_day(since), alert_level(min_alert)
    events: list[Event] = []
    skipped: list[Skipped] = []
    for path in paths:
        batch = read_saved(path, level)
        events += batch.events
        skipped += batch.skipped
    merged_events, merged = merge_duplicates(events)
    kept, early = since_filter(merged_events, first_day) if first_day else (merged_events, 0)
    return Conversion(tuple(kept), tuple(skipped), merged, early)


def since_day(since: str | None) -> date | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since.strip())
    except ValueError:
        raise InputError("--since", f"expected a day as YYYY-MM-DD, found {since!r}") from None


def alert_level(min_alert: str | None) -> str | None:
    if min_alert is None or min_alert.strip().lower() in ALERT_LEVELS:
        return None if min_alert is None else min_alert.strip().lower()
    raise InputError("--min-alert", f"expected one of {', '.join(ALERT_LEVELS)}, found {min_alert!r}")
