"""Crisis events from saved ReliefWeb and GDACS feeds (DESIGN.md "Events"; FORMATS.md section 8).

Feeds are read from files the user saved, never fetched here: ReliefWeb's v1 API is retired and v2
needs a pre-approved appname, and a saved file keeps an audit reproducible. Each reader turns a
file into crisis `Event`s plus the items it could not use (`Skipped`, with the reason), so that a
feed item is never dropped silently. What is shared lives here: BOM handling, ISO alpha-3 to
alpha-2 codes (derived from babel's CLDR aliases, no extra table to maintain), keywords per hazard
in the languages posts are written in, filters, and writing an events TOML file by hand
(tomllib only reads, and no TOML writer is a dependency).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

from babel import Locale
from babel.core import get_global

from audit.accounts import is_country
from audit.errors import InputError
from audit.events.model import Event
from audit.sources.skips import Skipped, SkipRecord

__all__ = [
    "EventBatch", "JoinKey", "alpha2_from_iso3", "alpha2_from_name", "event_keywords",
    "events_to_toml", "hazard_keywords", "storm_keyword", "merge_duplicates", "since_filter", "text_without_boms",
]

BOMS: Final = ("\ufeff", "\u00ef\u00bb\u00bf")
"""A UTF-8 BOM, and the same three bytes decoded twice (one GDACS sample starts with C3 AF C2 BB C2 BF)."""

WORLD_CODES: Final = frozenset({"WLD"})
"""ReliefWeb's "World" pseudo-country: a global event, so it concerns every account (no countries)."""

HAZARD_KEYWORDS: Final[dict[str, tuple[str, ...]]] = {
    "earthquake": ("earthquake", "지진", "地震", "séisme", "tremblement de terre", "terremoto", "sismo",
                   "زلزال", "землетрясение", "gempa", "Erdbeben"),
    "flood": ("flood", "floods", "flooding", "홍수", "洪水", "inondation", "inondations", "inundación",
              "inundaciones", "فيضان", "فيضانات", "наводнение", "banjir", "Hochwasser"),
    "flash flood": ("flash flood", "flash floods", "crue soudaine", "banjir bandang"),
    "tropical cyclone": ("tropical cyclone", "cyclone", "typhoon", "hurricane", "태풍", "台風", "台风", "颱風",
                         "ouragan", "typhon", "huracán", "ciclón", "tifón", "إعصار", "ураган", "тайфун",
                         "циклон", "topan", "siklon"),
    "volcano": ("volcano", "volcanic eruption", "화산", "火山", "噴火", "volcan", "éruption", "volcán",
                "erupción", "بركان", "вулкан", "извержение", "gunung berapi", "erupsi"),
    "drought": ("drought", "가뭄", "干ばつ", "干旱", "sécheresse", "sequía", "جفاف", "засуха", "kekeringan"),
    "wildfire": ("wildfire", "wildfires", "forest fire", "bushfire", "산불", "山火事", "山火", "森林火灾",
                 "feu de forêt", "feux de forêt", "incendio forestal", "حرائق الغابات", "лесной пожар",
                 "лесные пожары", "kebakaran hutan"),
    "epidemic": ("epidemic", "outbreak", "전염병", "감염병", "感染症", "疫情", "épidémie", "epidemia", "brote",
                 "وباء", "эпидемия", "wabah"),
    "landslide": ("landslide", "mudslide", "산사태", "土砂崩れ", "山体滑坡", "glissement de terrain",
                  "deslizamiento", "انهيار أرضي", "оползень", "tanah longsor"),
    "tsunami": ("tsunami", "쓰나미", "津波", "海啸", "تسونامي", "цунами"),
}
"""Hazard -> words people post about it in (English, Korean, Japanese, Chinese, French, Spanish,
Arabic, Russian, Indonesian; German where common). Matching is whole-word outside CJK/Hangul, so
common plurals are listed as forms of their own."""

HAZARD_CODES: Final[dict[str, tuple[str, ...]]] = {
    "EQ": ("earthquake",), "FL": ("flood",), "FF": ("flash flood", "flood"), "TC": ("tropical cyclone",),
    "VO": ("volcano",), "DR": ("drought",), "WF": ("wildfire",), "EP": ("epidemic",),
    "LS": ("landslide",), "MS": ("landslide",), "TS": ("tsunami",),
}
"""GLIDE hazard codes, used by both ReliefWeb (type[].code) and GDACS (eventtype)."""

NAME_ALIASES: Final[dict[str, str]] = {
    "turkey": "TR", "democratic republic of the congo": "CD", "republic of the congo": "CG",
    "congo": "CG", "ivory coast": "CI", "cote d'ivoire": "CI", "myanmar": "MM", "czech republic": "CZ",
    "swaziland": "SZ", "macedonia": "MK", "cape verde": "CV", "east timor": "TL", "palestine": "PS",
    "vatican": "VA", "korea, republic of": "KR", "russian federation": "RU", "viet nam": "VN",
}
"""English country names feeds use that CLDR spells differently (CLDR: Türkiye, Congo - Kinshasa...)."""


@dataclass(frozen=True)
class JoinKey:
    """What tells that two feeds saw the same disaster: its GLIDE number, else its hazard (a GLIDE code)."""

    hazard: str
    glide: str | None = None


@dataclass(frozen=True)
class EventBatch:
    """What one feed gave: its events, the items left out with the reason, and each event's join key."""

    events: tuple[Event, ...]
    skipped: tuple[Skipped, ...]
    joins: Mapping[str, JoinKey] = field(default_factory=dict)
    """Event id -> join key; events files have no GLIDE column, so it travels beside the events."""


# --------------------------------------------------------------------------------------------
# Countries and keywords
# --------------------------------------------------------------------------------------------


@cache
def _alpha3_table() -> dict[str, str]:
    """ISO alpha-3 -> alpha-2 from CLDR's territory aliases (which list every alpha-3 code)."""
    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    return {
        code: targets[0] for code, targets in aliases.items()
        if len(code) == 3 and code.isalpha() and len(targets) == 1 and is_country(targets[0])
    }


@cache
def _english_names() -> dict[str, str]:
    territories: Mapping[str, str] = Locale("en").territories
    return {code: name for code, name in territories.items() if is_country(code)}


@cache
def _codes_by_name() -> dict[str, str]:
    by_name = {name.casefold(): code for code, name in _english_names().items()}
    return by_name | NAME_ALIASES


def alpha2_from_iso3(code: str) -> str | None:
    """'bfa' or 'BFA' -> 'BF'; None for a code CLDR does not know."""
    return _alpha3_table().get(code.strip().upper())


def alpha2_from_name(name: str) -> str | None:
    """An English country name ('Iran', 'Turkey') -> its alpha-2 code, or None."""
    return _codes_by_name().get(name.strip().casefold())


def hazard_keywords(codes: Iterable[str]) -> list[str]:
    """Keywords for GLIDE hazard codes; unknown codes give none (the caller adds the type's name)."""
    hazards = [hazard for code in codes for hazard in HAZARD_CODES.get(code.strip().upper(), ())]
    return [keyword for hazard in hazards for keyword in HAZARD_KEYWORDS[hazard]]


def event_keywords(words: Iterable[str], countries: Iterable[str], names: Iterable[str] = ()) -> tuple[str, ...]:
    """The hazard words (and a storm's own name), without repeats: never a bare country name.

    A keyword alone makes a post answer the event, and the event's countries already say which
    accounts it concerns. "United States" as a keyword made a trade post answer two earthquakes;
    the place is the event's `countries`, not a word to look for. `countries` and the feed's
    country `names` are taken only to leave out any word that names a country.
    """
    places = {_english_names().get(code, "").casefold() for code in countries}
    places |= {name.strip().casefold() for name in names}
    return _unique(w for w in words if w.strip().casefold() not in places and alpha2_from_name(w) is None)


def _unique(words: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for word in (w.strip() for w in words):
        if word and word.casefold() not in seen:
            seen[word.casefold()] = word
    return tuple(seen.values())


# --------------------------------------------------------------------------------------------
# Reading saved files
# --------------------------------------------------------------------------------------------


def text_without_boms(raw: bytes, where: str) -> str:
    """The file as UTF-8 text without leading BOMs (plain or double-encoded) and blank space."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(where, f"expected UTF-8 text ({e.reason})", f"byte {e.start}") from None
    stripped = text.lstrip()
    while stripped.startswith(BOMS):
        stripped = stripped.removeprefix(BOMS[0]).removeprefix(BOMS[1]).lstrip()
    return stripped




def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "expected a file, but there is no such file") from None
    except IsADirectoryError:
        raise InputError(path, "expected a file, found a folder") from None
    except OSError as e:
        raise InputError(path, f"expected a readable file ({e.strerror})") from None


def required_text(value: Any, what: str) -> str:
    """A non-empty string field of a feed item, or a SkipRecord naming the field."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise SkipRecord(f"{what}: expected a non-empty value, found {value!r}")


# --------------------------------------------------------------------------------------------
# Combining and filtering
# --------------------------------------------------------------------------------------------


def merge_duplicates(events: Sequence[Event]) -> tuple[list[Event], int]:
    """One event per id (events files refuse repeats), and how many repeats were merged.

    The same GDACS event appears in successive feed snapshots as it develops: the merged event
    spans the earliest start to the latest end and keeps every country and keyword seen.
    """
    merged: dict[str, Event] = {}
    for event in events:
        earlier = merged.get(event.id)
        merged[event.id] = event if earlier is None else _merge(earlier, event)
    return list(merged.values()), len(events) - len(merged)


def merge_events(first: Event, later: Event) -> Event:
    """One event from two sightings of it: the first's id and title, the widest span, every country and word."""
    return _merge(first, later)


NUMBER_WORDS: Final = frozenset([
    "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "ELEVEN", "TWELVE",
    "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN", "NINETEEN", "TWENTY", "THIRTY",
    "FORTY",
])
"""How tropical depressions without a name are numbered ('EIGHTEEN-26', 'TWENTY-ONE-25')."""


def storm_keyword(name: str) -> list[str]:
    """'CALVINIA-19' -> ['Calvinia']; an unnamed depression ('EIGHTEEN-26') gives none.

    A storm's name is what posts say ("Typhoon Hagibis"), but "eighteen" would match any post.
    """
    stem = name.rsplit("-", 1)[0].strip()
    return [] if set(stem.upper().split("-")) <= NUMBER_WORDS else [stem.title()]


def glide_code(value: object) -> str | None:
    """A GLIDE number as feeds write it ('FL-2024-000199-ESP'), upper-cased; None for '' or a missing one."""
    text = value.strip().upper() if isinstance(value, str) else ""
    return text or None


def _merge(first: Event, later: Event) -> Event:
    ends = [end for end in (first.end, later.end) if end is not None]
    return replace(
        first,
        start=min(first.start, later.start),
        end=max(ends) if ends else None,
        countries=_unique([*first.countries, *later.countries]),
        keywords=_unique([*first.keywords, *later.keywords]),
    )


def since_filter(events: Sequence[Event], since: date) -> tuple[list[Event], int]:
    """Events still going on at or after the day `since` (UTC), and how many ended before it.

    An event counts by its end when it has one, so a drought that began earlier but continues
    into the audited period is kept.
    """
    first = datetime(since.year, since.month, since.day, tzinfo=UTC)
    kept = [event for event in events if (event.end or event.start) >= first]
    return kept, len(events) - len(kept)


# --------------------------------------------------------------------------------------------
# Writing an events TOML file
# --------------------------------------------------------------------------------------------


def events_to_toml(events: Sequence[Event]) -> str:
    """An events file that `audit.events.load_events` reads back to the same events."""
    return "\n".join(_event_table(event) for event in events)


def _event_table(event: Event) -> str:
    lines = [
        "[[events]]",
        f"id = {toml_string(event.id)}",
        f"title = {toml_string(event.title)}",
        f"type = {toml_string(event.type)}",
        f"start = {_toml_time(event.start)}",
    ]
    lines += [f"end = {_toml_time(event.end)}"] if event.end is not None else []
    lines.append(f"countries = [{', '.join(toml_string(code) for code in event.countries)}]")
    lines.append(f"keywords = [{', '.join(toml_string(word) for word in event.keywords)}]")
    return "\n".join(lines) + "\n"


_TOML_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters as \\uXXXX."""
    return '"' + "".join(_toml_char(char) for char in text) + '"'


def _toml_char(char: str) -> str:
    if char in _TOML_ESCAPES:
        return _TOML_ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


def _toml_time(moment: datetime) -> str:
    """A TOML offset date-time in UTC ('2015-08-07T00:00:00Z'), which tomllib reads as aware."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
