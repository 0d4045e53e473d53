"""Audit the public social-media accounts of foreign ministries and embassies.

The public API lives in :mod:`audit.api` and is re-exported here on first use, so that importing
one stage (``audit.collectors``, ``audit.scoring``...) never loads the others and no stage imports
this package back. The CLI in :mod:`audit.cli` is a thin layer over the same functions.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from audit.version import __version__

ALLOCATOR_ENV = "_RJEM_MALLOC_CONF"
ALLOCATOR_SETTING = "dirty_decay_ms:100,muzzy_decay_ms:0"
"""polars' allocator (jemalloc) hands memory freed 0.1 s ago back to the system, where polars' own default
keeps it 0.5 s and then 1 s more as lazily freed pages, which still count as resident: each stage's copies
stayed resident while the next stage made its own (issue 13, peak RSS: 200,000 posts 0.76-0.80 -> 0.70-0.72 GB
for 0.3-0.5 s more system time, a million 2.46 -> 2.36 GB for 1.3 s more, spent on jemalloc's background
thread). Set before polars loads, since jemalloc reads it then; every entry point (`audit`, `python -m audit`,
`import audit...`) loads this package first.
A user's own setting wins, and nothing is set once polars is loaded (it would only reach child processes)."""

if "polars" not in sys.modules:
    os.environ.setdefault(ALLOCATOR_ENV, ALLOCATOR_SETTING)

if TYPE_CHECKING:
    from audit.api import (
        POST_SCHEMA,
        Account,
        AccountsFile,
        AuditError,
        AuditRequest,
        CollectResult,
        ConfigError,
        InputError,
        audit_from_paths,
        collect_account,
        collect_accounts,
        dedupe_posts,
        empty_posts,
        inspect_path,
        load_accounts,
        load_events,
        load_rubric,
        render_report,
        run_audit,
        validate_posts,
    )

__all__ = [
    "POST_SCHEMA",
    "Account",
    "AccountsFile",
    "AuditError",
    "AuditRequest",
    "CollectResult",
    "ConfigError",
    "InputError",
    "__version__",
    "audit_from_paths",
    "collect_account",
    "collect_accounts",
    "dedupe_posts",
    "empty_posts",
    "inspect_path",
    "load_accounts",
    "load_events",
    "load_rubric",
    "render_report",
    "run_audit",
    "validate_posts",
]


def __getattr__(name: str) -> Any:
    """Names of the public API, imported from :mod:`audit.api` when first asked for."""
    if name in __all__:
        from audit import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
