"""Ways to damage an export or user file, drawn by hypothesis (tests/fuzz).

Two families:

* raw mutations work on any bytes (truncation, empty and whitespace-only files, BOMs, invalid
  UTF-8, lone surrogate escapes, huge numbers, deep nesting, byte flips); they may break the file
  anywhere, so all a test can demand is a one-line error or posts with counted skips;
* record mutations change one value of one record of a JSON or CSV file and keep the file valid
  (a type swap, a negative or huge number, deep nesting, a lone surrogate): the rest of the file
  must still be read, so the record is a post or a counted skip, never silently gone.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from hypothesis import strategies as st

DEEP = 5_000
HUGE_DIGITS = 5_000
_DEEP_TEXT = "[" * DEEP + "]" * DEEP
_HUGE_TEXT = "9" * HUGE_DIGITS
_PLACEHOLDERS = {'"\\u0000DEEP"': _DEEP_TEXT, '"\\u0000HUGE"': _HUGE_TEXT, '"\\u0000NEGHUGE"': "-" + _HUGE_TEXT,
                 "\\u0000SURROGATE": "\\ud800 lone", "\\u0000LOWSURROGATE": "\\udc00"}

JSON_VALUES: list[Any] = [
    None, True, False, 0, -1, -5, -(2**63), 2**64, 1.5, -0.0, 1e308, float("nan"), float("inf"), "", " ", "fuzz",
    "-5", "1e5", "1.20E+18", "9" * 30, "\u202e\u0000", "2025-13-45T99:99:99Z", "0000-00-00", "9999-12-31T23:59:59Z",
    [], {}, [None], [{}], {"x": 1}, ["a", 1, None], "\u0000DEEP", "\u0000HUGE", "\u0000NEGHUGE",
    "text \u0000SURROGATE", "\u0000LOWSURROGATE",
]
CSV_VALUES: list[str] = [
    "", " ", "-5", "-1", "9" * 30, "9" * HUGE_DIGITS, "1.20E+18", "nan", "inf", "NULL", "=1+1", '"', '""', "\n",
    "a\nb", "\r", "2025-02-30", "2025-13-45T99:99:99Z", "0000-00-00", "9999-12-31 23:59:59", "12/31/99 25:61",
    "\u00e9\u00e8", "\ufeff", "x" * 100_000, ",", ";", "\t", "\\", "\u202e", "\x00",
]
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"]


def raw_mutation(data: st.DataObject, body: bytes) -> tuple[str, bytes]:
    """One damage anywhere in `body`: (what was done, the damaged bytes)."""
    kind = data.draw(st.sampled_from(["truncate", "empty", "whitespace", "bom", "utf8", "surrogate", "number",
                                      "deep", "flip", "delete"]), label="raw mutation")
    at = data.draw(st.integers(0, len(body)), label="position")
    if kind == "truncate":
        return kind, body[:at]
    if kind == "empty":
        return kind, b""
    if kind == "whitespace":
        return kind, data.draw(st.sampled_from([b" ", b"\n", b" \r\n\t \n", b"\xef\xbb\xbf \n"]))
    if kind == "bom":
        return kind, data.draw(st.sampled_from(BOMS)) + body
    if kind == "utf8":
        return kind, body[:at] + data.draw(st.sampled_from(INVALID_UTF8)) + body[at:]
    if kind == "surrogate":
        return kind, body[:at] + data.draw(st.sampled_from([b"\\ud800", b"\\udfff", b"\\ud83d"])) + body[at:]
    if kind == "number":
        return kind, _swap_number(data, body)
    if kind == "deep":
        return kind, body[:at] + data.draw(st.sampled_from([b"[" * DEEP, b'{"a":' * DEEP])) + body[at:]
    if kind == "flip":
        return kind, body[:at] + bytes([data.draw(st.integers(0, 255))]) + body[at + 1:]
    end = data.draw(st.integers(at, min(len(body), at + 64)), label="delete to")
    return kind, body[:at] + body[end:]


def _swap_number(data: st.DataObject, body: bytes) -> bytes:
    numbers = list(re.finditer(rb"-?\d+(?:\.\d+)?", body))
    if not numbers:
        return body
    found = data.draw(st.sampled_from(numbers), label="number")
    value = data.draw(st.sampled_from([b"9" * HUGE_DIGITS, b"-5", b"-0", b"1e999", b"-1e999", b"0.5", b"1" * 25]))
    return body[:found.start()] + value + body[found.end():]


# Record mutations ------------------------------------------------------------------------------


def split_json(body: bytes) -> tuple[bytes, Any] | None:
    """(prefix, parsed) for a JSON member, or an X `window.YTD... = [...]` one; None for anything else."""
    start = min((i for i in (body.find(b"["), body.find(b"{")) if i >= 0), default=-1)
    if start < 0 or (body[:start].strip() and b"=" not in body[:start]):
        return None
    try:
        return body[:start], json.loads(body[start:].decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None


def json_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value under the top level (the top level itself left out)."""
    found = [path] if path else []
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in children:
        found += json_paths(child, (*path, key))
    return found


def json_record_mutation(data: st.DataObject, prefix: bytes, parsed: Any) -> tuple[str, bytes] | None:
    """One value of the parsed JSON replaced by another type or a hostile value; the file stays valid JSON.

    None when the swap would only empty a list or object: that deletes records the way a real export
    with fewer posts does, which is not damage.
    """
    paths = json_paths(parsed)
    if not paths:
        return None
    path = data.draw(st.sampled_from(paths), label="path")
    value = data.draw(st.sampled_from(JSON_VALUES), label="value")
    target = parsed
    for key in path[:-1]:
        target = target[key]
    if value in ([], {}) and type(value) is type(target[path[-1]]):
        return None
    target[path[-1]] = value
    text = json.dumps(parsed, ensure_ascii=True, indent=1)
    for placeholder, replacement in _PLACEHOLDERS.items():
        text = text.replace(placeholder, replacement)
    return f"{'/'.join(map(str, path))} = {str(value)[:40]!r}", prefix + text.encode("utf-8")


def csv_record_mutation(data: st.DataObject, body: bytes, delimiter: str) -> tuple[str, bytes] | None:
    """One cell of one data row replaced by a hostile value (the header and other rows untouched)."""
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) < 2:
        return None
    row = data.draw(st.integers(1, len(rows) - 1), label="row")
    if not rows[row]:
        return None
    column = data.draw(st.integers(0, len(rows[row]) - 1), label="column")
    rows[row][column] = data.draw(st.sampled_from(CSV_VALUES), label="value")
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return f"row {row} column {column} = {rows[row][column][:40]!r}", out.getvalue().encode("utf-8")
