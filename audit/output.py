"""Writing tables and documents atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from audit.errors import InputError


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    with atomic_path(target) as tmp:
        write(tmp)


def write_text_atomic(target: Path, text: str) -> None:
    write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))


def write_posts(posts: pl.DataFrame, out: Path) -> None:
    """Parquet or CSV by extension; in CSV, list columns are joined with `|` (reads back with generic_csv)."""
    suffix = out.suffix.lower()
    if suffix == ".parquet":
        write_atomic(out, lambda p: posts.write_parquet(p))
    elif suffix == ".csv":
        flat = posts.with_columns(pl.col(c).list.join("|") for c in ("mentions", "hashtags", "urls"))
        flat = flat.with_columns(pl.col("published_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
        write_atomic(out, lambda p: flat.write_csv(p))
    else:
        raise InputError(out, "expected an output file ending in .parquet or .csv")
