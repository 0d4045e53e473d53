"""Audit the public social-media accounts of foreign ministries and embassies.

The public API: read exports into the canonical posts table, then (in later stages) enrich,
score and render. The CLI in :mod:`audit.cli` is a thin layer over these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

from audit.accounts import Account, AccountsFile, load_accounts
from audit.collect import CollectResult, collect_account, collect_accounts, inspect_path
from audit.errors import AuditError, ConfigError, InputError
from audit.posts import POST_SCHEMA, dedupe_posts, empty_posts, validate_posts

__all__ = [
    "POST_SCHEMA",
    "Account",
    "AccountsFile",
    "AuditError",
    "CollectResult",
    "ConfigError",
    "InputError",
    "__version__",
    "collect_account",
    "collect_accounts",
    "dedupe_posts",
    "empty_posts",
    "inspect_path",
    "load_accounts",
    "validate_posts",
]
