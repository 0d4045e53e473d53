"""Mastodon: account archives (ActivityPub outbox) and saved API responses, mapped by one record-to-row module."""

from audit.collectors.base import Platform
from audit.collectors.mastodon.api import COLLECTOR as API
from audit.collectors.mastodon.archive import COLLECTOR as ARCHIVE

PLATFORM = Platform(name="mastodon", display_name="Mastodon", formats=(ARCHIVE, API))
