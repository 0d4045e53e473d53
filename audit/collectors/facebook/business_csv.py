"""Meta Business Suite post export, CSV (FORMATS.md section 2; unverified against a real file).

What third-party code and FORMATS.md report about the export, and how it is handled here:

* UTF-8 with a BOM, quoted multi-line captions, a header such as ``"Post ID","Page ID","Page name",
  Title,Description,"Duration (sec)","Publish time","Caption type",Permalink,...,Views,Reach,
  "Reactions, Comments and Shares",Reactions,Comments,Shares,"Total clicks",...``. Columns are found
  by name, case-insensitively (both "Reactions, Comments and Shares" and "...comments and shares"
  occur); extra columns are ignored and optional ones may be missing.
* Every column is read as text (``infer_schema=False``): ids are 16+ digit numbers that a float would
  round. An id a spreadsheet turned into ``1.22158E+17`` cannot be recovered; that row is skipped.
* ``Publish time`` is ``MM/DD/YYYY HH:MM`` in the page's local time with no offset, so reading needs
  the account's ``source_timezone``; local times are converted to UTC (ambiguous autumn times take
  the earlier reading; a time inside a spring-forward gap is skipped as impossible).
* Text is ``Description`` (the caption) and falls back to ``Title`` when Description is empty: two
  independent readers of real exports found the Facebook caption in ``Title``.
* likes = Reactions, replies = Comments, shares = Shares, views = Views (null when empty);
  url = Permalink. The export has no language tag we can trust (``Languages`` is undocumented), so
  ``declared_lang`` is null; every row is a ``post``. ``media_count`` is 1 for photo, video and reel
  post types (the export does not say how many photos) and 0 otherwise.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from audit.collectors.base import Batch, ReadContext, hashtags_expr, mentions_expr, no_offset_message, urls_expr
from audit.collectors.table import POST_SCHEMA, empty_posts
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import head_text
from audit.sources.skips import Skipped

TIME_FORMAT: Final = "%m/%d/%Y %H:%M"
REQUIRED: Final = ("post id", "publish time")
TEXT_COLUMNS: Final = ("description", "title")
PAGE_COLUMNS: Final = ("page id", "page name")
COUNTS: Final = {"likes": "reactions", "replies": "comments", "shares": "shares", "views": "views"}
_ID: Final = r"^\d+(?:_\d+)?$"
_SCIENTIFIC: Final = r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$"
_MEDIA_POST_TYPE: Final = r"(?i)photo|video|reel"
_ROW: Final = "__row"
_BOM: Final = b"\xef\xbb\xbf"
_SPELLING: Final = {"post id": '"Post ID"', "publish time": '"Publish time"',
                    "description or title": '"Description" or "Title"'}


class MetaBusinessCsvCollector:
    """Posts of a Facebook Page from a Meta Business Suite (Insights) post export."""

    name = "meta_business_csv"
    platform = "facebook"
    description = "a Meta Business Suite post export (CSV with \"Post ID\" and \"Publish time\")"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if m.lower().endswith(".csv") and _looks_like_export(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        frames: list[pl.DataFrame] = []
        skipped: list[Skipped] = []
        for member in members:
            posts, skips = _read_member(export, member, ctx)
            frames.append(posts)
            skipped += skips
        posts = pl.concat(frames, how="vertical") if frames else empty_posts()
        return Batch(posts=posts, skipped=skipped, files=[export.where(m) for m in members])


def _looks_like_export(export: Export, member: str) -> bool:
    """The header names a Facebook Page and a post id or publish time."""
    try:
        names = set(_header_names(head_text(export, member)))
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, csv.Error):
        return False
    return bool(names & set(PAGE_COLUMNS)) and bool(names & set(REQUIRED))


def _header_names(text: str) -> list[str]:
    first_line = text.splitlines()[0] if text else ""
    return [_key(name) for name in next(csv.reader([first_line]), [])]


def _key(name: str) -> str:
    return " ".join(name.lstrip("\ufeff").split()).lower()


def _read_member(export: Export, member: str, ctx: ReadContext) -> tuple[pl.DataFrame, list[Skipped]]:
    where = export.where(member)
    raw = _read_csv(export, member)
    columns = _columns(raw, where)
    zone = _zone(ctx, where)
    table = _normalise(raw, columns, zone)
    bad = table.filter(pl.col("reason").is_not_null())
    skipped = [Skipped(file=where, index=i, reason=r) for i, r in bad.select(_ROW, "reason").iter_rows()]
    good = table.filter(pl.col("reason").is_null())
    return _posts(good, where, ctx.account_id), skipped


def _read_csv(export: Export, member: str) -> pl.DataFrame:
    """Every column as text; a file that is not UTF-8 or not CSV is an InputError."""
    where = export.where(member)
    raw = export.read_bytes(member)
    data = raw.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        position = f"byte {e.start + len(raw) - len(data)}"
        raise InputError(where, "expected UTF-8 text as Meta exports it; was the file re-saved by a "
                         "spreadsheet in another encoding?", position) from None
    if not text.strip():
        raise InputError(where, "expected a Meta Business Suite CSV export, found an empty file")
    try:
        return pl.read_csv(io.BytesIO(data), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as e:
        raise InputError(where, f"expected well-formed CSV: {str(e).splitlines()[0]}") from None


def _columns(raw: pl.DataFrame, where: str) -> dict[str, str]:
    """Lower-cased column name -> the file's own spelling; missing required columns are an InputError."""
    columns: dict[str, str] = {}
    for name in raw.columns:
        columns.setdefault(_key(name), name)
    missing = [name for name in REQUIRED if name not in columns]
    if not any(name in columns for name in TEXT_COLUMNS):
        missing.append("description or title")
    if missing:
        wanted = ", ".join(_SPELLING[name] for name in missing)
        raise InputError(where, f"expected the Meta Business Suite column(s) {wanted} in the header",
                         "line 1")
    return columns


def _zone(ctx: ReadContext, where: str) -> str:
    """The page's time zone: `Publish time` carries no offset, so a guess would shift every post."""
    if not ctx.source_timezone:
        raise InputError(where, no_offset_message(ctx))
    try:
        ZoneInfo(ctx.source_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(where, f"unknown time zone {ctx.source_timezone!r} in {ctx.source_timezone_key}; "
                         "expected an IANA name such as \"Asia/Seoul\"") from None
    return ctx.source_timezone


def _text(columns: dict[str, str], key: str) -> pl.Expr:
    """A text column stripped of surrounding blanks, null when empty or absent."""
    if key not in columns:
        return pl.lit(None, dtype=pl.String())
    value = pl.col(columns[key]).str.replace_all("\r\n", "\n", literal=True).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value)


def _count(columns: dict[str, str], key: str) -> pl.Expr:
    """A count as Int64; null when the column is absent or the cell empty, negative or not a number."""
    count = _text(columns, key).str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)
    return pl.when(count >= 0).then(count)


def _normalise(raw: pl.DataFrame, columns: dict[str, str], zone: str) -> pl.DataFrame:
    """One row per CSV row with canonical values and, for unusable rows, the reason."""
    local = _text(columns, "publish time").str.strptime(pl.Datetime("us"), TIME_FORMAT, strict=False)
    zoned = local.dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
    utc = zoned.dt.convert_time_zone("UTC")
    table = raw.with_row_index(_ROW).select(
        pl.col(_ROW).cast(pl.Int64),
        post_id=_text(columns, "post id"),
        local=local,
        published_at=utc,
        publish_time=_text(columns, "publish time"),
        text=pl.coalesce(_text(columns, "description"), _text(columns, "title"), pl.lit("")),
        url=_text(columns, "permalink"),
        media_count=_media_count(columns),
        **{name: _count(columns, key) for name, key in COUNTS.items()},
    )
    return table.with_columns(reason=_reason(zone))


def _media_count(columns: dict[str, str]) -> pl.Expr:
    post_type = _text(columns, "post type").fill_null("")
    return pl.when(post_type.str.contains(_MEDIA_POST_TYPE)).then(1).otherwise(0).cast(pl.Int64)


def _reason(zone: str) -> pl.Expr:
    """Why a row cannot be used, or null: checked in the order a user would fix them."""
    post_id, when = pl.col("post_id"), pl.col("publish_time")
    return (
        pl.when(post_id.is_null()).then(pl.lit("missing Post ID"))
        .when(post_id.str.contains(_SCIENTIFIC)).then(pl.format(
            "Post ID '{}' was turned into a number by a spreadsheet (scientific notation) and cannot be "
            "recovered; export the CSV again from Meta Business Suite and do not re-save it", post_id))
        .when(~post_id.str.contains(_ID)).then(pl.format("Post ID '{}' is not a Facebook post id", post_id))
        .when(when.is_null()).then(pl.lit("missing Publish time"))
        .when(pl.col("local").is_null()).then(pl.format("Publish time '{}' is not MM/DD/YYYY HH:MM", when))
        .when(pl.col("published_at").is_null()).then(pl.format(
            "Publish time '{}' does not exist in " + zone + " (skipped by a daylight-saving change)", when))
        .otherwise(None)
    )


def _posts(good: pl.DataFrame, where: str, account_id: str) -> pl.DataFrame:
    text = pl.col("text")
    return good.with_columns(
        account_id=pl.lit(account_id),
        platform=pl.lit("facebook"),
        declared_lang=pl.lit(None, dtype=pl.String()),
        kind=pl.lit("post"),
        reply_to=pl.lit(None, dtype=pl.String()),
        mentions=mentions_expr(text),
        hashtags=hashtags_expr(text),
        urls=urls_expr(text),
        source=pl.format("{}#{}", pl.lit(where), pl.col(_ROW)),
        time_precision=pl.lit("minute"),
    ).select([pl.col(name).cast(dtype) for name, dtype in POST_SCHEMA.items()])


COLLECTOR: Final = MetaBusinessCsvCollector()
