"""Facebook: "Download your information" files and Meta Business Suite CSV exports."""

from audit.collectors.base import Platform
from audit.collectors.facebook.business_csv import COLLECTOR as BUSINESS_CSV
from audit.collectors.facebook.dyi import COLLECTOR as DYI

PLATFORM = Platform(name="facebook", display_name="Facebook", formats=(DYI, BUSINESS_CSV))
