"""Bluesky: saved feed responses and repository CAR files, mapped by one record-to-row module."""

from audit.collectors.base import Platform
from audit.collectors.bluesky.car import COLLECTOR as CAR
from audit.collectors.bluesky.feed import COLLECTOR as FEED

PLATFORM = Platform(name="bluesky", display_name="Bluesky", formats=(FEED, CAR))
