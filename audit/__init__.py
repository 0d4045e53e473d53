"""Audit the public social-media accounts of foreign ministries and embassies.

The public API: read exports into the canonical posts table, then (in later stages) enrich,
score and render. The CLI in :mod:`audit.cli` is a thin layer over these functions.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any

from audit.accounts import Account, AccountsFile, load_accounts
from audit.api import audit_from_paths
from audit.collectors.table import POST_SCHEMA, dedupe_posts, empty_posts, validate_posts
from audit.errors import AuditError, ConfigError, InputError
from audit.events.loading import load_events
from audit.posts.collect import CollectResult, collect_account, collect_accounts, inspect_path
from audit.scoring.engine import AuditRequest, run_audit
from audit.scoring.rubric.model import load_rubric

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
    """`render_report` is imported on first use: matplotlib and WeasyPrint are slow to load."""
    if name == "render_report":
        from audit.report import render_report

        return render_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
