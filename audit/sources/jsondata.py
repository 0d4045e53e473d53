"""JSON members of an export: parsed with positions in errors, checked for their top-level type.

Every JSON text a reader parses goes through :func:`parse_json`, which turns what Python's parser
cannot take (nesting past its recursion limit, integers past its digit limit) into an InputError
at the position where it happened, and reads lone UTF-16 surrogate escapes (``\\ud800``, which
cannot be written as UTF-8 later) as U+FFFD, the way undecodable bytes are read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.limits import MAX_JSON_DEPTH, MAX_NUMBER_DIGITS

_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
                        r"|(?<!\\)((?:\\\\)*)(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_LONG_NUMBER = re.compile(rf"-?\d{{{MAX_NUMBER_DIGITS + 1},}}")
_BRACKETS = re.compile(r'[\[\]{}"\\]')


def load_json(export: Export, member: str, data: bytes | None = None) -> Any:
    """Parse a JSON member; a syntax error names the file, line and column."""
    raw = export.read_bytes(member) if data is None else data
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(export.where(member), "expected JSON, found an empty file")
    return parse_json(text, export.where(member))


def parse_json(text: str, where: str, what: str = "valid JSON") -> Any:
    """json.loads with every failure an InputError at `line:column` of `text`."""
    if "\\u" in text:
        text = _SURROGATE.sub(_replacement, text)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(where, f"expected {what}: {e.msg}", f"{e.lineno}:{e.colno}") from None
    except RecursionError:
        raise InputError(where, f"expected JSON nested at most {MAX_JSON_DEPTH} levels deep",
                         _position(text, _too_deep(text))) from None
    except ValueError:  # only an integer past Python's digit limit gets here
        found = _LONG_NUMBER.search(text)
        raise InputError(where, f"expected a number of at most {MAX_NUMBER_DIGITS} digits",
                         _position(text, found.start() if found else 0)) from None


def _replacement(match: re.Match[str]) -> str:
    return (match[1] or match[2] or "") + "\\ufffd"


def _too_deep(text: str) -> int:
    """Where nesting first passes MAX_JSON_DEPTH (only called once the parser has given up)."""
    depth, in_string, escaped = 0, False, False
    for token in _BRACKETS.finditer(text):
        char = token[0]
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return token.start()
        elif char in "]}":
            depth -= 1
    return 0


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def expect_type(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> None:
    """Raise an InputError unless the parsed top level is of the expected JSON type."""
    if not isinstance(value, kind):
        raise InputError(where, f"expected {what}, found a JSON {_json_type(value)}", "top level")


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def head_text(export: Export, member: str, size: int = 4096) -> str:
    """The start of a member as text, for content sniffing."""
    return export.head(member, size).decode("utf-8-sig", errors="replace").lstrip()
