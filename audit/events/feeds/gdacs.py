"""Saved GDACS RSS feeds (rss.xml, rss_24h.xml, rss_7d.xml) -> crisis events (FORMATS.md section 8).

Quirks handled: files start with a BOM, sometimes double-encoded (stripped by the caller); a
multi-country event carries one `gdacs:iso3` but all its names in `gdacs:country`, so the other
countries are found by name; dates are RFC-822 in GMT. The id is "gdacs-<eventtype>-<eventid>",
the same for every episode of an event, so successive snapshots merge instead of repeating.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

from audit.errors import InputError
from audit.events.feeds.common import (
    HAZARD_CODES,
    EventBatch,
    alpha2_from_iso3,
    alpha2_from_name,
    event_keywords,
    hazard_keywords,
    required_text,
    storm_keyword,
)
from audit.events.model import Event
from audit.sources.skips import Skipped, SkipRecord

GDACS: Final = "{http://www.gdacs.org}"
ALERT_LEVELS: Final = ("green", "orange", "red")
EVENT_TYPES: Final = ("EQ", "TC", "FL", "VO", "DR", "WF")


def parse(text: str, where: str, min_alert: str | None = None) -> EventBatch:
    """Every <item> as an event, or as a counted skip (malformed, or below `min_alert`)."""
    events: list[Event] = []
    skipped: list[Skipped] = []
    for index, item in enumerate(_items(text, where)):
        try:
            _check_alert(item, min_alert)
            events.append(item_event(item))
        except SkipRecord as problem:
            skipped.append(Skipped(file=where, index=index, reason=str(problem)))
    return EventBatch(tuple(events), tuple(skipped))


def _items(text: str, where: str) -> list[ET.Element]:
    """The channel's items; a DOCTYPE is refused because feeds have none and entities can explode."""
    if "<!DOCTYPE" in text[:2000].upper():
        raise InputError(where, "expected an RSS feed without a DOCTYPE")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        line, column = e.position
        reason = e.msg.split(": line ")[0]  # expat repeats the position, which InputError already gives
        raise InputError(where, f"expected well-formed XML ({reason})", f"line {line}, column {column}") from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise InputError(where, f"expected a GDACS RSS feed (<rss><channel>), found <{root.tag}>")
    return channel.findall("item")


def _field(item: ET.Element, name: str) -> str:
    return (item.findtext(GDACS + name) or "").strip()


def _check_alert(item: ET.Element, min_alert: str | None) -> None:
    if min_alert is None:
        return
    level = _field(item, "alertlevel")
    if level.lower() not in ALERT_LEVELS:
        raise SkipRecord(f"gdacs:alertlevel: expected Green, Orange or Red, found {level!r}")
    if ALERT_LEVELS.index(level.lower()) < ALERT_LEVELS.index(min_alert.lower()):
        raise SkipRecord(f"alert level {level} is below the minimum ({min_alert.lower()})")


def item_event(item: ET.Element) -> Event:
    """One <item> as a crisis event; an SkipRecord says why it cannot be one."""
    kind = _event_type(item)
    start, end = _time(item, "fromdate"), _optional_time(item, "todate")
    if end is not None and end < start:
        raise SkipRecord(f"gdacs:todate: expected a time at or after fromdate ({start.isoformat()})")
    countries, names = _countries(item)
    return Event(
        id=f"gdacs-{kind}-{required_text(_field(item, 'eventid'), 'gdacs:eventid')}",
        title=required_text(item.findtext("title"), "title"),
        type="crisis",
        start=start,
        end=end,
        countries=countries,
        keywords=event_keywords([*hazard_keywords([kind]), *_storm_name(item, kind)], countries, names),
    )


def _event_type(item: ET.Element) -> str:
    kind = _field(item, "eventtype").upper()
    if kind not in EVENT_TYPES or kind not in HAZARD_CODES:
        raise SkipRecord(f"gdacs:eventtype: expected one of {', '.join(EVENT_TYPES)}, found {kind!r}")
    return kind


def _optional_time(item: ET.Element, name: str) -> datetime | None:
    return _time(item, name) if _field(item, name) else None


def _time(item: ET.Element, name: str) -> datetime:
    """An RFC-822 date ('Tue, 10 Dec 2024 18:04:35 GMT') as aware UTC; '-0000' is read as UTC."""
    value = _field(item, name)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        raise SkipRecord(f"gdacs:{name}: expected an RFC-822 date, found {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _countries(item: ET.Element) -> tuple[tuple[str, ...], list[str]]:
    """Alpha-2 codes (the iso3 first, then any other named country) and the names as given.

    A name CLDR does not know still becomes a keyword, so nothing the feed says is lost.
    """
    iso3 = _field(item, "iso3")
    first = alpha2_from_iso3(iso3) if iso3 else None
    if iso3 and first is None:
        raise SkipRecord(f"gdacs:iso3: expected an ISO 3166-1 alpha-3 code, found {iso3!r}")
    names = [name.strip() for name in _field(item, "country").split(",") if name.strip()]
    named = [code for name in names if (code := alpha2_from_name(name)) is not None]
    codes = ([first] if first else []) + named
    return tuple(dict.fromkeys(codes)), names


def _storm_name(item: ET.Element, kind: str) -> list[str]:
    """A tropical cyclone's name ('CALVINIA-19' -> 'Calvinia'): posts name storms, not categories."""
    name = _field(item, "eventname")
    if kind != "TC" or not name:
        return []
    return storm_keyword(name)
