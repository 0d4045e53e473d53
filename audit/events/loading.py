"""Reading an events file (TOML or CSV): every problem at once, each with its place in the file.

An events file is user-written, so loading reports every problem together
(``events[2].start: ...`` or ``line 3, column start: ...``) instead of stopping at the first.
"""


from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Final, cast

from audit.accounts import is_country
from audit.errors import ConfigError
from audit.events.model import EVENT_TYPES, RESPONSIVE_TYPES, Event, EventType
from audit.sources.userfile import read_user_text, read_user_toml

EVENT_KEYS: Final = ("id", "title", "type", "start", "end", "countries", "keywords")


REQUIRED_KEYS: Final = frozenset({"id", "title", "type", "start"})


LIST_KEYS: Final = frozenset({"countries", "keywords"})


LIST_SEPARATOR: Final = "|"


EXPECTED = "an events file (TOML or CSV)"

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




def _toml_records(path: Path) -> tuple[list[_Record], list[str]]:
    data = read_user_toml(path, EXPECTED)
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
        rows = list(_csv_rows(read_user_text(path, EXPECTED)))
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
    if isinstance(kind, str) and kind in RESPONSIVE_TYPES and isinstance(keywords, list) and not keywords:
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
