"""Event calendars (crises, opportunities, transitions) and how posts answer them.

DESIGN.md, "Events" and "Definitions of the contract metrics". An events file (TOML or CSV) is
user-written, so loading reports every problem at once with its place in the file
(``events[2].start: ...`` or ``line 3, column start: ...``). Matching posts to events is
column-wise polars work: one regex per event over the whole posts table, never a loop per post.
"""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Final, Literal, cast

import polars as pl

from audit.accounts import is_country
from audit.errors import ConfigError
from audit.posts import AUTHORED_KINDS

EventType = Literal["crisis", "opportunity", "transition"]
EVENT_TYPES: Final[tuple[EventType, ...]] = ("crisis", "opportunity", "transition")
RESPONSIVE_TYPES: Final = frozenset({"crisis", "opportunity"})
"""Event types that posts answer (matched by keywords); transitions only split cadence."""
EVENT_KEYS: Final = ("id", "title", "type", "start", "end", "countries", "keywords")
REQUIRED_KEYS: Final = frozenset({"id", "title", "type", "start"})
LIST_KEYS: Final = frozenset({"countries", "keywords"})
LIST_SEPARATOR: Final = "|"
DEFAULT_WINDOW_HOURS: Final = 72.0
RESPONSE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "account_id": pl.String(),
    "event_id": pl.String(),
    "event_type": pl.String(),
    "first_post_id": pl.String(),
    "first_response_hours": pl.Float64(),
    "responded_within_24h": pl.Boolean(),
    "matched_post_ids": pl.List(pl.String()),
}


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

Locate = Callable[[str, int | None], str]
"""(key, list index or None) -> where the value sits in the file, for problem messages."""


@dataclass(frozen=True)
class _Record:
    """One event as read from the file, before validation, with a way to name its places."""

    fields: dict[str, Any]
    label: str
    locate: Locate
    required: frozenset[str]
    shape_problems: tuple[str, ...] = ()
    """Problems of the record as a whole (a CSV row wider than the header), reported first."""


def load_events(path: Path) -> tuple[Event, ...]:
    """Read and validate an events file (.toml or .csv); a ConfigError lists every problem."""
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        found = path.suffix or "no extension"
        raise ConfigError(path, [f"expected an events file ending in .toml or .csv, found {found!r}"])
    records, problems = reader(path)
    problems += _problems(records)
    if problems:
        raise ConfigError(path, problems)
    return tuple(_event(record.fields) for record in records)


def _read_text(path: Path) -> str:
    """The file as text; utf-8-sig because spreadsheet programs put a BOM before CSV headers."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, ["no such file"]) from None
    except IsADirectoryError:
        raise ConfigError(path, ["expected a file, found a folder"]) from None
    except UnicodeDecodeError as e:
        raise ConfigError(path, [f"expected UTF-8 text: {e}"]) from None


def _toml_records(path: Path) -> tuple[list[_Record], list[str]]:
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [f"expected valid TOML: {e}"]) from None
    problems = [f"{key}: unknown key" for key in sorted(set(data) - {"events"})]
    tables = data.get("events")
    if not isinstance(tables, list) or not tables:
        return [], [*problems, "events: expected at least one [[events]] table"]
    records = [_toml_record(table, i) for i, table in enumerate(tables) if isinstance(table, dict)]
    problems += [f"events[{i}]: expected a table" for i, t in enumerate(tables) if not isinstance(t, dict)]
    return records, problems


def _toml_record(table: dict[str, Any], index: int) -> _Record:
    def locate(key: str, item: int | None) -> str:
        return f"events[{index}].{key}" + ("" if item is None else f"[{item}]")

    return _Record(table, f"events[{index}]", locate, REQUIRED_KEYS)


def _csv_records(path: Path) -> tuple[list[_Record], list[str]]:
    try:
        rows = list(_csv_rows(_read_text(path)))
    except csv.Error as e:
        raise ConfigError(path, [f"expected valid CSV: {e}"]) from None
    if not rows:
        return [], [f"line 1: expected a header with the columns {', '.join(EVENT_KEYS)}"]
    (header_line, header), body = rows[0], rows[1:]
    columns = [cell.strip() for cell in header]
    problems = list(_header_problems(columns, header_line))
    if not body:
        problems.append(f"line {header_line + 1}: expected at least one event after the header")
    required = REQUIRED_KEYS & set(columns)
    return [_csv_record(columns, row, line, required) for line, row in body], problems


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (a quoted cell may span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next_line = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield next_line, row
        next_line = reader.line_num + 1


def _header_problems(columns: list[str], line: int) -> Iterator[str]:
    for i, column in enumerate(columns):
        if column not in EVENT_KEYS:
            yield f"line {line}, column {column}: unknown column (expected {', '.join(EVENT_KEYS)})"
        elif column in columns[:i]:
            yield f"line {line}, column {column}: appears twice"
    missing = [key for key in EVENT_KEYS if key in REQUIRED_KEYS - set(columns)]
    yield from (f"line {line}: expected a {key} column" for key in missing)


def _width_problems(line: int, row: list[str], columns: list[str]) -> tuple[str, ...]:
    if len(row) <= len(columns):
        return ()
    return (f"line {line}: {len(row)} cells, but the header has {len(columns)} columns",)


def _csv_record(columns: list[str], row: list[str], line: int, required: frozenset[str]) -> _Record:
    """Known, non-empty cells only: an empty cell means "not given", as an absent TOML key does."""
    cells = {col: cell.strip() for col, cell in zip(columns, row, strict=False) if col in EVENT_KEYS}
    fields = {col: _split(cell) if col in LIST_KEYS else cell for col, cell in cells.items() if cell}

    def locate(key: str, item: int | None) -> str:
        return f"line {line}, column {key}"

    return _Record(fields, f"line {line}", locate, required, _width_problems(line, row, columns))


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


_READERS: Final[dict[str, Callable[[Path], tuple[list[_Record], list[str]]]]] = {
    ".toml": _toml_records,
    ".csv": _csv_records,
}


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _problems(records: list[_Record]) -> list[str]:
    problems: list[str] = []
    first_use: dict[str, str] = {}
    for record in records:
        problems += _record_problems(record)
        event_id = record.fields.get("id")
        if isinstance(event_id, str) and event_id.strip() in first_use:
            earlier = f"{event_id!r} is used by an earlier event ({first_use[event_id.strip()]})"
            problems.append(f"{record.locate('id', None)}: {earlier}")
        elif isinstance(event_id, str):
            first_use[event_id.strip()] = record.label
    return problems


def _record_problems(record: _Record) -> Iterator[str]:
    fields = record.fields
    yield from record.shape_problems
    for key in EVENT_KEYS:
        if key in fields:
            found = _CHECKS[key](fields[key])
            yield from (f"{record.locate(key, item)}: {message}" for item, message in found)
        elif key in record.required:
            yield f"{record.locate(key, None)}: missing; every event needs one"
    yield from _keyword_rule(record)
    yield from _order_rule(record)
    yield from (f"{record.locate(key, None)}: unknown key" for key in sorted(set(fields) - set(EVENT_KEYS)))


def _keyword_rule(record: _Record) -> Iterator[str]:
    """Crises and opportunities are recognised only by keywords, so they must have some."""
    kind, keywords = record.fields.get("type"), record.fields.get("keywords", [])
    if kind in RESPONSIVE_TYPES and isinstance(keywords, list) and not keywords:
        yield f"{record.locate('keywords', None)}: an event of type {kind} needs at least one keyword"


def _order_rule(record: _Record) -> Iterator[str]:
    start, end = _instant(record.fields.get("start")), _instant(record.fields.get("end"))
    if start is not None and end is not None and end < start:
        yield f"{record.locate('end', None)}: expected a time at or after start ({start.isoformat()})"


Problems = list[tuple[int | None, str]]
"""(list index or None, message) pairs from one value check."""


def _text(value: Any) -> Problems:
    if isinstance(value, str) and value.strip():
        return []
    return [(None, f"expected a non-empty string, found {value!r}")]


def _event_type(value: Any) -> Problems:
    if value in EVENT_TYPES:
        return []
    return [(None, f"expected one of {', '.join(EVENT_TYPES)}, found {value!r}")]


def _time_with_offset(value: Any) -> Problems:
    """TOML local datetimes and dates are refused: guessing their zone could shift an event by hours."""
    if _instant(value) is not None:
        return []
    return [(None, f"expected an ISO 8601 time with offset, found {_show(value)}")]


def _countries(value: Any) -> Problems:
    if not isinstance(value, list):
        return [(None, f"expected a list of ISO 3166-1 alpha-2 codes, found {value!r}")]
    found = "expected an ISO 3166-1 alpha-2 code, found {!r}"
    return [(i, found.format(code)) for i, code in enumerate(value) if not is_country(code)]


def _keywords(value: Any) -> Problems:
    if not isinstance(value, list):
        return [(None, f"expected a list of keywords, found {value!r}")]
    bad = "expected a non-empty string, found {!r}"
    return [(i, bad.format(k)) for i, k in enumerate(value) if not (isinstance(k, str) and k.strip())]


_CHECKS: Final[dict[str, Callable[[Any], Problems]]] = {
    "id": _text, "title": _text, "type": _event_type, "start": _time_with_offset,
    "end": _time_with_offset, "countries": _countries, "keywords": _keywords,
}


def _instant(value: Any) -> datetime | None:
    """An aware UTC datetime from a TOML offset datetime or an ISO 8601 string with offset."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return None


def _show(value: Any) -> str:
    """TOML dates and times as the user wrote them (unquoted); anything else as a Python repr."""
    return value.isoformat() if isinstance(value, date | time) else repr(value)


def _event(fields: dict[str, Any]) -> Event:
    end = fields.get("end")
    return Event(
        id=fields["id"].strip(),
        title=fields["title"].strip(),
        type=cast(EventType, fields["type"]),
        start=cast(datetime, _instant(fields["start"])),
        end=None if end is None else _instant(end),
        countries=tuple(code.upper() for code in fields.get("countries", [])),
        keywords=tuple(keyword.strip() for keyword in fields.get("keywords", [])),
    )


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

_UNSPACED_SCRIPTS: Final = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan (syllables separated by tsheg, words not by spaces)
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF), (0x19E0, 0x19FF),  # Khmer, Khmer symbols
    (0x1950, 0x1AAF),  # Tai Le, New Tai Lue, Khmer symbols, Buginese, Tai Tham
    (0x1B00, 0x1B7F),  # Balinese
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, Katakana ext.
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),  # Han
    (0xA000, 0xA4CF),  # Yi
    (0xA960, 0xA97F), (0xAC00, 0xD7FF),  # Hangul
    (0xA980, 0xA9FF), (0xAA60, 0xAADF),  # Javanese, Myanmar ext., Tai Viet
    (0xFF66, 0xFFDC),  # half-width Katakana and Hangul
    (0x20000, 0x323AF),  # Han extensions
)

_BOUNDARY: Final = "[\\W" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in _UNSPACED_SCRIPTS) + "]"
"""One character that ends a word: a non-word character, or one of a script written without spaces."""


def written_without_spaces(keyword: str) -> bool:
    """True when the keyword uses a script whose words are not separated by spaces.

    Such keywords match as substrings: 地震 must match 東日本で地震が発生, where no word boundary
    exists. Hangul is included on purpose even though Korean puts spaces between words:
    particles attach to the noun (지진이, 지진으로, 지진에), so a whole-word match on 지진 would
    miss nearly every real sentence. The price is a rare false hit inside a longer compound.
    """
    return any(low <= ord(char) <= high for char in keyword for low, high in _UNSPACED_SCRIPTS)


def keyword_pattern(keywords: Sequence[str]) -> str | None:
    """One case-insensitive Rust-regex pattern for all keywords (None when there are none).

    polars' regex engine has no lookarounds, so a whole word is ``(^|B)kw(B|$)`` where B is one
    character that is not a word character (``\\w`` is Unicode-aware there, so this works for
    Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari...) or belongs to a script written
    without spaces: Japanese and Korean attach Latin words directly (COVID-19対策, Expo에서).
    A space inside a keyword matches any run of whitespace. Whole-word matching does not see
    through clitics (Arabic ال, French l'): list those forms as keywords.
    """
    forms = [_normalise(k) for k in keywords if k.strip()]
    substrings = [_escape(k) for k in forms if written_without_spaces(k)]
    words = [_escape(k) for k in forms if not written_without_spaces(k)]
    parts = [f"(?:{'|'.join(substrings)})"] if substrings else []
    parts += [f"(?:^|{_BOUNDARY})(?:{'|'.join(words)})(?:{_BOUNDARY}|$)"] if words else []
    return "(?i)" + "|".join(parts) if parts else None


def match_keywords(text: pl.Expr, keywords: Sequence[str]) -> pl.Expr:
    """Boolean: the text contains one of the keywords (rules in `keyword_pattern`); null text is False.

    Text is NFKC-normalised first so that full-width Ｅａｒｔｈｑｕａｋｅ and half-width ｶﾀｶﾅ,
    common in East Asian posts, match keywords typed normally.
    """
    pattern = keyword_pattern(keywords)
    if pattern is None:
        return pl.lit(False)
    return text.str.normalize("NFKC").str.contains(pattern).fill_null(False)


def prepare_for_matching(text: pl.Series) -> pl.Series:
    """Text as `keyword_mask` wants it: NFKC-normalised and lower-cased, computed once for many lexicons."""
    return text.str.normalize("NFKC").str.to_lowercase()


def keyword_mask(prepared: pl.Series, keywords: Sequence[str]) -> pl.Series:
    """`match_keywords` over text from `prepare_for_matching`, fast on large tables.

    A literal multi-pattern search (Aho-Corasick) first finds the few rows that contain a keyword at
    all; only those go through the word-boundary regex. Most posts contain no crisis or consular
    term, so this saves nearly all of the regex work on a million posts.
    """
    pattern = keyword_pattern(keywords)
    if pattern is None:
        return pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True)
    literals = sorted({max(_normalise(k).lower().split(), key=len) for k in keywords if k.strip()})
    candidates = prepared.str.contains_any(literals).fill_null(False).arg_true()
    hits = prepared.gather(candidates).str.contains(pattern).fill_null(False)
    return pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True).scatter(candidates, hits)


def hashtag_forms(keywords: Sequence[str]) -> list[str]:
    """The hashtags a keyword stands for: itself, and without spaces ("tsunami warning" -> tsunamiwarning)."""
    forms = {_normalise(k).lstrip("#") for k in keywords}
    forms |= {"".join(form.split()) for form in forms}
    return sorted(form for form in forms if form)


def match_hashtags(hashtags: pl.Expr, keywords: Sequence[str]) -> pl.Expr:
    """Boolean: one of the hashtags (a list column, without '#') equals a keyword form, ignoring case."""
    forms = hashtag_forms(keywords)
    if not forms:
        return pl.lit(False)
    pattern = f"(?i)^(?:{'|'.join(_escape(f) for f in forms)})$"
    element = pl.element().str.normalize("NFKC").str.contains(pattern)
    return hashtags.list.eval(element).list.any().fill_null(False)


def matches_event(keywords: Sequence[str]) -> pl.Expr:
    """Boolean over a posts table: its text or its hashtags match one of the keywords."""
    return match_keywords(pl.col("text"), keywords) | match_hashtags(pl.col("hashtags"), keywords)


def _normalise(keyword: str) -> str:
    return unicodedata.normalize("NFKC", keyword.strip())


def _escape(keyword: str) -> str:
    return r"\s+".join(pl.escape_regex(part) for part in keyword.split())


# --------------------------------------------------------------------------------------------
# Responses and transitions
# --------------------------------------------------------------------------------------------


def first_responses(
    posts: pl.DataFrame,
    events: Sequence[Event],
    host_countries: Mapping[str, str | None],
    home_country: str,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> pl.DataFrame:
    """One row per (account, crisis or opportunity event that concerns it), in RESPONSE_SCHEMA.

    `host_countries` maps every audited account id to its host country (None for ministry-level
    accounts); rows are made for exactly those accounts, so an account that never answered still
    gets its row. The response window is inclusive at both ends: a post exactly at the start
    and one exactly `window_hours` later both count. Only authored posts (post, reply, quote)
    answer; a repost never does. The caller restricts `events` to the audited period.
    """
    if window_hours <= 0:
        raise ValueError(f"window_hours must be positive, got {window_hours}")
    authored = _authored(posts).select("account_id", "post_id", "published_at", "text", "hashtags")
    window = timedelta(hours=window_hours)
    frames = [
        _event_responses(authored, event, accounts, window)
        for event in events
        if event.type in RESPONSIVE_TYPES and (accounts := _concerned(event, host_countries, home_country))
    ]
    if not frames:
        return pl.DataFrame(schema=RESPONSE_SCHEMA)
    return pl.concat(frames).sort("account_id", maintain_order=True)


def _concerned(event: Event, host_countries: Mapping[str, str | None], home_country: str) -> list[str]:
    return [account for account, host in host_countries.items() if concerns(event, host, home_country)]


def _event_responses(
    authored: pl.DataFrame, event: Event, accounts: list[str], window: timedelta
) -> pl.DataFrame:
    hits = _matching_posts(authored, event, accounts, window)
    hours = (pl.col("first_at") - pl.lit(event.start)).dt.total_microseconds() / 3_600_000_000
    return (
        pl.DataFrame({"account_id": accounts}, schema={"account_id": pl.String()})
        .join(hits, on="account_id", how="left", maintain_order="left")
        .with_columns(event_id=pl.lit(event.id), event_type=pl.lit(event.type), first_response_hours=hours)
        .with_columns(
            responded_within_24h=(pl.col("first_response_hours") <= 24).fill_null(False),
            matched_post_ids=pl.col("matched_post_ids").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
        )
        .select(list(RESPONSE_SCHEMA))
        .cast(pl.Schema(RESPONSE_SCHEMA))
    )


def _matching_posts(
    authored: pl.DataFrame, event: Event, accounts: list[str], window: timedelta
) -> pl.DataFrame:
    """Matching posts per account, earliest first; the cheap time filter runs before the regex."""
    in_window = authored.filter(
        pl.col("account_id").is_in(accounts),
        pl.col("published_at").is_between(event.start, event.start + window, closed="both"),
    )
    return (
        in_window.filter(matches_event(event.keywords))
        .sort("published_at", "post_id")
        .group_by("account_id", maintain_order=True)
        .agg(
            first_post_id=pl.col("post_id").first(),
            first_at=pl.col("published_at").first(),
            matched_post_ids=pl.col("post_id"),
        )
    )


def transition_split(posts: pl.DataFrame, transition: Event) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Authored posts before the transition's start, and at or after it (cadence before/after)."""
    authored = _authored(posts)
    after = pl.col("published_at") >= transition.start
    return authored.filter(~after), authored.filter(after)


def _authored(posts: pl.DataFrame) -> pl.DataFrame:
    """Reposts are activity, not content (DESIGN.md): they never answer an event."""
    return posts.filter(pl.col("kind").is_in(AUTHORED_KINDS))
