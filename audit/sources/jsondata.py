"""JSON members of an export: parsed with positions in errors, checked for their top-level type."""

from __future__ import annotations

import json
from typing import Any

from audit.errors import InputError
from audit.sources.exports import Export


def load_json(export: Export, member: str, data: bytes | None = None) -> Any:
    """Parse a JSON member; a syntax error names the file, line and column."""
    raw = export.read_bytes(member) if data is None else data
    text = raw.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(export.where(member), "expected JSON, found an empty file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(export.where(member), f"expected valid JSON: {e.msg}", f"{e.lineno}:{e.colno}") from None


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
