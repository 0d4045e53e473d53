"""Reading accounts' exports into one posts table: detection, reading, dedupe, coverage.

This is the API behind `audit inspect` and `audit posts`; the CLI only formats what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from audit.accounts import Account, AccountsFile
from audit.collectors.base import Batch, ReadContext
from audit.collectors.registry import detect
from audit.collectors.table import dedupe_posts, duplicate_reasons, empty_posts, validate_posts
from audit.errors import InputError, UnknownFormatError
from audit.posts.store import account_paths
from audit.posts.unread import not_read, read_around_damage, unread_path
from audit.sources.exports import open_export
from audit.sources.skips import Skipped


@dataclass
class FileReport:
    """One file, folder or zip that was read, and what came out of it."""

    path: str
    format: str
    platform: str
    members: list[str]
    posts: int
    skipped: int
    account_id: str | None = None
    not_read: list[dict[str, str]] = field(default_factory=list)
    """Entries of the file, folder or archive that were not read, each with why (nothing is dropped silently)."""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CollectResult:
    """Posts of one or more accounts, with the coverage a report needs to be honest."""

    posts: pl.DataFrame
    files: list[FileReport] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: int = 0
    duplicates_by_reason: dict[str, int] = field(default_factory=dict)
    skipped_by_account: dict[str, list[Skipped]] = field(default_factory=dict)

    def skipped_for(self, account_id: str) -> list[Skipped]:
        """Kept per account, not matched by path: two accounts may share an export, or one
        account's folder name may be a prefix of another's (exports/emb-jp, exports/emb-jp-old)."""
        return self.skipped_by_account.get(account_id, [])


def read_export(path: Path, ctx: ReadContext, platform: str | None = None,
                fmt: str | None = None) -> tuple[FileReport, Batch]:
    """Detect the format of one file, folder or zip and read it."""
    with open_export(path) as export:
        collector, members = detect(export, platform, fmt)
        batch, members, damaged = read_around_damage(collector, export, members, ctx)
        posts = validate_posts(batch.posts.with_columns(pl.lit(ctx.account_id).alias("account_id")))
        if posts.is_empty() and not batch.skipped:
            raise InputError(export.label, f"expected at least one post in {collector.description}, "
                                           "found none")
        batch.posts = posts
        report = FileReport(str(path), collector.name, collector.platform, members, posts.height,
                            len(batch.skipped), ctx.account_id)
        report.not_read = not_read(export, members, batch, damaged, collector)
        return report, batch


def context_for(account: Account) -> ReadContext:
    options: dict[str, Any] = {"columns": dict(account.columns)}
    if account.timestamp_format:
        options["timestamp_format"] = account.timestamp_format
    return ReadContext(account_id=account.id, handle=account.handle, source_timezone=account.source_timezone,
                       source_timezone_key=f"{account.key}.source_timezone", options=options)


def collect_account(account: Account) -> CollectResult:
    """Read every path an account's `source` names, deduplicated on (platform, post_id)."""
    ctx = context_for(account)
    frames, result = [], CollectResult(empty_posts())
    paths = account_paths(account)
    for path in paths:
        try:
            report, batch = read_export(path, ctx, account.platform, account.format)
        except UnknownFormatError:
            if len(paths) == 1:
                raise
            result.files.append(FileReport(shown_path(path, account.base), "unread", account.platform, [], 0, 0,
                                           account.id, unread_path(path)))
            continue
        frames.append(batch.posts.with_columns(pl.lit(account.platform).alias("platform")))
        report.path = shown_path(path, account.base)
        result.files.append(report)
        result.skipped.extend(batch.skipped)
    if paths and not frames:
        raise InputError(account.source, f"expected at least one export in a known format among the {len(paths)} "
                                         "files it matches; none could be read", f"{account.key}.source")
    result.skipped_by_account[account.id] = list(result.skipped)
    return _finish(result, frames)


def shown_path(path: Path, base: Path) -> str:
    """A path as the accounts file names it (relative to its folder) when it lies inside that folder."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def collect_accounts(accounts: AccountsFile) -> CollectResult:
    """Read every account of an accounts file into one table."""
    combined = CollectResult(empty_posts())
    frames = []
    for account in accounts.accounts:
        one = collect_account(account)
        frames.append(one.posts)
        combined.files += one.files
        combined.skipped += one.skipped
        combined.skipped_by_account.update(one.skipped_by_account)
        combined.duplicates += one.duplicates
        for reason, count in one.duplicates_by_reason.items():
            combined.duplicates_by_reason[reason] = combined.duplicates_by_reason.get(reason, 0) + count
    # One chunk, not one per account: each account's rows are later filtered out of this table, and a filter
    # of a 200-chunk string column kept about all its text alive per account (8.5 GB for --posts-out of
    # 200 accounts, 200,000 posts; issue 13)
    combined.posts = pl.concat(frames, how="vertical", rechunk=True) if frames else empty_posts()
    return combined


def _finish(result: CollectResult, frames: list[pl.DataFrame]) -> CollectResult:
    posts = pl.concat(frames, how="vertical") if frames else empty_posts()
    unique = dedupe_posts(posts)
    result.duplicates = posts.height - unique.height
    result.duplicates_by_reason = duplicate_reasons(posts) if result.duplicates else {}
    result.posts = unique.sort("published_at", maintain_order=True)
    return result


def inspect_path(path: Path, platform: str | None = None, fmt: str | None = None,
                 source_timezone: str | None = None) -> tuple[FileReport, Batch]:
    """Detect and read one path for `audit inspect`, without an accounts file."""
    ctx = ReadContext(account_id=path.stem or "export", source_timezone=source_timezone,
                      source_timezone_key="--source-timezone")
    return read_export(path, ctx, platform, fmt)


__all__ = [
    "CollectResult", "FileReport", "collect_account", "collect_accounts", "inspect_path",
]
