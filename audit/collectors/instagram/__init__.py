"""Instagram: "Download your information" files."""

from audit.collectors.base import Platform
from audit.collectors.instagram.dyi import COLLECTOR as DYI

PLATFORM = Platform(name="instagram", display_name="Instagram", formats=(DYI,))
