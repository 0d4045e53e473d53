"""The collector registry: every platform the toolkit reads, and format detection.

The registry is plain imports, so a missing or broken platform module fails loudly at import time
instead of silently dropping a format. Adding a platform is one package under `audit/collectors/`
that defines ``PLATFORM``, one line in ``PLATFORMS`` below, and a fixture folder per format
(``fixtures/<format>/``, with golden expectations): a test parametrised over this registry fails
until they exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from audit.collectors import bluesky, csv, facebook, instagram, mastodon, telegram, x, youtube
from audit.collectors.base import Collector, Platform
from audit.errors import InputError, UnknownFormatError
from audit.sources.exports import Export

PLATFORMS: tuple[Platform, ...] = (
    x.PLATFORM,
    facebook.PLATFORM,
    instagram.PLATFORM,
    telegram.PLATFORM,
    mastodon.PLATFORM,
    bluesky.PLATFORM,
    youtube.PLATFORM,
    csv.PLATFORM,
)
"""Detection order: specific formats first, the generic CSV last."""

PLATFORM_NAMES: tuple[str, ...] = tuple(p.name for p in PLATFORMS)
DISPLAY_NAMES: Mapping[str, str] = MappingProxyType({p.name: p.display_name for p in PLATFORMS})
COLLECTORS: Mapping[str, Collector] = MappingProxyType({c.name: c for p in PLATFORMS for c in p.formats})


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
