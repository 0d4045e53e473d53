"""The posts table written for analysts: Parquet, or CSV with list columns joined by `|`."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from audit.errors import InputError
from audit.files import write_atomic

POSTS_SUFFIXES = (".parquet", ".csv")


def check_posts_path(out: Path) -> None:
    """Refuse an output name write_posts cannot honour, before anything slow has run."""
    if out.suffix.lower() not in POSTS_SUFFIXES:
        raise InputError(out, "expected an output file ending in .parquet or .csv")


def write_posts(posts: pl.DataFrame, out: Path) -> None:
    """Parquet or CSV by extension; in CSV, list columns are joined with `|` (reads back with generic_csv)."""
    check_posts_path(out)
    if out.suffix.lower() == ".parquet":
        write_atomic(out, lambda p: posts.write_parquet(p))
        return
    flat = posts.with_columns(pl.col(c).list.join("|") for c in ("mentions", "hashtags", "urls"))
    flat = flat.with_columns(pl.col("published_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
    write_atomic(out, lambda p: flat.write_csv(p))
