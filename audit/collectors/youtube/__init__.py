"""YouTube: saved YouTube Data API v3 responses."""

from audit.collectors.base import Platform
from audit.collectors.youtube.api import COLLECTOR as API

PLATFORM = Platform(name="youtube", display_name="YouTube", formats=(API,))
