"""A saved feed file told apart by its content: ReliefWeb disasters (JSON), GDACS (RSS or GeoJSON), USGS GeoJSON."""

from __future__ import annotations

import json
from pathlib import Path

from audit.errors import InputError
from audit.events.feeds import gdacs, gdacs_api, reliefweb, usgs
from audit.events.feeds.common import EventBatch, read_bytes, text_without_boms


def read_saved(path: Path, min_alert: str | None = None) -> EventBatch:
    """A saved ReliefWeb disasters response, GDACS RSS feed or API answer, or USGS GeoJSON, told apart by content.

    `min_alert` applies to the feeds that have alert levels (GDACS, and USGS's PAGER alert).
    """
    text = text_without_boms(read_bytes(path), str(path))
    if text.startswith(("{", "[")):
        return parse_json(text, str(path), min_alert)
    if text.startswith("<"):
        return gdacs.parse(text, str(path), min_alert)
    expected = "expected a saved ReliefWeb disasters response (JSON), a GDACS feed or a USGS GeoJSON file"
    raise InputError(path, expected, "line 1")


def parse_json(text: str, where: str, min_alert: str | None = None) -> EventBatch:
    """GeoJSON from GDACS or USGS by what its features carry; any other JSON is read as ReliefWeb's."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None  # the ReliefWeb reader names the position of the fault
    if gdacs_api.looks_like_gdacs(document):
        return gdacs_api.parse(text, where, min_alert)
    if usgs.looks_like_usgs(document):
        return usgs.parse(text, where, min_alert)
    return reliefweb.parse(text, where)
