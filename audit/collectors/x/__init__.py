"""X (Twitter): the account archive ("Download an archive of your data")."""

from audit.collectors.base import Platform
from audit.collectors.x.archive import COLLECTOR as ARCHIVE

PLATFORM = Platform(name="x", display_name="X", formats=(ARCHIVE,))
