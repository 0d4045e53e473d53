"""The live sources, by platform: one line per platform that can be collected over the network.

Kept apart from :mod:`audit.collectors.live` (the shared types every source imports) so that the
sources can import those types without an import cycle.
"""

from __future__ import annotations

from audit.collectors.bluesky.live import SOURCE as BLUESKY
from audit.collectors.live import LiveSource
from audit.collectors.mastodon.live import SOURCE as MASTODON
from audit.collectors.telegram.live import SOURCE as TELEGRAM
from audit.collectors.youtube.live import SOURCE as YOUTUBE

LIVE_SOURCES: dict[str, LiveSource] = {s.platform: s for s in (MASTODON, BLUESKY, YOUTUBE, TELEGRAM)}
"""Platforms in LIVE_PLATFORMS without an entry here say so when collected."""


def live_sources() -> dict[str, LiveSource]:
    """Every platform that can be collected live, by platform name."""
    return dict(LIVE_SOURCES)
