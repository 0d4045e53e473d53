"""Posts and messages: a templated repeat is not a new post, a translation is not a new message.

Two cheap tricks moved verdicts (issue 9): one templated greeting a day in the host language turned
a home-language-only embassy into an "adapter"; posting one statement in six languages counted as
six posts of cadence. Both are read here, per account, as column passes:

* `templated_repeat`: the post's text, up to numbers, links, handles, hashtags and emoji, is the text
  of an earlier post (not a reply) of the same account at most `TEMPLATE_WINDOW` before it. Such a
  post counts once: it is left out of every metric and counted in the result.
* `message_id`: posts that share a link (with a path, not a bare home page) within
  `TRANSLATION_WINDOW` are one message, possibly in several languages; its id is the earliest post's.
  Cadence counts messages; language metrics still see every language version, which is what parity
  compares.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

import polars as pl

from audit.enrich.text import clean_for_detection, scattered

TEMPLATE_WINDOW: Final = timedelta(hours=72)
"""A text repeated within three days is a template (a daily greeting); a weekly format is not."""
TRANSLATION_WINDOW: Final = timedelta(hours=48)
MIN_TEMPLATE_LETTERS: Final = 4
"""Shorter texts ("👍", "Thanks!") are too short to call a template: they are left alone."""
LINK_WITH_PATH: Final = r"^(?:https?://)?[^/\s]+/[^\s]*[^/\s]"
_KEY: Final = "_template_key"
REPEAT_COLUMN: Final = "_templated_repeat"
"""Where the audit keeps `templated_repeats` of every account until each account's signals take it."""


def template_key(cleaned: pl.Expr) -> pl.Expr:
    """The letters of a text already through `clean_for_detection`, lower-cased: the same for posts that
    differ only in numbers, links, handles, hashtags, emoji, punctuation or spacing."""
    return cleaned.str.to_lowercase().str.replace_all(r"[^\p{L}\p{M}]+", "")


def templated_repeats(posts: pl.DataFrame, cleaned: pl.Series | None = None) -> pl.Series:
    """`templated_repeat` of each post, for one account's posts or a table of several (by `account_id`).

    ``cleaned`` is `clean_for_detection` of the posts' text when the caller has it: the audit cleans the
    text once for detection, letters and this key, over all accounts at once (issue 13)."""
    key = template_key(pl.lit(cleaned) if cleaned is not None else clean_for_detection(pl.col("text")))
    by = [_KEY, "account_id"] if "account_id" in posts.columns else [_KEY]
    keyed = posts.select(*by[1:], "kind", "published_at", key.alias(_KEY))  # a column: used twice, made once
    # only a text its account wrote more than once can repeat: the window runs on those rows (few, in a real
    # account), each key with all of its rows, not on every post (0.24 -> 0.03 CPU s per 200,000 posts)
    shared = keyed.select(pl.struct(by).is_duplicated()).to_series().arg_true()
    eligible = pl.col("kind").is_in(["post", "quote"]) & (pl.col(_KEY).str.len_chars() >= MIN_TEMPLATE_LETTERS)
    previous = pl.col("published_at").shift(1).over(by, order_by="published_at")
    repeat = eligible & ((pl.col("published_at") - previous) <= TEMPLATE_WINDOW).fill_null(False)
    found = keyed[shared].select(repeat).to_series()
    return scattered(keyed.height, shared, found).alias("templated_repeat")


def mark_messages(posts: pl.DataFrame) -> pl.DataFrame:
    """Add `templated_repeat` (bool) and `message_id` to one account's posts, or to several accounts' (by
    `account_id`: a message never spans accounts); the repeats read from `REPEAT_COLUMN` when the audit
    marked them for every account at once."""
    repeat = posts[REPEAT_COLUMN] if REPEAT_COLUMN in posts.columns else templated_repeats(posts)
    marked = posts.drop(REPEAT_COLUMN, strict=False).with_columns(repeat.alias("templated_repeat"))
    keys = ["account_id", "post_id"] if "account_id" in marked.columns else ["post_id"]
    # joined on the ids alone, then added as a column: a join of the whole table would copy every column
    ids = marked.select(keys).join(_shared_link_messages(marked, keys[:-1]), on=keys, how="left",
                                   maintain_order="left")
    return marked.with_columns(ids.get_column("message_id").fill_null(marked.get_column("post_id")))


def _shared_link_messages(posts: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """(by, post_id) -> message_id for posts that share a link with an earlier post of the same `by` (the
    account) within the window."""
    links = (posts.select(*by, "post_id", "published_at", pl.col("urls").alias("url")).explode("url")
             .filter(pl.col("url").str.contains(LINK_WITH_PATH).fill_null(False))
             .sort(*by, "url", "published_at", "post_id"))
    gap = pl.col("published_at").diff().over(*by, "url")
    runs = links.with_columns(((gap > TRANSLATION_WINDOW) | gap.is_null()).cum_sum().alias("run"))
    anchors = runs.with_columns(pl.col("post_id").first().over("run").alias("anchor"),
                                pl.col("published_at").first().over("run").alias("anchor_at"))
    first = anchors.sort("anchor_at", "anchor").group_by(*by, "post_id", maintain_order=True).agg(
        pl.col("anchor").first().alias("message_id"))
    return first.with_columns(pl.col("message_id").cast(pl.String))
