"""The `audit` command line: one module per command group, each a thin layer over :mod:`audit.api`."""
