"""Post ids of a CSV: refused when a spreadsheet has mangled them, made up when the file has none.

Excel shows an 18-digit X id as ``1.20E+18`` and saves it so: every post of a month then shares a
handful of ids, and deduplication would quietly keep one post in four hundred. So an id column in
scientific notation, or one that gives distinct rows (another time or text) the same id, is an error
that names the column, an example and the fix. A single clash is an edit or a re-export and is
merged (and reported by deduplication); more than :data:`MAX_CLASH_SHARE` of the rows is not.

Rows without an id get a stable hash of account, time and text. Two rows known only to the same day
with the same text may be two posts (a daily greeting), so the hash then also counts which of them
it is; reading the same file twice still gives the same ids.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from audit.collectors.table import stable_post_id
from audit.errors import InputError

SCIENTIFIC: Final = r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$"
MAX_CLASH_SHARE: Final = 0.01
FIX: Final = ("map another column to post_id, or leave post_id unmapped and audit identifies each post "
              "by its account, time and text")
_LINE = "__line"


def check_ids(frame: pl.DataFrame, header: str | None, where: str) -> None:
    """Refuse an id column a spreadsheet has rounded or that lumps distinct posts together."""
    if header is None or frame.is_empty():
        return
    rounded = frame.filter(pl.col("post_id").str.contains(SCIENTIFIC))
    if rounded.height:
        line, value = rounded.row(0, named=True)[_LINE], rounded["post_id"][0]
        raise InputError(where, f"column {header!r} (post_id) holds ids in scientific notation ({value!r}), "
                                f"as a spreadsheet rounds them; {FIX}", f"line {line}")
    _check_clashes(frame, header, where)


def _check_clashes(frame: pl.DataFrame, header: str, where: str) -> None:
    ided = frame.filter(pl.col("post_id").is_not_null())
    versions = ided.group_by("post_id").agg(
        pl.struct("__published", "text").n_unique().alias("versions"), pl.col(_LINE).sort().alias("lines"))
    clashes = versions.filter(pl.col("versions") > 1)
    clashing_rows = int((clashes["versions"] - 1).sum() or 0)
    if clashing_rows <= max(1, MAX_CLASH_SHARE * ided.height):
        return
    example = clashes.sort(pl.col("lines").list.first()).row(0, named=True)
    lines = ", ".join(str(n) for n in example["lines"][:3])
    raise InputError(where, f"column {header!r} (post_id) gives {clashing_rows} rows with another time or "
                            f"text the id of an earlier row (id {example['post_id']!r} on lines {lines}); "
                            f"the ids look rounded or reused: {FIX}", f"line {example['lines'][1]}")


def fill_post_ids(frame: pl.DataFrame, account_id: str) -> pl.DataFrame:
    """Rows without an id get the stable hash of (account, UTC time, text[, occurrence that day])."""
    if frame.is_empty() or frame["post_id"].null_count() == 0:
        return frame
    nth = pl.int_range(pl.len()).over("published_at", "text", pl.col("post_id").is_null())
    occurrence = pl.when(pl.col("time_precision") == "day").then(nth).otherwise(0)
    rows = frame.select("post_id", "published_at", "text", occurrence.alias("n")).iter_rows()
    ids = [pid or stable_post_id(account_id, ts.isoformat(), text + (f"\x1f{n}" if n else ""))
           for pid, ts, text, n in rows]
    return frame.with_columns(pl.Series("post_id", ids, pl.String))
