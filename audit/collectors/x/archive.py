"""The X/Twitter archive ("Download your archive"): data/tweets.js and friends (FORMATS.md section 1).

This is the hot path of a large audit (an account can have a million tweets), so nothing here
walks tweets one by one in Python. Each `window.YTD.tweets.partN = [ ... ]` file is parsed
straight into Arrow/polars columns with an explicit schema of only the fields we use, and every
post column is then derived with polars expressions. Parts are read one at a time, so peak memory
is about one part's bytes twice plus the columns kept from the parts before it.

Quirks handled (seen in real archives or their public parsers; see FORMATS.md):
* every part listed in data/manifest.js is read, and a listed part that is missing is an error;
* the older layout (`tweet.js`, `window.YTD.tweet.part0`, with or without the `{"tweet": ...}` wrapper);
* retweets exist only as `full_text` starting "RT @user:"; quotes only as a status URL in
  `entities.urls[].expanded_url`;
* each edit is an entry of its own, linked by `edit_info`: one row per edit chain (`collapse_edits`);
* long posts are truncated in tweets.js; note-tweet.js has their full text but no tweet id (`attach_notes`);
* t.co links are expanded in `urls` and in the text; media t.co links are dropped from the text;
* `full_text` is HTML-escaped (`&amp;`, `&lt;`, `&gt;`) like the v1.1 API it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import polars as pl

from audit.collectors.base import Batch, ReadContext
from audit.collectors.x.batch import File, Parsed, finish
from audit.collectors.x.tweets import ACCOUNT, Owner, note_columns, parse_note_file, parse_part, tweet_columns
from audit.collectors.x.ytd import YTD, Shape, body_bounds, load_with_position, small_records
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import head_text

MANIFEST = "window.__THAR_CONFIG"
NOT_YET = pl.DataFrame()
"""The posts of a parsed batch until `finish` makes them (one frame for all: making an empty posts table
costs a millisecond)."""
TWEET_FILES = ("tweets", "tweet")
"""YTD names of tweet files: `tweets` since about 2022, `tweet` before."""
TWEETBACK = re.compile(r"^module\.exports\s*=\s*\[")
"""tweetback (an archive viewer) tells its users to replace tweets.js's `window.YTD.tweets.part0 = ` with this."""


# ----------------------------------------------------------------------------------------------
# Finding the files


def _ytd_name(export: Export, member: str) -> str | None:
    """The YTD data type of an archive .js member (`tweets`, `note_tweet`, ...) or "manifest"."""
    if not member.lower().endswith(".js"):
        return None
    try:
        head = head_text(export, member, 256)
    except Exception:  # noqa: BLE001 - detection must never fail on someone else's file
        return None
    if head.startswith(MANIFEST):
        return "manifest"
    if TWEETBACK.match(head):
        return "tweets" if _holds_tweets(export, member) else None
    match = YTD.match(head)
    return match.group(1) if match else None


def _holds_tweets(export: Export, member: str) -> bool:
    """A `module.exports = [` file is tweets when its first record has a tweet's text field."""
    return re.search(r'"(full_text|tweet)"\s*:', head_text(export, member, 4096)) is not None


def _part_order(member: str) -> tuple[str, int]:
    """Parts in their natural order: tweets.js, tweets-part1.js, ..., tweets-part10.js."""
    number = re.search(r"part(\d+)\.js$", member)
    return (str(PurePosixPath(member).parent), int(number.group(1)) if number else 0)


@dataclass
class _Layout:
    """Which members of an archive hold what, decided from their content."""

    parts: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, export: Export) -> _Layout:
        layout = cls()
        slots = {"manifest": layout.manifests, "account": layout.accounts, "note_tweet": layout.notes}
        for member in export.members():
            kind = _ytd_name(export, member)
            if kind in TWEET_FILES:
                layout.parts.append(member)
            elif kind in slots:
                slots[kind].append(member)
        layout.parts.sort(key=_part_order)
        return layout


# ----------------------------------------------------------------------------------------------
# Reading one `window.YTD.<name>.partN = [...]` file into columns


# ----------------------------------------------------------------------------------------------
# The manifest and the account


def _manifest_parts(export: Export, manifest: str) -> list[str]:
    """Members of every tweets part the manifest lists; a listed part that is missing is an error."""
    where = export.where(manifest)
    data = export.read_bytes(manifest)
    config = load_with_position(data, body_bounds(data, where)[1], where)
    data_types = config.get("dataTypes") if isinstance(config, dict) else None
    if not isinstance(data_types, dict):
        raise InputError(where, "expected an X archive manifest with a dataTypes object")
    listed = [entry["fileName"] for kind in TWEET_FILES for entry in _files(data_types.get(kind))]
    root = PurePosixPath(manifest).parent.parent
    members, present = [str(root / name) for name in listed], set(export.members())
    missing = [name for name, member in zip(listed, members, strict=True) if member not in present]
    if missing:
        raise InputError(where, f"the manifest lists {', '.join(missing)}, missing from the archive; expected "
                                "every tweets part (unpack or download the whole archive)")
    return members


def _files(data_type: Any) -> list[dict[str, str]]:
    files = data_type.get("files") if isinstance(data_type, dict) else None
    return [f for f in files or [] if isinstance(f, dict) and isinstance(f.get("fileName"), str)]


def _owner(export: Export, accounts: list[str], ctx: ReadContext) -> Owner:
    """account.js wins over the accounts file's handle: it is the archive's own word on whose it is."""
    handle = ctx.handle.strip().lstrip("@") or None if ctx.handle else None
    for member in accounts:
        for account in small_records(export, member, Shape(ACCOUNT, "account")):
            if account["accountId"] is not None:
                return Owner(account["accountId"], account["username"] or handle)
    return Owner(None, handle)


# ----------------------------------------------------------------------------------------------
# One tweets part into slim columns


# ----------------------------------------------------------------------------------------------
# Note tweets (long posts)


# ----------------------------------------------------------------------------------------------
# Whole-archive columns: kinds, self-replies, edits, the posts table


# ----------------------------------------------------------------------------------------------
# The collector


def _parts_to_read(export: Export, layout: _Layout) -> list[str]:
    """The parts found by content plus every part a manifest lists (which must all be there)."""
    listed = [m for manifest in layout.manifests for m in _manifest_parts(export, manifest)]
    parts = sorted(set(layout.parts) | set(listed), key=_part_order)
    if not parts:
        raise InputError(export.where(layout.manifests[0]), "expected the manifest to list data/tweets.js; "
                                                            "it lists no tweets file")
    return parts


class XArchiveCollector:
    name = "x_archive"
    platform = "x"
    description = "an X/Twitter archive (data/tweets.js, as a zip, a folder or the file)"

    def find(self, export: Export) -> list[str]:
        """The tweets parts (tweets.js, tweets-partN.js, tweet.js) and the manifest, by content."""
        layout = _Layout.of(export)
        return layout.parts + layout.manifests if layout.parts or layout.manifests else []

    def parse(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        """Every tweets part and note file, one at a time (one part's bytes in memory at once), and account.js.

        The batch's posts are made by `finish`, with those of the other archives read in the same audit.
        """
        layout = _Layout.of(export)
        parts = _parts_to_read(export, layout)
        files = [export.where(m) for m in parts + layout.manifests + layout.accounts + layout.notes]
        tweets = [File.of(export.where(m), parse_part(export, m), tweet_columns) for m in parts]
        notes = [File.of(export.where(m), parse_note_file(export, m), note_columns) for m in layout.notes]
        pending = Parsed(ctx, _owner(export, layout.accounts, ctx), tweets, notes)
        return Batch(posts=NOT_YET, files=files, pending=pending)

    def finish(self, batches: list[Batch]) -> None:
        """One row per post (edit chains collapsed) for every parsed archive, all in one pass."""
        finish(batches)

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        """Every tweets part, note tweets, account.js: one row per post (edit chains collapsed)."""
        batch = self.parse(export, members, ctx)
        self.finish([batch])
        return batch


COLLECTOR = XArchiveCollector()
