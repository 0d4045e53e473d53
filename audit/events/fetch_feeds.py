"""The three public crisis feeds over HTTP, each answer read by the same parser as a saved file.

USGS (FDSN event query, GeoJSON), GDACS (events API `geteventlist/SEARCH`, GeoJSON) and ReliefWeb
(API v2 `disasters`), through the project's one HTTP client (retries, Retry-After, secrets kept
out of messages). LIVE.md section 6 has the endpoints and their pitfalls; the ones that shape
this code: GDACS returns at most the 100 newest matches and ignores paging, so it is asked one
hazard and one month at a time and a full answer is reported as possibly cut; ReliefWeb needs
an appname in the URL (registered as a secret, so errors show `appname=***`) and pages with
`offset`; USGS refuses (HTTP 400) a query matching more than 20,000 events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from audit.errors import FetchError, InputError
from audit.events.feeds import gdacs_api, reliefweb, usgs
from audit.events.feeds.common import EventBatch
from audit.events.feeds.gdacs import ALERT_LEVELS, EVENT_TYPES
from audit.sources.http import HttpClient, Response

DEFAULT_APIS: Final = {
    "usgs": "https://earthquake.usgs.gov", "gdacs": "https://www.gdacs.org", "reliefweb": "https://api.reliefweb.int",
}
NAMES: Final = {"usgs": "USGS", "gdacs": "GDACS", "reliefweb": "ReliefWeb"}
USGS_LIMIT: Final = 20000
GDACS_MAX: Final = 100
GDACS_WINDOW: Final = timedelta(days=31)
RELIEFWEB_PAGE: Final = 1000
RELIEFWEB_MAX_PAGES: Final = 20
RELIEFWEB_FIELDS: Final = ("id", "name", "glide", "status", "date.event", "country", "primary_country", "type",
                           "primary_type")
NOTHING_WRITTEN: Final = "nothing was written"
Say = Callable[[str], None]


@dataclass(frozen=True)
class Window:
    """What to ask every feed for: UTC days, inclusive, and the minimum alert and magnitude."""

    since: date
    until: date
    min_alert: str | None = None
    min_magnitude: float = 5.0


def fetch_usgs(client: HttpClient, api: str, window: Window, say: Say) -> list[EventBatch]:
    """Earthquakes of at least `min_magnitude` in the window, oldest first, in one query."""
    url = f"{api.rstrip('/')}/fdsnws/event/1/query"
    params = {"format": "geojson", "eventtype": "earthquake", "orderby": "time-asc", "limit": USGS_LIMIT,
              "starttime": f"{window.since}T00:00:00", "endtime": f"{window.until}T23:59:59",
              "minmagnitude": window.min_magnitude}
    response = answered(client, get(client, url, "usgs", params), "usgs",
                        "more than 20,000 earthquakes match, or a parameter is wrong: shorten --since/--until "
                        "or raise --min-magnitude")
    batch = parsed(client, response, "usgs", lambda text, where: usgs.parse(text, where, window.min_alert))
    if len(batch.events) + len(batch.skipped) >= USGS_LIMIT:
        say(f"USGS: the answer holds {USGS_LIMIT} earthquakes, its maximum; shorten the window to see them all")
    say(f"USGS: {len(batch.events)} earthquakes, {len(batch.skipped)} left out")
    return [batch]


def fetch_gdacs(client: HttpClient, api: str, window: Window, say: Say) -> list[EventBatch]:
    """Every hazard GDACS alerts on, one month at a time (it answers with at most the 100 newest)."""
    url = f"{api.rstrip('/')}/gdacsapi/api/events/geteventlist/SEARCH"
    levels = ALERT_LEVELS[ALERT_LEVELS.index(window.min_alert):] if window.min_alert else ALERT_LEVELS
    batches: list[EventBatch] = []
    for kind in EVENT_TYPES:
        for first, last in months(window.since, window.until):
            params = {"eventlist": kind, "fromDate": str(first), "toDate": str(last),
                      "alertlevel": ";".join(level.title() for level in levels)}
            response = answered(client, get(client, url, "gdacs", params), "gdacs")
            batch = parsed(client, response, "gdacs",
                           lambda text, where: gdacs_api.parse(text, where, window.min_alert))
            if len(batch.events) + len(batch.skipped) >= GDACS_MAX:
                say(f"GDACS: {GDACS_MAX} {kind} events from {first} to {last}, its maximum; some may be missing")
            batches.append(batch)
    found = sum(len(batch.events) for batch in batches)
    say(f"GDACS: {found} events, {sum(len(batch.skipped) for batch in batches)} left out")
    return batches


def months(since: date, until: date) -> Iterator[tuple[date, date]]:
    """[since, until] cut into windows of at most 31 days."""
    first = since
    while first <= until:
        last = min(until, first + GDACS_WINDOW - timedelta(days=1))
        yield first, last
        first = last + timedelta(days=1)


def fetch_reliefweb(client: HttpClient, api: str, window: Window, appname: str, say: Say) -> list[EventBatch]:
    """Disasters whose event date falls in the window, following `offset` until `totalCount` is reached."""
    url = f"{api.rstrip('/')}/v2/disasters"
    batches: list[EventBatch] = []
    offset = 0
    for _ in range(RELIEFWEB_MAX_PAGES):
        params = reliefweb_params(client.secret(appname), window, offset)
        response = answered(client, get(client, url, "reliefweb", params), "reliefweb",
                            "check that RELIEFWEB_APPNAME holds an approved appname (required since 2025-11-01)")
        batches.append(parsed(client, response, "reliefweb", reliefweb.parse))
        document = response.json("ReliefWeb", client.shown_url)  # valid JSON: the parser read it
        count, total = _count(document), _total(document)
        offset += count
        if count == 0 or offset >= total:
            break
    say(f"ReliefWeb: {sum(len(b.events) for b in batches)} disasters, {sum(len(b.skipped) for b in batches)} "
        "left out")
    return batches


def reliefweb_params(appname: str, window: Window, offset: int) -> dict[str, Any]:
    return {
        "appname": appname, "limit": RELIEFWEB_PAGE, "offset": offset, "sort[]": "date.event:asc",
        "fields[include][]": list(RELIEFWEB_FIELDS), "filter[field]": "date.event",
        "filter[value][from]": f"{window.since}T00:00:00+00:00", "filter[value][to]": f"{window.until}T23:59:59+00:00",
    }


def _count(document: Any) -> int:
    data = document.get("data") if isinstance(document, dict) else None
    return len(data) if isinstance(data, list) else 0


def _total(document: Any) -> int:
    total = document.get("totalCount") if isinstance(document, dict) else None
    return total if isinstance(total, int) else 0


def get(client: HttpClient, url: str, feed: str, params: dict[str, Any]) -> Response:
    """The client's GET (retries, waits); when it gives up, the advice fits a fetch that wrote nothing."""
    try:
        return client.get(url, NAMES[feed], params=params)
    except FetchError as e:
        raise FetchError(e.account, e.url, e.problem, f"run the same command later; {NOTHING_WRITTEN}") from None


def answered(client: HttpClient, response: Response, feed: str, advice: str | None = None) -> Response:
    """A 2xx answer; any other status is a one-line error naming the feed and the URL."""
    if 200 <= response.status < 300:
        return response
    hint = advice or "try again later; if it persists the feed's API may have changed"
    raise FetchError(NAMES[feed], client.shown_url(response.url), f"unexpected HTTP {response.status}",
                     f"{hint}; {NOTHING_WRITTEN}")


def parsed(client: HttpClient, response: Response, feed: str, parse: Callable[[str, str], EventBatch]) -> EventBatch:
    """The answer through the saved-file parser; a page of the wrong shape is a one-line FetchError."""
    url = client.shown_url(response.url)
    try:
        return parse(response.text, url)
    except InputError as e:
        where = f" at {e.position}" if e.position is not None else ""
        raise FetchError(NAMES[feed], url, f"{e.expected}{where}",
                         f"the feed's API may have changed; {NOTHING_WRITTEN}") from None

