"""Which posts, and which of their columns, each step of scoring reads (issue 13: peak memory).

A filter or a sort copies every column it carries, the text among them: at a million posts a copy of the
signalled table is about half a gigabyte. Scoring's steps therefore take the rows and the columns they read,
and no more, so that the copies an account's scoring makes (sorted, one post per message, each side of a
comparison) stay small and are not held beside each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from audit.collectors.table import AUTHORED_KINDS
from audit.scoring.metrics.measures import Period

LANGUAGE_FACT_COLUMNS = ("lang", "detected_lang", "declared_lang", "lang_source")
"""What `language_facts` reads of a post."""
PERIOD_READS = ("account_id", "kind", "published_at", *LANGUAGE_FACT_COLUMNS)
"""What scoring reads of an account's posts of the period (reposts included) besides its authored posts: the
account they are split by, the kinds and weekly counts of `account_result`, the holes and language facts of an
account counted alone."""
UNREAD_IN_SCORING = ("declared_lang", "detected_lang", "lang_source", "lang_confidence", "reply_to", "mentions",
                     "urls", "views", "source", "letters", "mode", "audience_reason", "addresses_peer",
                     "addresses_foreign", "templated_repeat")
"""Columns of the signalled posts that no metric, interval or evidence reads of the authored posts: left out of
`AccountData.authored` (a metric that comes to read one takes it out of this list)."""
RESPONSE_READS = ("account_id", "post_id", "published_at", "kind", "audience", "text", "hashtags")
"""What `responses_for` reads of the authored posts (`first_responses` matches the text and hashtags)."""


@cache
def within(period: Period) -> pl.Expr:
    """Made once per period: its timezone-aware literals are built in Python (about 0.3 ms), once per account."""
    return pl.col("published_at").is_between(period.start_at, period.end_before, closed="left")


def of_period(posts: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The posts of the period: the table itself when they all are (a filter would copy every column of it,
    half a gigabyte for a million posts, when the period is taken from the data)."""
    at = posts["published_at"]
    if at.null_count() == 0 and (at.is_empty() or (period.start_at <= at.min() and at.max() < period.end_before)):  # type: ignore[operator]
        return posts  # read off the column, not in a query (one an account, issue 13)
    return posts.filter(within(period))


def authored_posts(posts: pl.DataFrame, period: Period) -> tuple[pl.DataFrame, int]:
    """The authored posts of the period in time order, without templated repeats (a repeat counts once, issue
    9) nor the columns scoring never reads of them, and how many repeats were left out: one copy of the
    account's posts, where a copy of all its authored posts and then one without the repeats were both held."""
    written = pl.col("kind").is_in(AUTHORED_KINDS) & within(period)
    count = posts.select(written.sum()).item()
    kept = posts.lazy().filter(written, ~pl.col("templated_repeat")).sort("published_at", maintain_order=True)
    authored = kept.drop(present(UNREAD_IN_SCORING, posts)).collect()
    return authored, count - authored.height


def authored_by_account(posts: pl.DataFrame, period: Period,
                        in_order: bool | None = None) -> dict[object, tuple[pl.DataFrame, int]]:
    """`authored_posts` of every account of `posts` at once: one filter and sort for all of them, where each
    account ran two small queries (issue 13); each account's table is a slice of the sorted one (its posts
    in time order, ties in their order in `posts`, as `authored_posts` sorts them). `in_order`: whether
    `in_account_order(posts)`, when the caller knows it; posts in that order need no sort (nor its copy)."""
    written = pl.col("kind").is_in(AUTHORED_KINDS) & within(period)
    kept = posts.lazy().filter(written, ~pl.col("templated_repeat")).drop(present(UNREAD_IN_SCORING, posts))
    if not (in_account_order(posts) if in_order is None else in_order):
        kept = kept.sort("account_id", "published_at", maintain_order=True)
    rows = kept.collect()
    counts = posts.lazy().filter(written).group_by("account_id").len().collect()
    tables = {k: rows.slice(a, b - a) for k, (a, b) in account_spans(rows).items()}
    empty = rows.clear()  # an account whose every authored post is a templated repeat
    return {k: (tables.get(k, empty), n - tables.get(k, empty).height) for k, n in counts.iter_rows()}


def in_account_order(posts: pl.DataFrame) -> bool:
    """Whether each account's posts lie together, in time order, with no post without a time: as
    `collect_accounts` leaves them, sorted once for all accounts."""
    same = pl.col("account_id") == pl.col("account_id").shift()
    earlier = (pl.col("published_at").diff().dt.total_microseconds() < 0) & same
    runs, accounts, back, timeless = posts.select(
        pl.col("account_id").rle_id().max().alias("runs"), pl.col("account_id").n_unique().alias("accounts"),
        earlier.any().alias("back"), pl.col("published_at").null_count().alias("timeless")).row(0)
    return runs is None or (runs + 1 == accounts and not back and not timeless)


def split_accounts(posts: pl.DataFrame, in_order: bool = False) -> dict[object, pl.DataFrame]:
    """Each account's posts, in their order in `posts`: slices of the table sorted by account (one sort for
    all, where a partition ran a query an account; none when each account's posts lie together, `in_order`);
    a table of one account is kept as it is."""
    ids = posts["account_id"].unique()
    if ids.len() == 1:
        return {ids[0]: posts}
    table = posts if in_order else posts.sort("account_id", maintain_order=True)
    return {k: table.slice(a, b - a) for k, (a, b) in account_spans(table).items()}


def account_spans(table: pl.DataFrame) -> dict[Any, tuple[int, int]]:
    """Each account's rows of a table sorted by account: (first, end)."""
    counts = table.group_by("account_id", maintain_order=True).len()
    ends = np.cumsum(counts["len"].to_numpy())
    return {k: (int(e - n), int(e))
            for k, n, e in zip(counts["account_id"], counts["len"].to_numpy(), ends, strict=True)}


def authored_of(signalled: pl.DataFrame, period: Period) -> pl.DataFrame:
    """The authored posts of the period that are not templated repeats (what metrics count), of one account
    or several, with only the columns `responses_for` reads (every column would copy the whole table)."""
    kept = pl.col("kind").is_in(AUTHORED_KINDS) & ~pl.col("templated_repeat")
    return signalled.lazy().filter(within(period), kept).select(RESPONSE_READS).collect()


def period_reads(posts: pl.DataFrame, keep_all: bool) -> pl.DataFrame:
    """The columns of `PERIOD_READS` (no copy: a select shares them), or every column when the caller keeps
    the posts (`audit run --posts-out`)."""
    return posts if keep_all else posts[present(PERIOD_READS, posts)]


def present(names: Sequence[str], posts: pl.DataFrame) -> list[str]:
    """The names that are columns of `posts` (a table made by hand may lack the optional ones)."""
    return [name for name in names if name in posts.columns]
