"""USGS earthquake GeoJSON (FDSN event query or summary feed) -> crisis events (LIVE.md section 6).

USGS gives no country code, only a `place` text ('1km NNW of Reseda, CA', 'Honshu, Japan'), so
the country is read from its last part: a country name, or a US state (name or postal code).
A quake whose place names no country (a ridge, a sea region) is a counted skip: an event without
countries would concern every account. `time` is epoch milliseconds, UTC. PAGER `alert` is
green, yellow, orange, red or null; with a minimum alert, a null alert is below every level.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from audit.errors import InputError
from audit.events.feeds.common import EventBatch, JoinKey, alpha2_from_name, event_keywords, hazard_keywords
from audit.events.model import Event
from audit.sources.skips import Skipped, SkipRecord

PAGER_LEVELS: Final = ("green", "yellow", "orange", "red")
US_STATES: Final = frozenset([
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
    "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "Alabama", "Alaska",
    "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Hawaii", "Idaho",
    "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
    "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "Wisconsin",
    "Wyoming",
]) | {"New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
              "Rhode Island", "South Carolina", "South Dakota", "West Virginia"}
"""US state names and postal codes as USGS places end (..., CA / ..., Alaska); not Georgia, also a country."""


def looks_like_usgs(document: Any) -> bool:
    """A GeoJSON FeatureCollection whose metadata or first feature is USGS's (magnitude and place)."""
    features = document.get("features") if isinstance(document, dict) else None
    first = features[0] if isinstance(features, list) and features else {}
    props = first.get("properties") if isinstance(first, dict) else None
    return isinstance(props, dict) and "mag" in props and "place" in props


def parse(text: str, where: str, min_alert: str | None = None) -> EventBatch:
    """Every feature as an earthquake event, or as a counted skip (no country, below `min_alert`)."""
    events: list[Event] = []
    skipped: list[Skipped] = []
    for index, feature in enumerate(_features(text, where)):
        try:
            events.append(feature_event(feature, min_alert))
        except SkipRecord as problem:
            skipped.append(Skipped(file=where, index=index, reason=str(problem)))
    return EventBatch(tuple(events), tuple(skipped), {event.id: JoinKey("EQ") for event in events})


def _features(text: str, where: str) -> list[Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(where, f"expected valid JSON ({e.msg})", f"line {e.lineno}, column {e.colno}") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or document.get("type") != "FeatureCollection":
        raise InputError(where, "expected a USGS GeoJSON FeatureCollection (an object with a 'features' list)")
    return features


def feature_event(feature: Any, min_alert: str | None = None) -> Event:
    """One feature as a crisis event; a SkipRecord says why it cannot be one."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        raise SkipRecord("properties: expected an object")
    _check_alert(props.get("alert"), min_alert)
    place = str(props.get("place") or "")
    country = country_of_place(place)
    if country is None:
        raise SkipRecord(f"place: names no country we know ({place!r}); USGS gives no country code")
    words = hazard_keywords(["EQ", *(["TS"] if props.get("tsunami") == 1 else [])])
    return Event(
        id=f"usgs-{_text(feature.get('id'), 'id')}",
        title=_title(props, place),
        type="crisis",
        start=_time(props.get("time")),
        countries=(country,),
        keywords=event_keywords(words, (country,)),
    )


def country_of_place(place: str) -> str | None:
    """'12km S of Tokyo, Japan' -> 'JP'; '..., CA' or '..., Alaska' -> 'US'; a sea region -> None."""
    last = place.rsplit(",", 1)[-1].strip()
    if last in US_STATES:
        return "US"
    return alpha2_from_name(last)


def _check_alert(alert: Any, min_alert: str | None) -> None:
    if min_alert is None:
        return
    level = alert.lower() if isinstance(alert, str) else None
    if level not in PAGER_LEVELS or PAGER_LEVELS.index(level) < PAGER_LEVELS.index(min_alert.lower()):
        raise SkipRecord(f"PAGER alert {alert} is below the minimum ({min_alert.lower()})")


def _title(props: dict[str, Any], place: str) -> str:
    title = props.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return f"M {props.get('mag')} - {place}"


def _time(value: Any) -> datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    raise SkipRecord(f"time: expected epoch milliseconds, found {value!r}")


def _text(value: Any, what: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise SkipRecord(f"{what}: expected a non-empty value, found {value!r}")
