"""The canonical posts table every collector produces (DESIGN.md, "The canonical posts table").

An audit can hold millions of posts, so the table is built column by column: collectors either
parse straight into polars (the X archive) or fill plain lists with :class:`PostColumns` and turn
them into a frame once. No Python object is made per post beyond what the JSON parser makes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import polars as pl

KINDS: Final = ("post", "reply", "repost", "quote")
AUTHORED_KINDS: Final = ("post", "reply", "quote")
SELF_REPLY: Final = "self"
"""`reply_to` value of a reply to the account itself: a thread continuation, not a conversation."""

UTC_US: Final = pl.Datetime("us", "UTC")

POST_SCHEMA: Final[dict[str, pl.DataType]] = {
    "account_id": pl.String(),
    "platform": pl.String(),
    "post_id": pl.String(),
    "url": pl.String(),
    "published_at": UTC_US,
    "time_precision": pl.String(),
    "text": pl.String(),
    "declared_lang": pl.String(),
    "kind": pl.String(),
    "reply_to": pl.String(),
    "mentions": pl.List(pl.String()),
    "hashtags": pl.List(pl.String()),
    "urls": pl.List(pl.String()),
    "media_count": pl.Int64(),
    "likes": pl.Int64(),
    "shares": pl.Int64(),
    "replies": pl.Int64(),
    "views": pl.Int64(),
    "source": pl.String(),
}
NON_NULL: Final = ("account_id", "platform", "post_id", "published_at", "time_precision", "text", "kind", "source")
TIME_PRECISIONS: Final = ("second", "minute", "day")
"""How precisely `published_at` is known. A post known only to the day (a CSV with a date column, the
oldest Grailbird tweets) sits at midnight, so hour-of-day metrics must not read its hour."""
DEFAULTS: Final[dict[str, Any]] = {"time_precision": "second"}
"""Columns a collector may leave out: platform APIs and archives give times to the second."""
UNDECLARED_LANGS: Final = frozenset({"und", "zxx", "qme", "qht", "qct", "qam", "qst", "art", ""})
"""Tags that name no language: X writes `art` for emoji-only posts, `qme` for media only, `zxx` for none."""


def empty_posts() -> pl.DataFrame:
    """An empty posts table with the canonical schema."""
    return pl.DataFrame(schema=POST_SCHEMA)


def validate_posts(df: pl.DataFrame) -> pl.DataFrame:
    """Check that `df` is a well-formed posts table and return it in canonical column order.

    Columns of :data:`DEFAULTS` a collector left out are added with their default.
    Raises ValueError: a malformed table is a programming error in a collector, not user input.
    """
    df = conform_posts(df)
    problems = _value_problems(df)
    if problems:
        raise ValueError("invalid posts table: " + "; ".join(problems))
    return df


def conform_posts(df: pl.DataFrame) -> pl.DataFrame:
    """The columns and types of :func:`validate_posts` checked, defaults added, canonical order; values unchecked.

    Checks no value, so it runs no query: many exports' tables are conformed one by one and their values
    checked once, together (reading 200 archives; issue 13).
    """
    missing = {c: pl.lit(v, POST_SCHEMA[c]).alias(c) for c, v in DEFAULTS.items() if c not in df.columns}
    df = df.with_columns(missing.values()) if missing else df
    schema = df.schema
    problems = [f"missing column {c!r}" for c in POST_SCHEMA if c not in schema]
    problems += [f"column {c!r} is {schema[c]}, expected {t}" for c, t in POST_SCHEMA.items()
                 if c in schema and schema[c] != t]
    if problems:
        raise ValueError("invalid posts table: " + "; ".join(problems))
    return df if df.columns == list(POST_SCHEMA) else df.select(list(POST_SCHEMA))


def _value_problems(df: pl.DataFrame) -> list[str]:
    nulls = df.select(pl.col(c).null_count() for c in NON_NULL).row(0)
    problems = [f"column {c!r} has {n} nulls" for c, n in zip(NON_NULL, nulls, strict=True) if n]
    bad_kinds = df.filter(~pl.col("kind").is_in(KINDS))["kind"].unique().to_list()
    if bad_kinds:
        problems.append(f"unknown kinds {sorted(map(str, bad_kinds))}")
    bad_precisions = df.filter(~pl.col("time_precision").is_in(TIME_PRECISIONS))["time_precision"].unique()
    if bad_precisions.len():
        problems.append(f"unknown time precisions {sorted(map(str, bad_precisions.to_list()))}")
    negative = [c for c in ("likes", "shares", "replies", "views", "media_count") if (df[c] < 0).any()]
    problems += [f"column {c!r} has negative values" for c in negative]
    return problems


def dedupe_posts(df: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Drop repeated (platform, post_id) rows: edits, re-exports, overlapping API pages.

    The first occurrence wins, so collectors put the version they trust most first. `by` adds keys
    (`account_id`: many accounts' posts deduplicated at once, each on its own).
    """
    first = df.select(pl.struct(*by, "platform", "post_id").is_first_distinct()).to_series()
    return df if first.all() else df.filter(first)  # no copy of a table without repeats


DUPLICATE_REASONS: Final = {
    "same": "the same post again (overlapping exports or API pages, a pinned post)",
    "edited": "another version of a post's text (an edit): the first one read is kept",
    "moved": "the same post with another time: the first one read is kept",
}


def duplicate_reasons(df: pl.DataFrame) -> dict[str, int]:
    """Why the rows :func:`dedupe_posts` drops were dropped, counted by reason (keys of DUPLICATE_REASONS)."""
    nth = pl.int_range(pl.len()).over("platform", "post_id")
    numbered = df.select("platform", "post_id", "published_at", "text", nth.alias("nth"))
    kept = numbered.filter(pl.col("nth") == 0).select(
        "platform", "post_id", pl.col("published_at").alias("kept_at"), pl.col("text").alias("kept_text"))
    dropped = numbered.filter(pl.col("nth") > 0).join(kept, on=["platform", "post_id"])
    reason = (pl.when(pl.col("text") != pl.col("kept_text")).then(pl.lit("edited"))
              .when(pl.col("published_at") != pl.col("kept_at")).then(pl.lit("moved")).otherwise(pl.lit("same")))
    counts = dict(dropped.group_by(reason.alias("reason")).len().iter_rows())
    return {key: int(counts[key]) for key in DUPLICATE_REASONS if counts.get(key)}


def stable_post_id(account_id: str, published_at: datetime | int | float | str, text: str) -> str:
    """A stable id for exports that carry none (Facebook, Instagram): a hash of what identifies it."""
    key = f"{account_id}\x1f{published_at}\x1f{text}".encode()
    return hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20]


LANGUAGE_SUBTAG: Final = r"^[a-z]{2,3}$"
"""A BCP-47 primary language subtag as platforms use it: 2-3 ASCII letters. Anything else
(`x-klingon`, `i-default`, a stray `q`, non-Latin text) is no declared language."""
_RETIRED_CODES: Final = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv"}


_CAMEL: Final = re.compile(r"([a-z])([A-Z])")
"""A subtag boundary written in camelCase: Mastodon archives carry contentMap keys like `zhCn`."""


def normalise_lang(tag: str | None) -> str | None:
    """A platform language tag as a lower-case BCP-47 primary subtag; None for und/zxx/qme.

    Read case-insensitively whatever the separator: `zh-Hant`, `pt_BR`, `EN-us` and the camelCase
    `zhCn` all give their primary subtag. :func:`normalise_lang_expr` is the same rule column-wise.
    """
    if tag is None:
        return None
    primary = _CAMEL.sub(r"\1-\2", tag.strip()).replace("_", "-").split("-")[0].lower()
    if primary in UNDECLARED_LANGS or not re.fullmatch(LANGUAGE_SUBTAG, primary):
        return None
    return _RETIRED_CODES.get(primary, primary)


def normalise_lang_expr(col: pl.Expr) -> pl.Expr:
    """Column-wise :func:`normalise_lang`."""
    primary = col.str.strip_chars().str.replace_all(_CAMEL.pattern, "${1}-${2}").str.replace_all("_", "-")
    primary = primary.str.split("-").list.first().str.to_lowercase()
    primary = primary.replace(_RETIRED_CODES)
    return pl.when(primary.is_in(list(UNDECLARED_LANGS)) | ~primary.str.contains(LANGUAGE_SUBTAG)).then(
        None
    ).otherwise(primary)


class PostColumns:
    """Column lists filled record by record, turned into a posts table once.

    Collectors that must walk JSON in Python (Telegram's mixed text, Facebook's nested data) use
    this instead of building a dict or object per post.
    """

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in POST_SCHEMA}

    def __len__(self) -> int:
        return len(self.columns["post_id"])

    def add(self, **values: Any) -> None:
        """Append one post; columns not given are null (or an empty list for list columns)."""
        for name, column in self.columns.items():
            default: Any = [] if name in ("mentions", "hashtags", "urls") else None
            column.append(values.pop(name, default))
        if values:
            raise TypeError(f"unknown post columns: {sorted(values)}")

    def to_frame(self, overrides: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """The filled columns as a posts table; `overrides` sets whole columns (account_id, platform)."""
        data = dict(self.columns)
        for name, value in (overrides or {}).items():
            data[name] = [value] * len(self)
        schema = {**POST_SCHEMA, "media_count": pl.Int64()}
        return pl.DataFrame(data, schema=schema, strict=False).with_columns(
            pl.col("media_count").fill_null(0), pl.col("time_precision").fill_null(DEFAULTS["time_precision"]),
        )
