"""`audit events fetch`: crisis events from USGS, GDACS and ReliefWeb, one event per disaster.

The API behind the command; the CLI only writes the TOML and prints the counts. Every feed is read
first and nothing is written until all of them answered, so a failure leaves no half-made file.
ReliefWeb needs an approved appname (RELIEFWEB_APPNAME); without one it is skipped with a note and
the other feeds still run. Feeds repeat an event (GDACS episodes, overlapping months): repeats
merge by id, then sightings of one disaster in several feeds join (feeds/join.py). Events are
kept when they name one of the wanted countries and are going on inside the window.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Final

from audit.accounts import is_country
from audit.errors import InputError
from audit.events.feeds.common import EventBatch, merge_duplicates, since_filter
from audit.events.feeds.convert import alert_level, since_day
from audit.events.feeds.join import join_feeds
from audit.events.fetch_feeds import (
    DEFAULT_APIS,
    Window,
    fetch_gdacs,
    fetch_reliefweb,
    fetch_usgs,
)
from audit.events.model import Event
from audit.sources.http import HttpClient, Wait
from audit.sources.skips import Skipped

APPNAME_ENV: Final = "RELIEFWEB_APPNAME"
NO_APPNAME: Final = (f"ReliefWeb: skipped, {APPNAME_ENV} is not set (ReliefWeb needs an approved appname since "
                     "2025-11-01: apidoc.reliefweb.int/parameters)")


@dataclass(frozen=True)
class FetchRequest:
    """What `audit events fetch` asks for; `apis` points a feed at another server (a mirror, a test)."""

    since: str
    countries: str
    until: str | None = None
    min_alert: str | None = None
    min_magnitude: float = 5.0
    apis: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fetched:
    """The events, the feed items left out with their reasons, and what was joined or filtered away."""

    events: tuple[Event, ...]
    skipped: tuple[Skipped, ...]
    joined: int
    elsewhere: int
    requests: int


def fetch_events(request: FetchRequest, client: HttpClient | None = None, say: Callable[[str], None] = print,
                 environ: Mapping[str, str] = os.environ) -> Fetched:
    """Read the three feeds, join what they saw, keep the wanted countries and days."""
    window, countries, apis = _window(request), wanted_countries(request.countries), _apis(request.apis)
    http = client or HttpClient(on_wait=lambda wait: say(_waiting(wait)))
    try:
        batches = _read_feeds(http, apis, window, environ.get(APPNAME_ENV, "").strip(), say)
    finally:
        if client is None:
            http.close()
    events, joined = join_feeds(batches)
    kept = [event for event in events if set(event.countries) & set(countries)]
    in_window = _in_window(kept, window)
    skipped = tuple(item for batch in batches for item in batch.skipped)
    return Fetched(tuple(sorted(in_window, key=lambda e: (e.start, e.id))), skipped, joined,
                   len(events) - len(in_window), http.requests)


def _read_feeds(client: HttpClient, apis: Mapping[str, str], window: Window, appname: str,
                say: Callable[[str], None]) -> list[EventBatch]:
    """One merged batch per feed, ReliefWeb first: its editors' titles win when feeds join."""
    feeds: list[list[EventBatch]] = []
    if appname:
        feeds.append(fetch_reliefweb(client, apis["reliefweb"], window, appname, say))
    else:
        say(NO_APPNAME)
    feeds.append(fetch_gdacs(client, apis["gdacs"], window, say))
    feeds.append(fetch_usgs(client, apis["usgs"], window, say))
    return [_merged(batches) for batches in feeds]


def _merged(batches: Sequence[EventBatch]) -> EventBatch:
    """One feed's answers as one batch: an event seen in two answers (GDACS months) is one."""
    events, _ = merge_duplicates([event for batch in batches for event in batch.events])
    joins = {key: value for batch in batches for key, value in batch.joins.items()}
    return EventBatch(tuple(events), tuple(item for batch in batches for item in batch.skipped), joins)


def _in_window(events: Sequence[Event], window: Window) -> list[Event]:
    """Going on at some time between the first day's start and the last day's end."""
    kept, _ = since_filter(events, window.since)
    end = datetime.combine(window.until, time.max, UTC)
    return [event for event in kept if event.start <= end]


def _window(request: FetchRequest) -> Window:
    since = since_day(request.since)
    until = since_day(request.until) if request.until else datetime.now(UTC).date()
    if since is None or until is None or until < since:
        raise InputError("--until", f"expected a day at or after --since ({request.since}), found {request.until!r}")
    if request.min_magnitude < 0 or request.min_magnitude > 10:
        raise InputError("--min-magnitude", f"expected a magnitude from 0 to 10, found {request.min_magnitude}")
    return Window(since, until, alert_level(request.min_alert), request.min_magnitude)


def wanted_countries(text: str) -> tuple[str, ...]:
    """'JP,ID' -> ('JP', 'ID'); each must be an ISO 3166-1 alpha-2 code."""
    codes = [code.strip().upper() for code in text.split(",") if code.strip()]
    bad = [code for code in codes if not is_country(code)]
    if not codes or bad:
        found = ", ".join(repr(code) for code in bad) or repr(text)
        raise InputError("--countries", f"expected ISO 3166-1 alpha-2 codes separated by commas, found {found}")
    return tuple(dict.fromkeys(codes))


def _apis(given: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(given) - set(DEFAULT_APIS))
    if unknown:
        raise InputError("--feed-api", f"expected a feed among {', '.join(DEFAULT_APIS)}, found {unknown[0]!r}")
    return {**DEFAULT_APIS, **given}


def _waiting(wait: Wait) -> str:
    return f"Waiting {wait.seconds:.0f} s ({wait.reason}), until {wait.until:%H:%M:%S} UTC"

