"""Any CSV of posts, with a column mapping in the accounts file."""

from audit.collectors.base import Platform
from audit.collectors.csv.generic import COLLECTOR as GENERIC

PLATFORM = Platform(name="csv", display_name="CSV export", formats=(GENERIC,))
