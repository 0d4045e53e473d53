"""The collector registry and format detection.

Adding a format takes one module in this package that defines ``COLLECTOR``, one name in
``_MODULES`` below, and fixtures under ``fixtures/<format>/`` (a test parametrised over this
registry fails until they exist).
"""

from __future__ import annotations

import importlib

from audit.collectors.base import Batch, Collector, ReadContext, Skipped
from audit.errors import InputError, UnknownFormatError
from audit.sources import Export

_MODULES = (
    "x_archive",
    "facebook_dyi",
    "meta_business_csv",
    "instagram_dyi",
    "telegram_desktop",
    "mastodon_archive",
    "mastodon_api",
    "bluesky_feed",
    "bluesky_car",
    "youtube_api",
    "generic_csv",
)
"""Detection order: specific formats first, the generic CSV last."""


def _load() -> dict[str, Collector]:
    found: dict[str, Collector] = {}
    for module in _MODULES:
        try:
            collector: Collector = importlib.import_module(f"{__name__}.{module}").COLLECTOR
        except ModuleNotFoundError as e:  # pragma: no cover - only while a format is being written
            if e.name != f"{__name__}.{module}":
                raise
            continue
        found[collector.name] = collector
    return found


COLLECTORS: dict[str, Collector] = _load()


def formats_for(platform: str | None) -> list[Collector]:
    """The collectors that can produce posts for `platform` (all of them when None)."""
    return [c for c in COLLECTORS.values() if platform is None or c.platform == platform]


def get_collector(name: str) -> Collector:
    """The collector for a format name; an unknown name lists the known ones."""
    try:
        return COLLECTORS[name]
    except KeyError:
        known = ", ".join(COLLECTORS)
        raise InputError("--format", f"unknown format {name!r}; expected one of {known}") from None


def detect(export: Export, platform: str | None = None, fmt: str | None = None) -> tuple[Collector, list[str]]:
    """The first collector (in registry order) that recognises members of `export`.

    With `fmt` only that format is tried; with `platform` only that platform's formats.
    """
    candidates = [get_collector(fmt)] if fmt else formats_for(platform)
    for collector in candidates:
        members = collector.find(export)
        if members:
            return collector, members
    if fmt or platform:
        wanted = " or ".join(c.description for c in candidates) or f"an export for platform {platform!r}"
    else:
        wanted = "an export in a known format (see `audit formats`)"
    if not export.members():
        raise InputError(export.label, f"expected {wanted}, found an empty folder or archive")
    raise UnknownFormatError(export.label, f"expected {wanted}; no file in it is in a known format")


__all__ = [
    "COLLECTORS",
    "Batch",
    "Collector",
    "ReadContext",
    "Skipped",
    "detect",
    "formats_for",
    "get_collector",
]
