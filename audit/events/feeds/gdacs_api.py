"""GDACS events API (GeoJSON): `geteventlist/SEARCH` FeatureCollections and `geteventdata` Features.

The same events as the RSS feed (gdacs.py), with the same ids ("gdacs-<eventtype>-<eventid>"), so
an RSS snapshot and an API answer merge. Quirks (LIVE.md section 6): `iso3` holds one code and
`affectedcountries[]` all of them (items sometimes lack `iso2`); `glide` is often ""; dates carry
no offset and are UTC; an offshore storm has no country at all. Alerts are revised later (Red,
then Orange), so the level is judged on the answer at hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from audit.errors import InputError
from audit.events.feeds.common import (
    EventBatch,
    JoinKey,
    alpha2_from_iso3,
    event_keywords,
    glide_code,
    hazard_keywords,
    storm_keyword,
)
from audit.events.feeds.gdacs import ALERT_LEVELS, EVENT_TYPES
from audit.events.model import Event
from audit.sources.skips import Skipped, SkipRecord


def looks_like_gdacs(document: Any) -> bool:
    """A GeoJSON Feature or FeatureCollection whose properties carry GDACS's eventtype and eventid."""
    features = _feature_list(document)
    props = features[0].get("properties") if features and isinstance(features[0], dict) else None
    return isinstance(props, dict) and "eventtype" in props and "eventid" in props


def parse(text: str, where: str, min_alert: str | None = None) -> EventBatch:
    """Every feature as an event, or as a counted skip (malformed, or below `min_alert`)."""
    events: list[Event] = []
    skipped: list[Skipped] = []
    joins: dict[str, JoinKey] = {}
    for index, feature in enumerate(_features(text, where)):
        try:
            event, key = feature_event(feature, min_alert)
        except SkipRecord as problem:
            skipped.append(Skipped(file=where, index=index, reason=str(problem)))
            continue
        events.append(event)
        earlier = joins.get(event.id)  # a repeated event keeps the GLIDE any of its sightings gave
        joins[event.id] = key if key.glide or earlier is None else earlier
    return EventBatch(tuple(events), tuple(skipped), joins)


def _feature_list(document: Any) -> list[Any] | None:
    if isinstance(document, dict) and document.get("type") == "Feature":
        return [document]
    features = document.get("features") if isinstance(document, dict) else None
    return features if isinstance(features, list) else None


def _features(text: str, where: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(where, f"expected valid JSON ({e.msg})", f"line {e.lineno}, column {e.colno}") from None
    features = _feature_list(document)
    if features is None:
        raise InputError(where, "expected a GDACS GeoJSON Feature or FeatureCollection")
    return features


def feature_event(feature: Any, min_alert: str | None = None) -> tuple[Event, JoinKey]:
    """One feature as a crisis event and its join key; a SkipRecord says why it cannot be one."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        raise SkipRecord("properties: expected an object")
    _check_alert(props.get("alertlevel"), min_alert)
    kind = str(props.get("eventtype", "")).strip().upper()
    if kind not in EVENT_TYPES:
        raise SkipRecord(f"eventtype: expected one of {', '.join(EVENT_TYPES)}, found {kind!r}")
    start, end = _time(props, "fromdate"), _time(props, "todate") if props.get("todate") else None
    if end is not None and end < start:
        raise SkipRecord(f"todate: expected a time at or after fromdate ({start.isoformat()})")
    countries = _countries(props)
    words = [*hazard_keywords([kind]), *_storm_name(props, kind)]
    event = Event(
        id=f"gdacs-{kind}-{_text(props.get('eventid'), 'eventid')}",
        title=_text(props.get("name") or props.get("description"), "name"),
        type="crisis", start=start, end=end, countries=countries,
        keywords=event_keywords(words, countries, str(props.get("country") or "").split(",")),
    )
    return event, JoinKey(kind, glide_code(props.get("glide")))


def _check_alert(level: Any, min_alert: str | None) -> None:
    if min_alert is None:
        return
    text = level.strip().lower() if isinstance(level, str) else ""
    if text not in ALERT_LEVELS:
        raise SkipRecord(f"alertlevel: expected Green, Orange or Red, found {level!r}")
    if ALERT_LEVELS.index(text) < ALERT_LEVELS.index(min_alert.lower()):
        raise SkipRecord(f"alert level {level} is below the minimum ({min_alert.lower()})")


def _time(props: dict[str, Any], name: str) -> datetime:
    """'2024-10-27T15:00:00' (no offset: UTC, as GDACS's RSS says GMT) as aware UTC."""
    value = props.get(name)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise SkipRecord(f"{name}: expected an ISO 8601 time, found {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _countries(props: dict[str, Any]) -> tuple[str, ...]:
    """Alpha-2 codes: `iso3` first, then every affected country (by iso2, else iso3)."""
    affected = props.get("affectedcountries")
    entries = [entry for entry in affected if isinstance(entry, dict)] if isinstance(affected, list) else []
    codes = [alpha2_from_iso3(str(props.get("iso3") or ""))]
    for entry in entries:
        iso2 = entry.get("iso2")
        codes.append(iso2.strip().upper() if isinstance(iso2, str) and iso2.strip()
                     else alpha2_from_iso3(str(entry.get("iso3") or "")))
    return tuple(dict.fromkeys(code for code in codes if code))


def _storm_name(props: dict[str, Any], kind: str) -> list[str]:
    """A tropical cyclone's name ('CALVINIA-19' -> 'Calvinia'): posts name storms, not categories."""
    name = props.get("eventname")
    if kind != "TC" or not isinstance(name, str) or not name.strip():
        return []
    return storm_keyword(name)


def _text(value: Any, what: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise SkipRecord(f"{what}: expected a non-empty value, found {value!r}")
