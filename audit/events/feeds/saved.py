"""A saved feed file told apart by its content: a ReliefWeb disasters response (JSON) or a GDACS RSS feed."""

from __future__ import annotations

from pathlib import Path

from audit.errors import InputError
from audit.events.feeds import gdacs, reliefweb
from audit.events.feeds.common import EventBatch, read_bytes, text_without_boms


def read_saved(path: Path, min_alert: str | None = None) -> EventBatch:
    """A saved ReliefWeb disasters response (JSON) or GDACS RSS feed (XML), told apart by content."""
    text = text_without_boms(read_bytes(path), str(path))
    if text.startswith(("{", "[")):
        return reliefweb.parse(text, str(path))
    if text.startswith("<"):
        return gdacs.parse(text, str(path), min_alert)
    expected = "expected a saved ReliefWeb disasters response (JSON) or a GDACS RSS feed (XML)"
    raise InputError(path, expected, "line 1")
