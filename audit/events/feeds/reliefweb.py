"""ReliefWeb API `disasters` responses (v1 saved files, v2 live answers) -> crisis events (FORMATS.md section 8).

Both a list response and a single disaster's detail response have the envelope
``{totalCount, count, data: [{id, fields: {...}}]}``. A list returns only the fields asked for
(the sampled preset gives name, status and glide), so an item without ``date.event`` is skipped
with a reason that says which field to request, rather than given a start guessed from its name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from audit.errors import InputError
from audit.events.feeds.common import (
    WORLD_CODES,
    EventBatch,
    JoinKey,
    alpha2_from_iso3,
    event_keywords,
    glide_code,
    hazard_keywords,
    required_text,
)
from audit.events.model import Event
from audit.sources.skips import Skipped, SkipRecord

NO_DATE = "no date.event (a list response must request it: fields[include][]=date.event)"


def parse(text: str, where: str) -> EventBatch:
    """Every item of the response's `data` list as an event, or as a counted skip with its reason."""
    events: list[Event] = []
    skipped: list[Skipped] = []
    joins: dict[str, JoinKey] = {}
    for index, item in enumerate(_data(_load(text, where), where)):
        try:
            events.append(disaster_event(item))
        except SkipRecord as problem:
            skipped.append(Skipped(file=where, index=index, reason=str(problem)))
            continue
        joins[events[-1].id] = join_key(item["fields"])
    return EventBatch(tuple(events), tuple(skipped), joins)


def join_key(fields: dict[str, Any]) -> JoinKey:
    """The disaster's GLIDE number and primary hazard code, which GDACS shares (LIVE.md: the join key)."""
    codes = [str(kind.get("code", "")).strip().upper() for kind in _types(fields)]
    return JoinKey(next((code for code in codes if code), ""), glide_code(fields.get("glide")))


def _load(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(where, f"expected valid JSON ({e.msg})", f"line {e.lineno}, column {e.colno}") from None


def _data(document: Any, where: str) -> list[Any]:
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, list):
        raise InputError(where, "expected a ReliefWeb API response: an object with a 'data' list")
    return data


def disaster_event(item: Any) -> Event:
    """One `data` item as a crisis event; an SkipRecord says why it cannot be one."""
    fields = _mapping(item.get("fields") if isinstance(item, dict) else None, "fields")
    start = _start(fields)
    countries = _countries(fields)
    words = _type_words(fields)
    return Event(
        id=f"reliefweb-{required_text(fields.get('id', item.get('id')), 'id')}",
        title=required_text(fields.get("name"), "name"),
        type="crisis",
        start=start,
        countries=countries,
        keywords=event_keywords(words, countries, _country_names(fields)),
    )


def _mapping(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise SkipRecord(f"{what}: expected an object, found {type(value).__name__}")


def _start(fields: dict[str, Any]) -> datetime:
    """date.event: ISO 8601 with an offset (ReliefWeb writes +00:00)."""
    event = fields.get("date", {}).get("event") if isinstance(fields.get("date"), dict) else None
    if event is None:
        raise SkipRecord(NO_DATE)
    try:
        moment = datetime.fromisoformat(str(event))
    except ValueError:
        raise SkipRecord(f"date.event: expected an ISO 8601 time, found {event!r}") from None
    if moment.utcoffset() is None:
        raise SkipRecord(f"date.event: expected a time with a UTC offset, found {event!r}")
    return moment.astimezone(UTC)


def _country_entries(fields: dict[str, Any]) -> list[Any]:
    """country[] (primary first), or primary_country alone when the response has no list."""
    entries = fields.get("country")
    if isinstance(entries, list) and entries:
        return sorted(entries, key=lambda c: not (isinstance(c, dict) and c.get("primary")))
    primary = fields.get("primary_country")
    return [primary] if primary is not None else []


def _countries(fields: dict[str, Any]) -> tuple[str, ...]:
    """Alpha-2 codes; ReliefWeb's 'wld' (World) means a global event, which names no country."""
    codes: list[str] = []
    for entry in _country_entries(fields):
        iso3 = required_text(_mapping(entry, "country").get("iso3"), "country.iso3")
        if iso3.upper() in WORLD_CODES:
            continue
        code = alpha2_from_iso3(iso3)
        if code is None:
            raise SkipRecord(f"country.iso3: expected an ISO 3166-1 alpha-3 code, found {iso3!r}")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _country_names(fields: dict[str, Any]) -> list[str]:
    entries = [entry for entry in _country_entries(fields) if isinstance(entry, dict)]
    return [name for entry in entries if isinstance(name := entry.get("shortname") or entry.get("name"), str)]


def _types(fields: dict[str, Any]) -> list[dict[str, Any]]:
    """type[] with primary_type first; either may be absent from a list response."""
    listed = fields.get("type")
    types = [fields.get("primary_type"), *(listed if isinstance(listed, list) else [])]
    return [t for t in types if isinstance(t, dict)]


def _type_words(fields: dict[str, Any]) -> list[str]:
    """Hazard keywords for the known GLIDE codes; the English type name for any other type."""
    words: list[str] = []
    for kind in _types(fields):
        known = hazard_keywords([str(kind.get("code", ""))])
        name = kind.get("name")
        words += known or ([name.lower()] if isinstance(name, str) else [])
    if not words:
        raise SkipRecord("type: expected a disaster type to derive keywords from (request type and primary_type)")
    return words
