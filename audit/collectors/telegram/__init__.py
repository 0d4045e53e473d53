"""Telegram: Telegram Desktop channel exports (result.json) and saved pages of a channel's web preview."""

from audit.collectors.base import Platform
from audit.collectors.telegram.desktop import COLLECTOR as DESKTOP
from audit.collectors.telegram.preview import COLLECTOR as PREVIEW

PLATFORM = Platform(name="telegram", display_name="Telegram", formats=(DESKTOP, PREVIEW))
