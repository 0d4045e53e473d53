"""What every collector is and returns, and the helpers they share.

A collector is a plain module-level object with a name, the platform it produces, a `find`
method that says which members of an export it would read (detection from content, not only
from file names) and a `read` method that turns those members into a posts table plus the
records it had to skip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol, runtime_checkable

import polars as pl

from audit.sources.exports import Export
from audit.sources.skips import Skipped


@dataclass(frozen=True)
class ReadContext:
    """What a collector knows about the account it reads for."""

    account_id: str = "unknown"
    handle: str | None = None
    source_timezone: str | None = None
    source_timezone_key: str = "source_timezone"
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    """A collector's output: the posts it read, what it skipped, and what it noticed."""

    posts: pl.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    declared_languages: list[str] = field(default_factory=list)
    pending: Any = None
    """What a `Staged` collector parsed and has yet to make posts of (None once `finish` has)."""


class Collector(Protocol):
    """A reader for one export format."""

    name: str
    platform: str
    description: str

    def find(self, export: Export) -> list[str]:
        """The members of `export` in this format (empty when the export is not in it)."""
        ...

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        """Read the members into a posts table (columns of audit.collectors.table.POST_SCHEMA)."""
        ...


@runtime_checkable
class Staged(Collector, Protocol):
    """A collector that reads in two steps, so that every export of its format in an audit shares the second.

    `parse` reads one export's files alone (errors and skipped records name their file and position);
    `finish` makes the posts of many parsed exports in one pass of frame work: a few polars queries for
    all of them instead of a few per export (each has a fixed cost of 0.1-0.6 ms; issue 13).
    `read` is `parse` then `finish` of that one batch.
    """

    def parse(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        """A batch whose `pending` holds what `finish` needs (its posts are empty until then)."""
        ...

    def finish(self, batches: list[Batch]) -> None:
        """Fill every batch's posts, skipped records and languages from its `pending`."""
        ...


def start_read(collector: Collector, export: Export, members: list[str], ctx: ReadContext) -> Batch:
    """What reading one export alone gives: a finished batch, or a `Staged` collector's parsed one."""
    if isinstance(collector, Staged):
        return collector.parse(export, members, ctx)
    return collector.read(export, members, ctx)


@dataclass(frozen=True)
class Platform:
    """A platform the toolkit reads: the accounts file's `platform` value, its name for people, its formats.

    `formats` are tried in this order when an export is detected, so the most specific comes first.
    """

    name: str
    display_name: str
    formats: tuple[Collector, ...]


def obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one: optional parts are read without KeyError."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array (anything else in it, or a non-array, gives nothing)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text_or_none(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def no_offset_message(ctx: ReadContext) -> str:
    """What to do about an export whose timestamps carry no UTC offset, said for where it is set."""
    key = ctx.source_timezone_key
    how = f"pass {key} Area/City" if key.startswith("--") else f'set {key} = "Area/City" on the account'
    return f"timestamps carry no UTC offset; {how}"



_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\b[^>]*>", re.IGNORECASE)


def html_to_text(value: str | None) -> str:
    """Plain text from an HTML fragment (Mastodon content): breaks kept, tags dropped, entities decoded."""
    if not value:
        return ""
    text = _BREAK.sub("\n", value)
    return html.unescape(_TAG.sub("", text)).strip()


def fix_mojibake(value: str) -> str:
    """Undo Meta's export encoding: UTF-8 bytes written as \\u00XX code points (FORMATS.md)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def from_unix(seconds: int | float | str) -> datetime:
    """A UTC datetime from Unix seconds (as number or string)."""
    return datetime.fromtimestamp(float(seconds), tz=UTC)


def parse_iso(value: str) -> datetime:
    """A UTC datetime from ISO 8601 with an offset or Z; raises ValueError when it has no offset."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def to_int(value: Any) -> int | None:
    """An engagement count as an int (exports write them as strings); None when absent or unusable.

    A negative count or one past 64 bits is damage, not a number of people: unusable too.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        count = int(str(value).strip().replace(",", ""))
    except ValueError:
        return None
    return count if 0 <= count < 2**63 else None


# Entities written only inside the text (Meta exports) ----------------------------------------

_HASHTAG: Final = r"(?:^|[^\w#&/])#\w+"
_MENTION: Final = r"(?:^|[^\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"
_URL: Final = r"https?://[^\s<>\"']+"


def hashtags_expr(text: pl.Expr) -> pl.Expr:
    """Hashtags of a text column without '#', unique per post; URL fragments and '#123' are not tags.

    Meta exports (Facebook, Instagram, Business Suite CSV) keep hashtags only inside the text.
    """
    tags = text.fill_null("").str.extract_all(_HASHTAG).list.eval(pl.element().str.replace(r"^[^#]*#", ""))
    return tags.list.eval(pl.element().filter(~pl.element().str.contains(r"^\d+$"))).list.unique(
        maintain_order=True
    )


def mentions_expr(text: pl.Expr) -> pl.Expr:
    """@handles of a text column without '@', unique per post; e-mail addresses are not mentions."""
    found = text.fill_null("").str.extract_all(_MENTION).list.eval(pl.element().str.replace(r"^[^@]*@", ""))
    return found.list.unique(maintain_order=True)


def urls_expr(text: pl.Expr) -> pl.Expr:
    """http(s) links written in a text column, without trailing punctuation, unique per post."""
    found = text.fill_null("").str.extract_all(_URL)
    return found.list.eval(pl.element().str.strip_chars_end(".,;:!?)]}'\"")).list.unique(maintain_order=True)


YEAR_10000_UNIX: Final = 253_402_300_800
"""Unix seconds of 10000-01-01: a timestamp at or past it is garbage, not a date."""
