"""Finishing many parsed X archives in one pass: the frame work shared by all, then one batch each.

`XArchiveCollector.parse` reads an archive's files alone, so an error or a skipped record names its
file and position as before; this module stacks every archive's columns, keyed by `archive`, and
runs the links, notes, kinds, edit chains and the posts table once for all of them. 200 archives of
1,000 posts then cost about what one archive of 200,000 does (issue 13).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from audit.collectors.base import Batch, ReadContext
from audit.collectors.x.timeline import (
    ARCHIVE,
    UNMATCHED_NOTE,
    attach_notes,
    classify,
    collapse_edits,
    posts_table,
)
from audit.collectors.x.tweets import Owner, expand_links, expand_notes
from audit.sources.skips import Skipped


@dataclass
class Parsed:
    """One archive's files, each read alone: its tweets parts and note files as columns, what they skipped."""

    ctx: ReadContext
    owner: Owner
    tweets: list[pl.DataFrame]
    notes: list[pl.DataFrame]
    note_files: list[str]
    skipped: list[Skipped]


def finish(batches: Sequence[Batch]) -> None:
    """Fill each batch's posts, skipped records and declared languages from what `parse` left pending."""
    parsed: list[Parsed] = [batch.pending for batch in batches]
    tweets = expand_links(_stack([p.tweets for p in parsed]).drop("file"), "row")
    notes = _stack([p.notes for p in parsed])
    if notes.height:
        notes = expand_notes(notes.rename({"file": "note_file", "row": "note_row"}), "note_row")
    tweets, unmatched = attach_notes(tweets, notes if notes.height else None)
    owners = [p.owner for p in parsed]
    posts = posts_table(collapse_edits(classify(tweets, owners)), owners, [p.ctx for p in parsed])
    del tweets
    note_files = [where for p in parsed for where in p.note_files]
    lost: list[list[Skipped]] = [[] for _ in parsed]
    for archive, file, idx in unmatched.iter_rows():
        lost[archive].append(Skipped(note_files[file], idx, UNMATCHED_NOTE))
    for batch, one, frame, gone in zip(batches, parsed, _split(posts, len(batches)), lost, strict=True):
        batch.posts, batch.pending = frame, None
        batch.skipped[:0] = one.skipped + gone  # before what the reader added (damaged files), as when read whole
        batch.declared_languages = sorted(frame["declared_lang"].drop_nulls().unique().to_list())


def _stack(per_archive: list[list[pl.DataFrame]]) -> pl.DataFrame:
    """Every archive's frames as one (chunks kept, not copied), with `archive`, `file` (the frame's number
    over all archives) and `row` (the row's number) columns."""
    frames = [frame for frames in per_archive for frame in frames]
    if not frames:
        return pl.DataFrame()
    heights = [frame.height for frame in frames]
    archives = np.repeat([a for a, frames in enumerate(per_archive) for _ in frames], heights)
    stacked = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    return stacked.with_columns(
        pl.Series(ARCHIVE, archives, dtype=pl.UInt32), pl.Series("file", np.repeat(range(len(frames)), heights),
                                                                dtype=pl.UInt32),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
    )


def _split(posts: pl.DataFrame, count: int) -> list[pl.DataFrame]:
    """Each archive's posts, in order (an archive without any gets an empty table)."""
    if count == 1:
        return [posts.drop(ARCHIVE)]
    parts = posts.partition_by(ARCHIVE, maintain_order=True, include_key=False, as_dict=True)
    empty = posts.clear().drop(ARCHIVE)
    return [parts.get((archive,), empty) for archive in range(count)]
