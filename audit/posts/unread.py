"""Nothing silent: every entry of a file, folder, glob or archive is either read or listed with why not.

A collector reads the members it recognises; everything else an export holds (a page in another
format, an empty or damaged file, media, a link out of the folder) would vanish without a word. This
module names each of those with a reason a person can act on, for coverage and `audit inspect`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Final

from audit.collectors.base import Batch, Collector, ReadContext, start_read
from audit.collectors.registry import COLLECTORS
from audit.errors import AuditError, InputError, UnsafeArchiveError
from audit.sources.exports import Export, open_export
from audit.sources.skips import Skipped

MEDIA_SUFFIXES: Final = frozenset({
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp", ".tif", ".tiff", ".svg",
    ".mp4", ".mov", ".webm", ".m4v", ".avi", ".mkv", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav",
})
PRIVATE_FILES: Final = (
    (re.compile(r"(?:^|/)twitter-circle-tweet(?:-part\d+)?\.js$"), "Twitter Circle tweets (private, not audited)"),
    (re.compile(r"(?:^|/)direct-message[\w-]*\.js$"), "direct messages (private, not audited)"),
    (re.compile(r"(?:^|/)(?:messages|inbox|message_requests|e2ee_cutover|archived_threads)/.*\.json$"),
     "private messages (private, not audited)"),
)
"""Files an export holds that its format marks private: named as such, never read, never quoted.

X archives keep Twitter Circle tweets and direct messages in their own files; Meta's DYI exports
keep Messenger and Instagram conversations under ``messages/`` (``inbox/<thread>/message_1.json``)."""
MEDIA: Final = "media file, not posts"
JSON_CHECK_BYTES: Final = 64 * 1024**2
"""A JSON member up to this size is parsed to tell a damaged file (and where) from one of no known format."""


def unread(export: Export, read: Iterable[str], used: Collector | None) -> list[dict[str, str]]:
    """Each member of `export` outside `read`, as {member, reason}, refused entries first."""
    done = set(read)
    if not export.refused and done.issuperset(export.members()):
        return []
    others = _claimed_by_other_formats(export, done, used)
    listed = [{"member": export.where(m), "reason": why} for m, why in export.refused.items()]
    media: dict[str, list[str]] = {}
    for member in export.members():
        if member in done:
            continue
        why = _reason(export, member, others)
        if why == MEDIA:
            media.setdefault(str(PurePosixPath(member).parent), []).append(member)
        else:
            listed.append({"member": export.where(member), "reason": why})
    return listed + [_media_entry(export, folder, files) for folder, files in media.items()]


def _media_entry(export: Export, folder: str, files: list[str]) -> dict[str, str]:
    """Media files, one entry per folder: an X archive holds tens of thousands, and none holds posts."""
    if len(files) == 1:
        return {"member": export.where(files[0]), "reason": MEDIA}
    pattern = "*" if folder == "." else f"{folder}/*"
    return {"member": export.where(pattern), "reason": f"{len(files)} media files, not posts"}


def _claimed_by_other_formats(export: Export, done: set[str], used: Collector | None) -> dict[str, str]:
    """Unread members another format would read, with that format's name (first in registry order)."""
    claimed: dict[str, str] = {}
    for collector in COLLECTORS.values():
        if collector is used:
            continue
        try:
            found = collector.find(export)
        except AuditError:
            continue
        for member in found:
            if member not in done:
                claimed.setdefault(member, collector.name)
    return claimed


def _reason(export: Export, member: str, others: dict[str, str]) -> str:
    try:
        size = export.size(member)
    except (OSError, KeyError):
        return "cannot be read"
    if size == 0:
        return "empty file"
    private = next((why for pattern, why in PRIVATE_FILES if pattern.search(member)), None)
    if private:
        return private
    if member in others:
        return (f"in another format ({others[member]}); one export is read in one format, "
                "so give this file an account (or a source) of its own")
    suffix = PurePosixPath(member).suffix.lower()
    if suffix in MEDIA_SUFFIXES:
        return MEDIA
    damaged = _json_damage(export, member) if size <= JSON_CHECK_BYTES else None
    return damaged or "holds no posts in a format this tool reads (see `audit formats`)"


def _json_damage(export: Export, member: str) -> str | None:
    """Where a JSON member stops being valid JSON ("damaged at byte N"), or None when it parses."""
    if not member.lower().endswith(".json"):
        return None
    try:
        raw = export.read_bytes(member)
        if not raw.strip():
            return "empty file"
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return f"damaged at byte {e.start}: not UTF-8"
    except AuditError as e:
        return f"damaged: {e}"
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        return f"damaged at byte {len(text[:e.pos].encode())}: {e.msg}"
    except RecursionError:
        return "damaged: JSON nested too deep"
    except ValueError as e:  # a number too long to convert, say
        return f"damaged: {e}"
    return None


def unread_path(path: Path) -> list[dict[str, str]]:
    """Every entry of a path no format could read (one file of a glob), each with why."""
    with open_export(path) as export:
        return unread(export, [], None) or [{"member": str(path), "reason": "holds nothing to read"}]


def read_around_damage(collector: Collector, export: Export, members: list[str],
                       ctx: ReadContext) -> tuple[Batch, list[str], list[dict[str, str]]]:
    """Read `members`; a damaged JSON page among several is listed (and counted as skipped), not fatal.

    One truncated page of a multi-page export (API pages, outbox parts) should not cost the account its
    other pages, nor vanish: it is named with where it breaks. Any other error, or a damaged only
    member, still stops the read with its own message.
    """
    damaged: list[dict[str, str]] = []
    while True:
        try:
            batch = start_read(collector, export, members, ctx)
        except InputError as e:
            bad = next((m for m in members if export.where(m) == e.path), None)
            why = _json_damage(export, bad) if bad is not None and len(members) > 1 else None
            if bad is None or why is None or isinstance(e, UnsafeArchiveError):
                raise
            members = [m for m in members if m != bad]
            damaged.append({"member": e.path, "reason": f"{why} (page not read)"})
            continue
        batch.skipped += [Skipped(d["member"], None, d["reason"]) for d in damaged]
        return batch, members, damaged


def not_read(export: Export, members: list[str], batch: Batch, damaged: list[dict[str, str]],
             used: Collector) -> list[dict[str, str]]:
    """What a read of `export` left out: damaged pages first, then every entry neither read nor consulted."""
    seen = set(batch.files) | {d["member"] for d in damaged}
    done = set(members) | {m for m in export.members() if export.where(m) in seen}
    return damaged + unread(export, done, used)
