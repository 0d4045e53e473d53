"""Reading accounts' exports into one posts table: detection, reading, dedupe, coverage.

This is the API behind `audit inspect` and `audit posts`; the CLI only formats what it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from audit.accounts import Account, AccountsFile
from audit.collectors.base import Batch, Collector, ReadContext, Staged
from audit.collectors.registry import detect
from audit.collectors.table import conform_posts, dedupe_posts, duplicate_reasons, empty_posts, validate_posts
from audit.errors import InputError, UnknownFormatError
from audit.posts.store import account_paths
from audit.posts.unread import not_read, read_around_damage, unread_path
from audit.sources.exports import open_export
from audit.sources.machine import release_free_memory, usable_cores
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


NO_POSTS = pl.DataFrame()
"""What a reading holds once its posts are in the accounts' table."""


@dataclass
class _Reading:
    """One export as far as it reads alone; `_finish` completes it with the others of its format."""

    report: FileReport
    batch: Batch
    collector: Collector
    label: str


@dataclass
class _AccountReading:
    """An account's exports, started: a report per path (unread ones too) and the readings."""

    account: Account
    files: list[FileReport]
    readings: list[_Reading]


def read_export(path: Path, ctx: ReadContext, platform: str | None = None,
                fmt: str | None = None) -> tuple[FileReport, Batch]:
    """Detect the format of one file, folder or zip and read it."""
    reading = _start(path, ctx, platform, fmt)
    _finish([reading])
    reading.batch.posts = validate_posts(reading.batch.posts)
    return reading.report, reading.batch


def _start(path: Path, ctx: ReadContext, platform: str | None, fmt: str | None) -> _Reading:
    """Detect and read one export as far as it reads alone (a staged collector's posts come with `_finish`)."""
    with open_export(path) as export:
        collector, members = detect(export, platform, fmt)
        batch, members, damaged = read_around_damage(collector, export, members, ctx)
        report = FileReport(str(path), collector.name, collector.platform, members, 0, 0, ctx.account_id)
        report.not_read = not_read(export, members, batch, damaged, collector)
        return _Reading(report, batch, collector, export.label)


def _finish(readings: list[_Reading]) -> None:
    """Finish staged readings, every export of a format in one pass; then each must hold a post or a skip."""
    staged: dict[str, tuple[Staged, list[Batch]]] = {}
    for reading in readings:
        if reading.batch.pending is not None and isinstance(reading.collector, Staged):
            staged.setdefault(reading.collector.name, (reading.collector, []))[1].append(reading.batch)
    for collector, batches in staged.values():
        collector.finish(batches)
    for reading in readings:
        batch, report = reading.batch, reading.report
        batch.posts = conform_posts(batch.posts.with_columns(pl.lit(report.account_id).alias("account_id"))
                                    if _stamp(batch.posts, report.account_id) else batch.posts)
        if batch.posts.is_empty() and not batch.skipped:
            raise InputError(reading.label, f"expected at least one post in {reading.collector.description}, "
                                            "found none")
        report.posts, report.skipped = batch.posts.height, len(batch.skipped)


def _stamp(posts: pl.DataFrame, account_id: str | None) -> bool:
    """Whether `posts` needs its account_id column set (a query, so not when a collector has set it)."""
    column = posts.get_column("account_id", default=None)
    if column is None or column.is_empty():
        return column is None
    return bool(column.null_count() or column.n_unique() > 1 or column[0] != account_id)


def context_for(account: Account) -> ReadContext:
    options: dict[str, Any] = {"columns": dict(account.columns)}
    if account.timestamp_format:
        options["timestamp_format"] = account.timestamp_format
    return ReadContext(account_id=account.id, handle=account.handle, source_timezone=account.source_timezone,
                       source_timezone_key=f"{account.key}.source_timezone", options=options)


def collect_account(account: Account) -> CollectResult:
    """Read every path an account's `source` names, deduplicated on (platform, post_id)."""
    return _collect([account])


def _start_account(account: Account, started: list[_Reading]) -> _AccountReading:
    """Start reading every path of an account (each reading is added to `started` as it is made)."""
    ctx = context_for(account)
    paths, files, readings = account_paths(account), [], []
    for path in paths:
        try:
            reading = _start(path, ctx, account.platform, account.format)
        except UnknownFormatError:
            if len(paths) == 1:
                raise
            files.append(FileReport(shown_path(path, account.base), "unread", account.platform, [], 0, 0,
                                    account.id, unread_path(path)))
            continue
        reading.report.path = shown_path(path, account.base)
        files.append(reading.report)
        readings.append(reading)
        started.append(reading)
    if paths and not readings:
        raise InputError(account.source, f"expected at least one export in a known format among the {len(paths)} "
                                         "files it matches; none could be read", f"{account.key}.source")
    return _AccountReading(account, files, readings)


def shown_path(path: Path, base: Path) -> str:
    """A path as the accounts file names it (relative to its folder) when it lies inside that folder."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


TRIM_EVERY = 10
"""Accounts read between two `release_free_memory` calls: on threads, glibc gives each its own heap, which
kept what the parses freed (1M posts over 200 accounts: reading peaked at 2.25 GB, 1.88 GB trimmed every 10
accounts, 1.84 GB on one thread); a trim costs about 2 ms, so not after every account."""


def _start_accounts(accounts: Sequence[Account]) -> tuple[list[_AccountReading], list[_Reading]]:
    """Every account's exports started, a few accounts at once on threads (Arrow's JSON reader lets go of the
    GIL, and an archive of a thousand posts is too small to fill the cores alone: issue 13), with the
    readings in the accounts' order. When an account fails, the exports of the accounts before it (and its
    own read so far) are finished first and their error wins, as when reading one after another."""
    lists: list[list[_Reading]] = [[] for _ in accounts]
    read: list[_AccountReading] = []
    with ThreadPoolExecutor(max_workers=_read_threads(len(accounts))) as pool:
        futures = [pool.submit(_start_account, a, mine) for a, mine in zip(accounts, lists, strict=True)]
        for done, future in enumerate(futures):
            if (error := future.exception()) is not None:
                pool.shutdown(cancel_futures=True)
                _finish([reading for mine in lists[:done + 1] for reading in mine])
                raise error
            read.append(future.result())
            if done % TRIM_EVERY == TRIM_EVERY - 1:
                release_free_memory()  # each thread's C heap keeps what its parses freed (+0.4 GB at 1M posts)
    return read, [reading for mine in lists for reading in mine]


def _read_threads(accounts: int) -> int:
    """One thread per usable core, no more than there are accounts (measured: 200 archives of 1,000 posts
    each started in 2.8 s one after another, 2.2 s on two threads)."""
    return max(1, min(accounts, usable_cores()))


def collect_accounts(accounts: AccountsFile) -> CollectResult:
    """Read every account of an accounts file into one table."""
    return _collect(accounts.accounts)


def _collect(accounts: Sequence[Account]) -> CollectResult:
    """Every account's exports read alone first (a few accounts at once), then the exports of a format
    finished together, then one table: dedupe and sort each account's posts, all accounts at once (issue 13:
    200 archives cost about one).

    Errors come in the order of reading one export after another: when an export fails, those read
    before it are finished first, so an earlier export's error is the one reported.
    """
    accounts_read, started = _start_accounts(accounts)
    _finish(started)
    result = CollectResult(empty_posts())
    for one in accounts_read:
        skipped = [record for reading in one.readings for record in reading.batch.skipped]
        result.files += one.files
        result.skipped += skipped
        result.skipped_by_account[one.account.id] = skipped
    result.posts = _table(result, accounts_read)
    release_free_memory()  # what parsing freed, kept by the C heap (0.4 GB at 1M posts)
    return result


def _table(result: CollectResult, accounts_read: list[_AccountReading]) -> pl.DataFrame:
    """All accounts' posts in one chunk, each account's deduplicated and sorted by time, accounts in order.

    One chunk, not one per account: each account's rows are later filtered out of this table, and a
    filter of a 200-chunk string column kept about all its text alive per account (8.5 GB for --posts-out
    of 200 accounts, 200,000 posts; issue 13).
    """
    frames, platforms = [], []
    for one in accounts_read:
        for reading in one.readings:
            frames.append(reading.batch.posts)
            platforms.append(one.account.platform)
            reading.batch.posts = NO_POSTS  # the table below is the only copy kept
    if not frames:
        return empty_posts()
    which = pl.Series(np.repeat(np.arange(len(frames), dtype=np.uint32), [frame.height for frame in frames]))
    posts = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    del frames
    posts = validate_posts(posts.with_columns(pl.Series("platform", platforms, pl.String).gather(which)))
    unique = dedupe_posts(posts, by=("account_id",))
    if unique.height < posts.height:
        _count_duplicates(result, posts, unique)
    del posts
    in_order = [pl.col("account_id").rle_id(), pl.col("published_at")]
    return compacted(unique.sort(in_order, maintain_order=True).rechunk())


def compacted(posts: pl.DataFrame) -> pl.DataFrame:
    """The posts with their lists of strings (urls, mentions, hashtags) in buffers of their own: picked out of
    the parsed records, those strings pointed into buffers of everything parsed with them, which they kept
    alive (the urls 0.39 GB at 1M posts, issue 13: peak memory). Arrow copies only the strings."""
    lists = [name for name, dtype in posts.schema.items() if dtype == pl.List(pl.String)]
    fresh = pl.from_arrow(posts.select(lists).to_arrow()) if lists else None
    return posts.with_columns(fresh) if isinstance(fresh, pl.DataFrame) else posts


def _count_duplicates(result: CollectResult, posts: pl.DataFrame, unique: pl.DataFrame) -> None:
    """How many rows deduplication dropped, and why, counted account by account as each is reported."""
    result.duplicates = posts.height - unique.height
    before, after = (dict(frame["account_id"].value_counts().iter_rows()) for frame in (posts, unique))
    for account_id, rows in before.items():
        if rows > after.get(account_id, 0):
            for reason, count in duplicate_reasons(posts.filter(pl.col("account_id") == account_id)).items():
                result.duplicates_by_reason[reason] = result.duplicates_by_reason.get(reason, 0) + count


def inspect_path(path: Path, platform: str | None = None, fmt: str | None = None,
                 source_timezone: str | None = None) -> tuple[FileReport, Batch]:
    """Detect and read one path for `audit inspect`, without an accounts file."""
    ctx = ReadContext(account_id=path.stem or "export", source_timezone=source_timezone,
                      source_timezone_key="--source-timezone")
    return read_export(path, ctx, platform, fmt)


__all__ = [
    "CollectResult", "FileReport", "collect_account", "collect_accounts", "inspect_path",
]
