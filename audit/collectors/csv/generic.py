"""A CSV of posts from anywhere, read through a column mapping set on the account.

``columns`` on the account (``ctx.options["columns"]``) maps canonical columns to CSV headers,
e.g. ``columns = {published_at = "date", text = "message", likes = "likes"}``. Canonical columns
not in the mapping are taken from headers with exactly their name, so a table written by
``audit posts --out x.csv`` reads back without a mapping. published_at and text are required;
post_id is optional (a stable hash of account, time and text stands in for it; ids a spreadsheet
has rounded are refused, see :mod:`audit.collectors.csv.ids`). A canonical column may be mapped to
several headers, ``published_at = ["tweet_date", "tweet_time"]``, whose cells are joined.

Conventions: list columns (mentions, hashtags, urls) are joined by ``|``; timestamps are
ISO 8601 unless the account's ``date_format`` (a strftime pattern) is set, and each row's precision
is detected (:mod:`audit.collectors.csv.timestamps`); timestamps without an offset need
``source_timezone``. kind defaults to "reply" where reply_to is filled, to "repost" where
the text starts "RT @" (and the file has no kind column), and to "post" otherwise; reply_to equal
to the account's handle is a thread continuation (SELF_REPLY). Mentions, hashtags and links the
file has no column for are taken from the text (the helpers the Meta readers use too).

Everything is done column-wise in polars on an all-string frame. A bad row (empty or unparsable
timestamp, unknown kind, count that is not a whole number) is skipped and counted with its line
number; line numbers count the line breaks inside quoted fields, so they match an editor's.
Generic CSV comes last in detection: it claims any .csv/.tsv whose first line is a header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import polars as pl

from audit.collectors.base import Batch, ReadContext, hashtags_expr, mentions_expr, urls_expr
from audit.collectors.csv.ids import check_ids, fill_post_ids
from audit.collectors.csv.timestamps import stripped_value, with_published
from audit.collectors.table import KINDS, POST_SCHEMA, SELF_REPLY, empty_posts, normalise_lang_expr
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import head_text
from audit.sources.skips import Skipped

CANONICAL = ("post_id", "url", "published_at", "text", "declared_lang", "kind", "reply_to", "mentions",
             "hashtags", "urls", "media_count", "likes", "shares", "replies", "views")
REQUIRED = ("published_at", "text")
LIST_SEPARATOR = "|"
LIST_PREFIXES = {"mentions": "@", "hashtags": "#", "urls": ""}
COUNTS = ("media_count", "likes", "shares", "replies", "views")
_LINE, _INDEX, _REASON = "__line", "__index", "__reason"
Headers = str | list[str]
"""What a canonical column is mapped to: one CSV header, or several whose cells are joined."""


class GenericCsv:
    """Reader for any CSV of posts, through the account's column mapping."""

    name = "generic_csv"
    platform = "csv"
    description = "a CSV of posts (columns mapped on the account)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if _separator(m) and _has_header(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        frames, skipped = [], []
        for member in members:
            posts, skips = _read_member(export, member, ctx)
            frames.append(posts)
            skipped += skips
        posts = pl.concat(frames, how="vertical") if frames else empty_posts()
        langs = sorted(posts["declared_lang"].drop_nulls().unique().to_list())
        return Batch(posts, skipped, [export.where(m) for m in members], langs)


def _separator(member: str) -> str | None:
    lower = member.lower()
    return "," if lower.endswith(".csv") else "\t" if lower.endswith(".tsv") else None


def _has_header(export: Export, member: str) -> bool:
    """The first line parses as a CSV header of at least two named columns."""
    try:
        first = head_text(export, member).splitlines()[0]
        header = next(csv.reader([first], delimiter=_separator(member) or ","))
    except (IndexError, StopIteration, csv.Error, OSError):
        return False
    return len([h for h in header if h.strip()]) >= 2


def _read_member(export: Export, member: str, ctx: ReadContext) -> tuple[pl.DataFrame, list[Skipped]]:
    where = export.where(member)
    raw = _load(export, member)
    mapping = _column_mapping(raw.columns, ctx.options.get("columns"), where)
    frame = with_published(_canonical(raw, mapping), ctx, where)
    frame = frame.with_columns(_reason_expr(ctx)).with_columns(_clean_exprs(ctx, set(mapping)))
    bad = frame.filter(pl.col(_REASON).is_not_null())
    skipped = [Skipped(file=where, index=i, reason=r) for i, r in bad.select(_INDEX, _REASON).iter_rows()]
    good = frame.filter(pl.col(_REASON).is_null())
    check_ids(good, _header_of(mapping, "post_id"), where)
    good = fill_post_ids(good, ctx.account_id)
    posts = good.with_columns(
        pl.lit(ctx.account_id).alias("account_id"), pl.lit("csv").alias("platform"),
        pl.format("{}#{}", pl.lit(where), pl.col(_INDEX)).alias("source"),
    )
    return posts.select([pl.col(c).cast(t) for c, t in POST_SCHEMA.items()]), skipped


def _load(export: Export, member: str) -> pl.DataFrame:
    """All columns as strings, with each record's line number and index; blank lines dropped."""
    data = export.read_bytes(member)
    sep = _separator(member) or ","
    try:
        raw = pl.read_csv(io.BytesIO(data), separator=sep, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.NoDataError:
        raise InputError(export.where(member), "expected a CSV header line, found an empty file") from None
    except pl.exceptions.PolarsError as e:
        problem = str(e).strip().splitlines()[0]
        raise InputError(export.where(member), f"expected a well-formed CSV ({problem})",
                         _problem_line(data, sep)) from None
    stripped = [c.strip() for c in raw.columns]
    if len(set(stripped)) == len(stripped):  # " date" is "date", unless that makes two columns one
        raw.columns = stripped
    breaks = pl.sum_horizontal([pl.col(c).str.count_matches("\n").fill_null(0) for c in raw.columns])
    numbered = raw.with_columns(
        (pl.int_range(pl.len()) + 2 + breaks.cum_sum() - breaks).alias(_LINE),
        pl.int_range(pl.len()).alias(_INDEX),
    )
    return numbered.filter(~pl.all_horizontal([pl.col(c).is_null() for c in raw.columns]))


def _problem_line(data: bytes, sep: str) -> str | None:
    """Where Python's stricter CSV reader first stumbles (polars does not say)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig", errors="replace")), delimiter=sep, strict=True)
    try:
        width = len(next(reader))
        for row in reader:
            if len(row) > width:
                return f"line {reader.line_num}"
    except (csv.Error, StopIteration):
        return f"line {reader.line_num}"
    return None


def _column_mapping(headers: list[str], option: Any, where: str) -> dict[str, Headers]:
    """canonical column -> CSV header(s): the account's mapping, then headers named canonically."""
    given: Mapping[str, Headers] = option if isinstance(option, Mapping) else {}
    unknown = sorted(set(given) - set(CANONICAL))
    if unknown:
        raise InputError(where, f"expected canonical column names in the columns mapping, found {unknown}; "
                                f"known: {', '.join(CANONICAL)}")
    named = [h for value in given.values() for h in ([value] if isinstance(value, str) else value)]
    missing = [h for h in named if h not in headers]
    if missing:
        shown = [h for h in headers if not h.startswith("__")]
        raise InputError(where, f"expected the mapped CSV headers {missing} (the header has {shown})",
                         "line 1")
    mapping: dict[str, Headers] = {c: c for c in CANONICAL if c in headers}
    mapping.update(given)
    absent = [c for c in REQUIRED if c not in mapping]
    if absent:
        raise InputError(where, f"expected columns for {absent}: name them so in the header or map them "
                                "with columns = {published_at = \"...\", text = \"...\"} on the account",
                         "line 1")
    return mapping


def _canonical(raw: pl.DataFrame, mapping: dict[str, Headers]) -> pl.DataFrame:
    """One string column per canonical name (null where unmapped), plus line and index.

    A canonical column mapped to several headers (a date and a time column) joins their
    non-empty cells with a space.
    """
    columns = [_joined(mapping[c]) if c in mapping else pl.lit(None, pl.String) for c in CANONICAL]
    return raw.select(*[col.alias(c) for col, c in zip(columns, CANONICAL, strict=True)], _LINE, _INDEX)


def _joined(headers: Headers) -> pl.Expr:
    if isinstance(headers, str):
        return pl.col(headers)
    cells = [pl.when(pl.col(h).str.strip_chars() != "").then(pl.col(h).str.strip_chars()) for h in headers]
    return pl.concat_str(cells, separator=" ", ignore_nulls=True)


def _header_of(mapping: dict[str, Headers], column: str) -> str | None:
    headers = mapping.get(column)
    return headers if isinstance(headers, str) or headers is None else " + ".join(headers)


def _reason_expr(ctx: ReadContext) -> pl.Expr:
    """Why a row is skipped (its first problem), or null for a good row."""
    line, fmt = pl.col(_LINE), ctx.options.get("timestamp_format")
    expected = f"does not match timestamp_format {fmt!r}" if fmt else "is not an ISO 8601 timestamp"
    kind = stripped_value("kind").str.to_lowercase()
    problems = [
        (stripped_value("published_at").is_null(), pl.format("line {}: published_at is empty", line)),
        (pl.col("__published").is_null() & pl.col("__naive").is_not_null(),
         pl.format(f"line {{}}: published_at '{{}}' does not exist in {ctx.source_timezone} "
                   "(a daylight-saving gap)", line, pl.col("published_at"))),
        (pl.col("__published").is_null(),
         pl.format(f"line {{}}: published_at '{{}}' {expected}", line, pl.col("published_at"))),
        (kind.is_not_null() & ~kind.is_in(list(KINDS)),
         pl.format(f"line {{}}: kind '{{}}' is not one of {', '.join(KINDS)}", line, pl.col("kind"))),
    ]
    problems += [
        (stripped_value(name).is_not_null() & _count(name).is_null(),
         pl.format(f"line {{}}: {name} '{{}}' is not a whole number of zero or more", line, pl.col(name)))
        for name in COUNTS
    ]
    return pl.coalesce([pl.when(bad).then(message) for bad, message in problems]).alias(_REASON)


def _count(name: str) -> pl.Expr:
    """A count as Int64: digits with optional thousands separators, or a whole float ("12.0")."""
    digits = stripped_value(name).str.replace_all(r"[,_ ]", "")
    as_float = digits.cast(pl.Float64, strict=False)
    whole = pl.when(as_float.is_finite() & (as_float == as_float.floor()) & (as_float.abs() < 2**53)).then(
        as_float.cast(pl.Int64))
    value = pl.coalesce(digits.cast(pl.Int64, strict=False), whole)
    return pl.when(value >= 0).then(value)


def _clean_exprs(ctx: ReadContext, mapped: set[str]) -> list[pl.Expr]:
    """Canonical values from the strings of good rows (bad rows are filtered out afterwards).

    What the file has no column for is taken from the text, as a reader would: mentions, hashtags
    and links written in it, and a post starting "RT @" is a repost (a retweet copied into a CSV).
    """
    reply_to = stripped_value("reply_to").str.strip_chars_start("@")
    reply_to = pl.when(reply_to.str.len_chars() > 0).then(reply_to)
    kind = stripped_value("kind").str.to_lowercase()
    retweet = pl.col("text").fill_null("").str.starts_with("RT @")
    default = (pl.when(reply_to.is_not_null()).then(pl.lit("reply"))
               .when(pl.lit("kind" not in mapped) & retweet).then(pl.lit("repost")).otherwise(pl.lit("post")))
    kind = pl.coalesce(kind, default)
    handle = (ctx.handle or "").strip().lstrip("@").lower()
    own = reply_to.str.to_lowercase() == handle if handle else pl.lit(False)
    return [
        pl.col("__published").alias("published_at"),
        stripped_value("post_id").alias("post_id"),
        stripped_value("url").alias("url"),
        pl.col("text").fill_null("").str.replace_all("\r\n", "\n", literal=True),
        normalise_lang_expr(pl.col("declared_lang")).alias("declared_lang"),
        kind.alias("kind"),
        pl.when(kind != "reply").then(None).when(own).then(pl.lit(SELF_REPLY)).otherwise(reply_to)
        .alias("reply_to"),
        *[_list(name, prefix) if name in mapped else _from_text(name) for name, prefix in LIST_PREFIXES.items()],
        *[_count(name).alias(name) for name in COUNTS if name != "media_count"],
        _count("media_count").fill_null(0).alias("media_count"),
    ]


def _list(name: str, prefix: str) -> pl.Expr:
    """A "|"-joined cell as a list of non-empty items, without a leading @ or #."""
    item = pl.element().str.strip_chars()
    if prefix:
        item = item.str.strip_chars_start(prefix)
    items = pl.col(name).str.split(LIST_SEPARATOR).list.eval(item).list.eval(
        pl.element().filter(pl.element().str.len_chars() > 0))
    return items.fill_null(pl.lit([], pl.List(pl.String))).alias(name)


def _from_text(name: str) -> pl.Expr:
    """Mentions, hashtags or links written in the text, for a file without such a column."""
    derive = {"mentions": mentions_expr, "hashtags": hashtags_expr, "urls": urls_expr}[name]
    return derive(pl.col("text")).alias(name)


COLLECTOR = GenericCsv()
