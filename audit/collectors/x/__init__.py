"""X (Twitter): the account archive ("Download an archive of your data")."""

from audit.collectors.base import Platform
from audit.collectors.x.archive import COLLECTOR as ARCHIVE
from audit.collectors.x.grailbird import COLLECTOR as GRAILBIRD

PLATFORM = Platform(name="x", display_name="X", formats=(ARCHIVE, GRAILBIRD))
