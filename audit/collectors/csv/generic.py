"""A CSV of posts from anywhere, read through a column mapping set on the account.

``columns`` on the account (``ctx.options["columns"]``) maps canonical columns to CSV headers,
e.g. ``columns = {published_at = "date", text = "message", likes = "likes"}``. Canonical columns
not in the mapping are taken from headers with exactly their name, so a table written by
``audit posts --out x.csv`` reads back without a mapping. published_at and text are required;
post_id is optional (a stable hash of account, time and text stands in for it).

Conventions: list columns (mentions, hashtags, urls) are joined by ``|``; timestamps are
ISO 8601 unless ``timestamp_format`` (a strftime pattern) is set; timestamps without an offset
need ``source_timezone``. kind defaults to "reply" where reply_to is filled, to "repost" where
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

from audit.collectors.base import Batch, ReadContext, hashtags_expr, mentions_expr, no_offset_message, urls_expr
from audit.collectors.table import (
    KINDS,
    POST_SCHEMA,
    SELF_REPLY,
    UTC_US,
    empty_posts,
    normalise_lang_expr,
    stable_post_id,
)
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
ISO_WITH_OFFSET = ("%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M%z")
ISO_WITHOUT_OFFSET = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
_LINE, _INDEX, _REASON = "__line", "__index", "__reason"


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
    frame = _with_published(_canonical(raw, mapping), ctx, where)
    frame = frame.with_columns(_reason_expr(ctx)).with_columns(_clean_exprs(ctx, set(mapping)))
    bad = frame.filter(pl.col(_REASON).is_not_null())
    skipped = [Skipped(file=where, index=i, reason=r) for i, r in bad.select(_INDEX, _REASON).iter_rows()]
    good = _fill_post_ids(frame.filter(pl.col(_REASON).is_null()), ctx.account_id)
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


def _column_mapping(headers: list[str], option: Any, where: str) -> dict[str, str]:
    """canonical column -> CSV header: the account's mapping, then headers named canonically."""
    given: Mapping[str, str] = option if isinstance(option, Mapping) else {}
    unknown = sorted(set(given) - set(CANONICAL))
    if unknown:
        raise InputError(where, f"expected canonical column names in the columns mapping, found {unknown}; "
                                f"known: {', '.join(CANONICAL)}")
    missing = [h for h in given.values() if h not in headers]
    if missing:
        shown = [h for h in headers if not h.startswith("__")]
        raise InputError(where, f"expected the mapped CSV headers {missing} (the header has {shown})",
                         "line 1")
    mapping = {c: c for c in CANONICAL if c in headers} | dict(given)
    absent = [c for c in REQUIRED if c not in mapping]
    if absent:
        raise InputError(where, f"expected columns for {absent}: name them so in the header or map them "
                                "with columns = {published_at = \"...\", text = \"...\"} on the account",
                         "line 1")
    return mapping


def _canonical(raw: pl.DataFrame, mapping: dict[str, str]) -> pl.DataFrame:
    """One string column per canonical name (null where unmapped), plus line and index."""
    columns = [pl.col(mapping[c]) if c in mapping else pl.lit(None, pl.String) for c in CANONICAL]
    return raw.select(*[col.alias(c) for col, c in zip(columns, CANONICAL, strict=True)], _LINE, _INDEX)


def _with_published(frame: pl.DataFrame, ctx: ReadContext, where: str) -> pl.DataFrame:
    """Parse published_at to UTC (null where unparsable); offset-less times need source_timezone."""
    aware, naive = _timestamp_exprs(ctx.options.get("timestamp_format"))
    parsed = frame.with_columns(aware.alias("__aware"), naive.alias("__naive"))
    local = parsed.filter(pl.col("__aware").is_null() & pl.col("__naive").is_not_null())
    if local.height and not ctx.source_timezone:
        raise InputError(where, no_offset_message(ctx), f"line {local[_LINE][0]}")
    converted = pl.col("__naive").dt.replace_time_zone(
        ctx.source_timezone or "UTC", ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    published = pl.coalesce("__aware", converted).alias("__published")
    return parsed.with_columns(published).drop("__aware")


def _timestamp_exprs(fmt: str | None) -> tuple[pl.Expr, pl.Expr]:
    """(aware, naive) parses of published_at: ISO 8601 forms, or the account's strftime pattern."""
    text = _stripped("published_at")
    if fmt:
        has_offset = any(z in fmt for z in ("%z", "%:z", "%#z"))
        aware = text.str.strptime(UTC_US, fmt, strict=False) if has_offset else pl.lit(None, UTC_US)
        naive = pl.lit(None, pl.Datetime("us")) if has_offset else text.str.strptime(pl.Datetime("us"), fmt,
                                                                                       strict=False)
        return aware, naive
    iso = text.str.replace(r"[Zz]$", "+00:00").str.replace(r"^(\d{4}-\d{2}-\d{2}) ", "${1}T")
    aware = pl.coalesce([iso.str.strptime(UTC_US, f, strict=False) for f in ISO_WITH_OFFSET])
    naive = pl.coalesce([iso.str.strptime(pl.Datetime("us"), f, strict=False) for f in ISO_WITHOUT_OFFSET])
    return aware, naive


def _reason_expr(ctx: ReadContext) -> pl.Expr:
    """Why a row is skipped (its first problem), or null for a good row."""
    line, fmt = pl.col(_LINE), ctx.options.get("timestamp_format")
    expected = f"does not match timestamp_format {fmt!r}" if fmt else "is not an ISO 8601 timestamp"
    kind = _stripped("kind").str.to_lowercase()
    problems = [
        (_stripped("published_at").is_null(), pl.format("line {}: published_at is empty", line)),
        (pl.col("__published").is_null() & pl.col("__naive").is_not_null(),
         pl.format(f"line {{}}: published_at '{{}}' does not exist in {ctx.source_timezone} "
                   "(a daylight-saving gap)", line, pl.col("published_at"))),
        (pl.col("__published").is_null(),
         pl.format(f"line {{}}: published_at '{{}}' {expected}", line, pl.col("published_at"))),
        (kind.is_not_null() & ~kind.is_in(list(KINDS)),
         pl.format(f"line {{}}: kind '{{}}' is not one of {', '.join(KINDS)}", line, pl.col("kind"))),
    ]
    problems += [
        (_stripped(name).is_not_null() & _count(name).is_null(),
         pl.format(f"line {{}}: {name} '{{}}' is not a whole number of zero or more", line, pl.col(name)))
        for name in COUNTS
    ]
    return pl.coalesce([pl.when(bad).then(message) for bad, message in problems]).alias(_REASON)


def _count(name: str) -> pl.Expr:
    """A count as Int64: digits with optional thousands separators, or a whole float ("12.0")."""
    digits = _stripped(name).str.replace_all(r"[,_ ]", "")
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
    reply_to = _stripped("reply_to").str.strip_chars_start("@")
    reply_to = pl.when(reply_to.str.len_chars() > 0).then(reply_to)
    kind = _stripped("kind").str.to_lowercase()
    retweet = pl.col("text").fill_null("").str.starts_with("RT @")
    default = (pl.when(reply_to.is_not_null()).then(pl.lit("reply"))
               .when(pl.lit("kind" not in mapped) & retweet).then(pl.lit("repost")).otherwise(pl.lit("post")))
    kind = pl.coalesce(kind, default)
    handle = (ctx.handle or "").strip().lstrip("@").lower()
    own = reply_to.str.to_lowercase() == handle if handle else pl.lit(False)
    return [
        pl.col("__published").alias("published_at"),
        _stripped("post_id").alias("post_id"),
        _stripped("url").alias("url"),
        pl.col("text").fill_null("").str.replace_all("\r\n", "\n", literal=True),
        normalise_lang_expr(pl.col("declared_lang")).alias("declared_lang"),
        kind.alias("kind"),
        pl.when(kind != "reply").then(None).when(own).then(pl.lit(SELF_REPLY)).otherwise(reply_to)
        .alias("reply_to"),
        *[_list(name, prefix) if name in mapped else _from_text(name) for name, prefix in LIST_PREFIXES.items()],
        *[_count(name).alias(name) for name in COUNTS if name != "media_count"],
        _count("media_count").fill_null(0).alias("media_count"),
    ]


def _stripped(name: str) -> pl.Expr:
    """A cell without surrounding spaces; null when nothing is left."""
    value = pl.col(name).str.strip_chars()
    return pl.when(value.str.len_chars() > 0).then(value)


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


def _fill_post_ids(frame: pl.DataFrame, account_id: str) -> pl.DataFrame:
    """Rows without an id get the stable hash of (account, UTC time, text)."""
    if frame.is_empty() or frame["post_id"].null_count() == 0:
        return frame
    rows = frame.select("post_id", "published_at", "text").iter_rows()
    ids = [pid if pid else stable_post_id(account_id, ts.isoformat(), text) for pid, ts, text in rows]
    return frame.with_columns(pl.Series("post_id", ids, pl.String))


COLLECTOR = GenericCsv()
