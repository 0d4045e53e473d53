"""Finishing many parsed X archives in one pass: the frame work shared by all, then one batch each.

`XArchiveCollector.parse` reads an archive's files alone, so an error or a skipped record names its
file and position as before; this module makes the columns of every archive's files in one query
(a large part's columns are made as soon as it is read, so its raw records are not kept), keys them by
`archive`, and runs the links, notes, kinds, edit chains and the posts table once for all of them.
200 archives of 1,000 posts then cost about what one archive of 200,000 does (issue 13).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
from audit.collectors.x.tweets import Owner, expand_links, expand_notes, note_columns, tweet_columns
from audit.collectors.x.ytd import Records, records_frame
from audit.sources.skips import Skipped

Columns = Callable[[Sequence[str]], list[pl.Expr]]
EAGER_ROWS = 50_000
"""A part with at least this many records is made columns when it is read, so that its raw records (about
twice the columns kept) are never held beside another part's; smaller parts wait to be made columns
with every other archive's, in one query."""


@dataclass
class File:
    """One tweets part or note file of an archive: its records, or the columns already made of them."""

    where: str
    skipped: list[Skipped]
    records: Records | None = None
    columns: pl.DataFrame | None = None

    @classmethod
    def of(cls, where: str, records: Records, columns: Columns) -> File:
        if records.frame.height < EAGER_ROWS:
            return cls(where, records.skipped, records)
        return cls(where, records.skipped, columns=records_frame([records], columns([where])))


@dataclass
class Parsed:
    """One archive's files, each read alone, and whose archive it is."""

    ctx: ReadContext
    owner: Owner
    tweets: list[File]
    notes: list[File]


def finish(batches: Sequence[Batch]) -> None:
    """Fill each batch's posts, skipped records and declared languages from what `parse` left pending."""
    parsed: list[Parsed] = [batch.pending for batch in batches]
    skipped: list[list[Skipped]] = [[] for _ in parsed]
    tweets = expand_links(_usable([p.tweets for p in parsed], tweet_columns, skipped), "row")
    notes = _usable([p.notes for p in parsed], note_columns, skipped)
    if notes.height:
        notes = expand_notes(notes.rename({"file": "note_file", "row": "note_row"}), "note_row")
    tweets, unmatched = attach_notes(tweets, notes if notes.height else None)
    owners = [p.owner for p in parsed]
    posts = posts_table(collapse_edits(classify(tweets, owners)), owners, [p.ctx for p in parsed])
    del tweets
    note_files = [file.where for p in parsed for file in p.notes]
    for archive, file, idx in unmatched.iter_rows():
        skipped[archive].append(Skipped(note_files[file], idx, UNMATCHED_NOTE))
    langs = dict(posts.group_by(ARCHIVE).agg(pl.col("declared_lang").drop_nulls().unique()).iter_rows())
    for archive, (batch, frame, lost) in enumerate(zip(batches, _split(posts, len(batches)), skipped, strict=True)):
        batch.posts, batch.pending = frame, None
        batch.skipped[:0] = lost  # before what the reader added (damaged files), as when read whole
        batch.declared_languages = sorted(langs.get(archive, []))


def _usable(per_archive: list[list[File]], columns: Columns, skipped: list[list[Skipped]]) -> pl.DataFrame:
    """Every archive's files as one frame of `columns` with `archive`, `file` (the file's number over all
    archives) and `row`; the records `reason` marks go to their archive's `skipped`, after the file's own."""
    files = [file for archive in per_archive for file in archive]
    if not files:
        return pl.DataFrame()
    frame = _columns(files, columns)
    for file in files:  # their records (or columns) are in `frame` now: not held beside what is made of it
        file.records = file.columns = None
    archives = pl.Series(ARCHIVE, [a for a, archive in enumerate(per_archive) for _ in archive], dtype=pl.UInt32)
    frame = frame.with_columns(archives.gather(frame["file"]), pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"))
    unusable: list[list[Skipped]] = [[] for _ in files]
    if frame["reason"].null_count() < frame.height:
        marked = frame.filter(pl.col("reason").is_not_null()).select("file", "idx", "reason")
        for file, index, reason in marked.iter_rows():
            unusable[file].append(Skipped(files[file].where, index, reason))
        frame = frame.filter(pl.col("reason").is_null())
    frame.drop_in_place("reason")
    numbers = iter(range(len(files)))
    for archive, lost in zip(per_archive, skipped, strict=True):
        for file, number in zip(archive, numbers, strict=False):
            lost += file.skipped + unusable[number]
    return frame


def _columns(files: list[File], columns: Columns) -> pl.DataFrame:
    """The files' columns in order: runs of files still as records are made columns in one query each."""
    wheres, pieces, run = [file.where for file in files], [], []
    for number, file in enumerate([*files, None]):
        if file is not None and file.records is not None:
            run.append(file.records)
            continue
        if run:
            pieces.append(records_frame(run, columns(wheres), number - len(run)))
            run = []
        if file is not None and file.columns is not None:
            pieces.append(file.columns.with_columns(pl.lit(number, pl.UInt32).alias("file")))
    return pl.concat(pieces) if len(pieces) > 1 else pieces[0]


def _split(posts: pl.DataFrame, count: int) -> list[pl.DataFrame]:
    """Each archive's posts, in order (an archive without any gets an empty table)."""
    if count == 1:
        return [posts.drop(ARCHIVE)]
    parts = posts.partition_by(ARCHIVE, maintain_order=True, include_key=False, as_dict=True)
    empty = posts.clear().drop(ARCHIVE)
    return [parts.get((archive,), empty) for archive in range(count)]
