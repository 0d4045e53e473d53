"""What a plan fetches over the network before it audits: new posts, and the crisis events of each period.

Two plan settings, both off by default so that a plan stays an offline job unless it says otherwise:

* ``collect = true`` in ``[plan]``: once per run, before the first period it audits, every account
  marked `collect` in the accounts file is collected into the store (the code of ``audit run
  --collect``, back to the first day of the earliest period to audit). An account whose collection
  fails is audited from what the store holds, with a warning; what the collector could not see is
  a coverage hole in the store, and so a gap in the report, not a silence.
* ``[events.fetch]``: for each period, the crisis events of that period are fetched from the public
  feeds (the code of ``audit events fetch``, window = the period's days) and used with the events
  of the plan's events file (which wins when both name one id). A feed that fails fails that
  period, with a one-line error in its status; the next run retries it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from audit.accounts import AccountsFile, is_country, load_accounts
from audit.events.feeds.common import events_to_toml
from audit.events.feeds.gdacs import ALERT_LEVELS
from audit.events.fetch import FetchRequest, fetch_events
from audit.events.fetch_feeds import DEFAULT_APIS
from audit.events.loading import load_events
from audit.events.model import Event
from audit.files import write_text_atomic
from audit.posts.live import collect_live
from audit.sources.http import HttpClient

Say = Callable[[str], None]
FETCH_KEYS = frozenset({"countries", "min_alert", "min_magnitude", "apis"})
DEFAULT_MIN_MAGNITUDE = 5.0


@dataclass(frozen=True)
class EventsFetch:
    """`[events.fetch]`: which events to fetch for each period. No countries: the accounts' own."""

    countries: tuple[str, ...] = ()
    min_alert: str | None = None
    min_magnitude: float = DEFAULT_MIN_MAGNITUDE
    apis: Mapping[str, str] = field(default_factory=dict)
    """A feed read from another server (a mirror), as `audit events fetch --feed-api FEED=URL`."""


def events_fetch(data: Mapping[str, Any]) -> EventsFetch | None:
    """The validated `[events.fetch]` table of a plan file, or None when the plan fetches no events."""
    table = (data.get("events") or {}).get("fetch")
    if table is None:
        return None
    return EventsFetch(tuple(c.upper() for c in table.get("countries", ())), table.get("min_alert"),
                       float(table.get("min_magnitude", DEFAULT_MIN_MAGNITUDE)), dict(table.get("apis", {})))


def events_problems(value: Any) -> Iterator[str]:
    """Problems of a plan's top-level `[events]` table, each with its key path."""
    if not isinstance(value, dict):
        yield "events: expected a table such as [events.fetch] with countries = [\"JP\"]"
        return
    yield from (f"events.{k}: unknown key (expected fetch)" for k in sorted(set(value) - {"fetch"}))
    table = value.get("fetch")
    if "fetch" in value and not isinstance(table, dict):
        yield (f"events.fetch: expected a table such as {{ countries = [\"JP\"], min_alert = \"orange\" }}, "
               f"found {table!r}")
    elif isinstance(table, dict):
        yield from (f"events.fetch.{p}" for p in _fetch_problems(table))


def _fetch_problems(table: Mapping[str, Any]) -> Iterator[str]:
    yield from (f"{k}: unknown key (expected {', '.join(sorted(FETCH_KEYS))})" for k in sorted(set(table) - FETCH_KEYS))
    codes = table.get("countries", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and is_country(c.upper()) for c in codes):
        yield f"countries: expected a list of ISO 3166-1 alpha-2 codes such as [\"JP\", \"ID\"], found {codes!r}"
    alert = table.get("min_alert", "green")
    if not isinstance(alert, str) or alert.strip().lower() not in ALERT_LEVELS:
        yield f"min_alert: expected one of {', '.join(ALERT_LEVELS)}, found {alert!r}"
    magnitude = table.get("min_magnitude", DEFAULT_MIN_MAGNITUDE)
    if isinstance(magnitude, bool) or not isinstance(magnitude, int | float) or not 0 <= magnitude <= 10:
        yield f"min_magnitude: expected a magnitude from 0 to 10, found {magnitude!r}"
    yield from _apis_problems(table.get("apis", {}))


def _apis_problems(apis: Any) -> Iterator[str]:
    if not isinstance(apis, dict):
        yield f"apis: expected a table such as {{ usgs = \"https://mirror.example.org\" }}, found {apis!r}"
        return
    for feed, url in apis.items():
        if feed not in DEFAULT_APIS:
            yield f"apis.{feed}: unknown feed (expected {', '.join(DEFAULT_APIS)})"
        elif not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            yield f"apis.{feed}: expected the server's base URL such as {DEFAULT_APIS[feed]!r}, found {url!r}"


# Before the run: collection -------------------------------------------------------------------------


def collect_accounts(accounts: Path, since: date, client: HttpClient | None, say: Say) -> list[str]:
    """Collect every account marked `collect`; the warnings of those that failed (their stores stay resumable)."""
    file = load_accounts(accounts)
    if not any(a.collect is not None for a in file.accounts):
        return [f"collect = true, but no account in {accounts.name} is marked collect; nothing fetched"]
    say(f"Collecting the accounts marked collect (back to {since} on a first collection)")
    runs = collect_live(file, since, client, say)
    return [f"{run.error} (auditing what the store already holds)" for run in runs if run.error]


# For each period: events ----------------------------------------------------------------------------


@contextmanager
def period_events(fetch: EventsFetch, accounts: Path, events: Path | None, first: date, last: date,
                  client: HttpClient | None, say: Say) -> Iterator[Path | None]:
    """An events file for one period: the plan's events file plus the events fetched for the period's days
    (None when neither has any: the audit then measures no crisis response)."""
    request = FetchRequest(since=str(first), until=str(last), countries=",".join(countries_of(fetch, accounts)),
                           min_alert=fetch.min_alert, min_magnitude=fetch.min_magnitude, apis=fetch.apis)
    fetched = fetch_events(request, client, say=say)
    merged = merge_events(load_events(events) if events else (), fetched.events)
    say(f"Fetched {len(fetched.events)} crisis event{'s' if len(fetched.events) != 1 else ''} for {first} to {last}")
    if not merged:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="audit-events-") as folder:
        path = Path(folder) / "events.toml"
        write_text_atomic(path, events_to_toml(merged))
        yield path


def countries_of(fetch: EventsFetch, accounts: Path) -> tuple[str, ...]:
    """The countries asked for, or by default the ministry's and every account's host country."""
    if fetch.countries:
        return fetch.countries
    file: AccountsFile = load_accounts(accounts)
    hosts = [a.host_country for a in file.accounts if a.host_country]
    return tuple(dict.fromkeys([file.ministry.country, *(h.upper() for h in hosts)]))


def merge_events(own: tuple[Event, ...], fetched: tuple[Event, ...]) -> list[Event]:
    """The plan's own events first; a fetched event with the same id is left out (the file is the person's word)."""
    ids = {e.id for e in own}
    return [*own, *(e for e in fetched if e.id not in ids)]
