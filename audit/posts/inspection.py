"""`audit inspect`: what is in an export, before anyone writes an accounts file for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from audit.collectors.table import dedupe_posts
from audit.posts.collect import inspect_path


def summarise(path: Path, platform: str | None = None, fmt: str | None = None,
              source_timezone: str | None = None) -> dict[str, Any]:
    """Detected format, post counts by kind, date range, declared languages, skipped records and unread files.

    Counts are of distinct posts, as `audit posts` writes them; `duplicates` says how many rows
    (edits, pinned posts, overlapping pages) were the same post again. `not_read` lists every entry of
    the export that was not read (another format, empty, damaged, media, a link out of the folder) with why.
    """
    report, batch = inspect_path(path, platform, fmt, source_timezone)
    posts = dedupe_posts(batch.posts)
    kinds = dict(posts.group_by("kind").len().sort("kind").iter_rows())
    langs = posts.filter(pl.col("declared_lang").is_not_null()).group_by("declared_lang").len()
    langs = langs.sort(["len", "declared_lang"], descending=[True, False])
    first, last = posts["published_at"].min(), posts["published_at"].max()
    return {
        "path": str(path), "format": report.format, "platform": report.platform,
        "files": report.members, "posts": posts.height, "duplicates": batch.posts.height - posts.height,
        "kinds": kinds,
        "first": _iso(first), "last": _iso(last),
        "declared_languages": dict(langs.iter_rows()),
        "skipped": [s.as_dict() for s in batch.skipped],
        "not_read": report.not_read,
    }


def _iso(value: object) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")  # type: ignore[attr-defined]
