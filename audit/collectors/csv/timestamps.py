"""When a CSV row was published, and how precisely the file says so.

A CSV's time may sit in one column (``2019-11-18T20:37:00Z``) or in two (``tweet_date``,
``tweet_time``, mapped as ``published_at = ["tweet_date", "tweet_time"]`` and joined with a space).
Formats are ISO 8601, or the account's ``date_format`` (a strftime pattern such as
``%m/%d/%y %H:%M`` for what a spreadsheet writes): a date like ``11/18/19`` is never guessed,
since it reads as two different days in the US and in Europe.

Every row gets a precision: ``day`` when the format or the value carries no time of day, or when
every row of the file sits at midnight (a spreadsheet's date-only cells saved as ``00:00:00``);
``minute`` when it carries no seconds; ``second`` otherwise. Hour-of-day metrics ignore posts
known only to the day, instead of reading midnight as their hour.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from audit.collectors.base import ReadContext, no_offset_message
from audit.collectors.table import UTC_US
from audit.errors import InputError

ISO_WITH_OFFSET: Final = (("%Y-%m-%dT%H:%M:%S%.f%z", "second"), ("%Y-%m-%dT%H:%M%z", "minute"))
ISO_WITHOUT_OFFSET: Final = (("%Y-%m-%dT%H:%M:%S%.f", "second"), ("%Y-%m-%dT%H:%M", "minute"),
                             ("%Y-%m-%d", "day"))
OFFSET_DIRECTIVES: Final = ("%z", "%:z", "%#z")
MIDNIGHT: Final = r"(?:^|[T\s])0?0:00(?::00(?:[.,]0+)?)?(?:\s*(?:[Zz]|[+-]\d{2}:?\d{2}|UTC|GMT))?$"
"""A value whose time of day is written and is exactly midnight."""
MIN_ROWS_FOR_DATE_ONLY: Final = 2
_LINE = "__line"


def with_published(frame: pl.DataFrame, ctx: ReadContext, where: str) -> pl.DataFrame:
    """Parse published_at to UTC (null where unparsable) and add time_precision.

    Offset-less times need source_timezone; ``__naive`` is kept for the skip reasons.
    """
    fmt = ctx.options.get("timestamp_format")
    aware, naive, precision = _parsers(fmt)
    parsed = frame.with_columns(aware.alias("__aware"), naive.alias("__naive"), precision.alias("time_precision"))
    local = parsed.filter(pl.col("__aware").is_null() & pl.col("__naive").is_not_null())
    if local.height and not ctx.source_timezone:
        raise InputError(where, no_offset_message(ctx), f"line {local[_LINE][0]}")
    converted = pl.col("__naive").dt.replace_time_zone(
        ctx.source_timezone or "UTC", ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    published = pl.coalesce("__aware", converted).alias("__published")
    return _date_only_files(parsed.with_columns(published).drop("__aware"))


def _parsers(fmt: str | None) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(aware, naive, precision) of published_at: ISO 8601 forms, or the account's strftime pattern."""
    text = stripped_value("published_at")
    if fmt:
        return _custom(text, fmt)
    iso = text.str.replace(r"[Zz]$", "+00:00").str.replace(r"^(\d{4}-\d{2}-\d{2})\s+", "${1}T")
    aware = [(iso.str.strptime(UTC_US, f, strict=False), p) for f, p in ISO_WITH_OFFSET]
    naive = [(iso.str.strptime(pl.Datetime("us"), f, strict=False), p) for f, p in ISO_WITHOUT_OFFSET]
    precision = pl.coalesce([pl.when(parse.is_not_null()).then(pl.lit(p)) for parse, p in aware + naive])
    return pl.coalesce([a for a, _ in aware]), pl.coalesce([n for n, _ in naive]), precision


def _custom(text: pl.Expr, fmt: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """Parses with the account's pattern; its directives say how precise every value is."""
    if any(z in fmt for z in OFFSET_DIRECTIVES):
        return text.str.strptime(UTC_US, fmt, strict=False), pl.lit(None, pl.Datetime("us")), pl.lit(
            format_precision(fmt))
    naive = text.str.strptime(pl.Datetime("us"), fmt, strict=False)
    return pl.lit(None, UTC_US), naive, pl.lit(format_precision(fmt))


def format_precision(fmt: str) -> str:
    """How precise a strftime pattern's values are: `%m/%d/%y` gives days, `%H:%M` minutes."""
    if not any(d in fmt for d in ("%H", "%I", "%k", "%l", "%R", "%T", "%r", "%c", "%s")):
        return "day"
    return "second" if any(d in fmt for d in ("%S", "%T", "%r", "%c", "%s")) else "minute"


def _date_only_files(frame: pl.DataFrame) -> pl.DataFrame:
    """A file whose every timed value is midnight holds dates only, whatever its format says."""
    timed = frame.filter(pl.col("__published").is_not_null() & (pl.col("time_precision") != "day"))
    at_midnight = timed["published_at"].str.strip_chars().str.contains(MIDNIGHT)
    if timed.height < MIN_ROWS_FOR_DATE_ONLY or not at_midnight.all():
        return frame
    return frame.with_columns(pl.lit("day").alias("time_precision"))


def stripped_value(name: str) -> pl.Expr:
    """A cell without surrounding spaces; null when nothing is left."""
    value = pl.col(name).str.strip_chars()
    return pl.when(value.str.len_chars() > 0).then(value)
