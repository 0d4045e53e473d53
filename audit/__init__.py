"""Audit the public social-media accounts of foreign ministries and embassies.

The public API lives in :mod:`audit.api` and is re-exported here on first use, so that importing
one stage (``audit.collectors``, ``audit.scoring``...) never loads the others and no stage imports
this package back. The CLI in :mod:`audit.cli` is a thin layer over the same functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.version import __version__

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
