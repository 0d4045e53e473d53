"""The posts stage: every account's exports read into one canonical, deduplicated posts table."""
