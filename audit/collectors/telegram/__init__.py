"""Telegram: Telegram Desktop channel exports (result.json)."""

from audit.collectors.base import Platform
from audit.collectors.telegram.desktop import COLLECTOR as DESKTOP

PLATFORM = Platform(name="telegram", display_name="Telegram", formats=(DESKTOP,))
