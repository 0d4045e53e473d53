"""Small checks of a parsed TOML value's shape, each returning a problem sentence with its key path."""


from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any


def key_path(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], path: str) -> Iterator[str]:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            yield f"{key_path(path, key)}: unknown key{did_you_mean(str(key), allowed)}"


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def text_problems(table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
                   pattern: re.Pattern[str] | None = None) -> Iterator[str]:
    where = key_path(path, key)
    if key not in table:
        if required:
            yield f"{where}: missing; expected a non-empty string"
        return
    value = table[key]
    if not is_text(value):
        yield f"{where}: expected a non-empty string, found {value!r}"
    elif pattern is not None and not pattern.match(value):
        yield f"{where}: expected lower-case letters, digits, '-', '_' or '.', found {value!r}"


def expect_table(value: Any, path: str, what: str) -> str | None:
    return None if isinstance(value, Mapping) else f"{path}: expected {what}, found {json_kind(value)}"


def list_of_tables(value: Any, path: str, what: str) -> Iterator[str]:
    """Problems of a list that must hold at least one table (an array of tables in TOML)."""
    if not isinstance(value, list) or not value:
        yield f"{path}: expected at least one {what}, found {json_kind(value)}"
        return
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            yield f"{key_path(path, i)}: expected a table, found {json_kind(item)}"


def json_kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return repr(value)


def indexed_tables(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """The tables of a list with their indexes (non-tables are reported elsewhere)."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def ids_of(value: Any) -> list[str]:
    return [t["id"] for _, t in indexed_tables(value) if isinstance(t.get("id"), str)]


def duplicate_ids(value: Any, path: str) -> Iterator[str]:
    first: dict[str, int] = {}
    for i, item in indexed_tables(value):
        ident = item.get("id")
        if isinstance(ident, str) and ident in first:
            yield f"{key_path(path, i)}.id: {ident!r} is already used by {key_path(path, first[ident])}"
        elif isinstance(ident, str):
            first[ident] = i


def string_list(value: Any, path: str) -> Iterator[str]:
    if not isinstance(value, list):
        yield f"{path}: expected a list of strings, found {json_kind(value)}"
        return
    for i, item in enumerate(value):
        if not is_text(item):
            yield f"{key_path(path, i)}: expected a non-empty string, found {item!r}"
