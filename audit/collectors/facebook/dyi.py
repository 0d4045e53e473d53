"""Facebook "Download your information" posts, JSON (FORMATS.md section 2).

Where the posts live, by export generation (the content decides, names are only a hint):

* older exports: ``posts/your_posts_1.json`` (``_2``, ... for large archives);
* newer exports: ``your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json``;
* Page / new-style profile exports:
  ``this_profile's_activity_across_facebook/posts/profile_posts_1.json``. Third-party readers of real
  Page exports read this file with the same fields as above; no real sample was available to us.

Each file is a top-level array of entries ``{timestamp, title?, data: [{post}, {update_timestamp}],
attachments: [{data: [{external_context: {url}} | {media: {uri, description}} | {place} | ...]}],
tags?}``. There is no post id, permalink, language or engagement count, so ids are a stable hash of
(account, timestamp, text) and every count is null.

Quirks handled here:

* **Mojibake.** Meta writes each UTF-8 byte as its own ``\\u00XX`` escape; every string we read goes
  through :func:`fix_mojibake` ("artyku\\u00c5\\u0082" -> "artykuł").
* **Split multi-photo posts.** One post with several photos can appear as several entries with the
  same timestamp and text, each carrying some of the photos. Entries with the same timestamp and the
  same text are merged into one post: media are counted once per distinct ``uri`` and links are
  united. (They would get the same stable id anyway, and a plain dedupe would lose their photos.)
* **Text.** ``data[].post``; when an entry has none but all its photos carry the same description,
  that description is the text (Facebook copies the caption there).
* **Activity entries.** Entries with no text, no link and no media ("X is feeling festive.", a
  check-in, a shared event) are not posts to audit: they are skipped and counted, with their title.
* A shared link without own text (an ``external_context`` only) is still a ``post``.
* ``urls`` are the attachments' ``external_context.url`` followed by links written in the text;
  hashtags and @mentions come from the text (``tags``, the people tagged, are names, not handles).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import Any, Final

import polars as pl

from audit.collectors.base import (
    YEAR_10000_UNIX,
    Batch,
    ReadContext,
    fix_mojibake,
    from_unix,
    hashtags_expr,
    mentions_expr,
    urls_expr,
)
from audit.collectors.table import PostColumns, empty_posts, stable_post_id
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped, SkipRecord

NAME_HINT: Final = re.compile(
    r"(?:^|/)(?:your_posts(?:__check_ins__photos_and_videos)?|profile_posts)_\d+\.json$", re.IGNORECASE
)
_STARTS_ARRAY_OF_OBJECTS: Final = re.compile(r"^\[\s*\{")
_TIMESTAMP_KEY: Final = re.compile(r'"timestamp"\s*:')
_POST_SIGNS: Final = re.compile(r'"(?:attachments|post|update_timestamp)"\s*:')
_REACTION_SIGN: Final = re.compile(r'"reaction"\s*:')
"""likes_and_reactions_1.json is also an array of {timestamp, data}; its data hold reactions."""

class FacebookDyiCollector:
    """Posts from a Facebook "Download your information" JSON export."""

    name = "facebook_dyi"
    platform = "facebook"
    description = "a Facebook \"Download your information\" posts export (your_posts_1.json)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if m.lower().endswith(".json") and _looks_like_posts(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        merger = _PostMerger(ctx.account_id)
        skipped: list[Skipped] = []
        for member in members:
            where = export.where(member)
            for index, entry in enumerate(_entries(export, member)):
                try:
                    merger.add(_parse_entry(entry), f"{where}#{index}")
                except SkipRecord as reason:
                    skipped.append(Skipped(file=where, index=index, reason=str(reason)))
        return Batch(posts=merger.frame(), skipped=skipped,
                     files=[export.where(m) for m in members])


def _looks_like_posts(export: Export, member: str) -> bool:
    """An array of {timestamp, data/attachments} entries that are not reactions.

    A file with a posts file's own name is taken whatever it holds, so that a truncated or empty
    ``your_posts_1.json`` is reported for what it is rather than as an unknown format.
    """
    if NAME_HINT.search(member):
        return True
    try:
        head = head_text(export, member)
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        return False
    if not _STARTS_ARRAY_OF_OBJECTS.match(head) or not _TIMESTAMP_KEY.search(head):
        return False
    return bool(_POST_SIGNS.search(head)) and not _REACTION_SIGN.search(head)


def _entries(export: Export, member: str) -> list[Any]:
    data = load_json(export, member)
    expect_type(data, list, export.where(member), "a JSON array of Facebook posts")
    entries: list[Any] = data
    return entries


_Parsed = tuple[int, str, list[str], list[str | None]]
"""(timestamp, text, urls, media uris (None where a medium has none)) of one entry."""


def _parse_entry(entry: Any) -> _Parsed:
    if not isinstance(entry, dict):
        raise SkipRecord(f"expected a post object, found {type(entry).__name__}")
    timestamp = _timestamp(entry.get("timestamp"))
    urls, media, descriptions = _attachments(_list_field(entry, "attachments"))
    text = _post_text(_list_field(entry, "data")) or _shared_description(descriptions, len(media))
    if not (text or urls or media):
        title = entry.get("title")
        what = f" ({fix_mojibake(title)!r})" if isinstance(title, str) and title else ""
        raise SkipRecord(f"no text, link or media: an activity entry, not a post{what}")
    return timestamp, text, urls, media


def _timestamp(value: Any) -> int:
    if value is None:
        raise SkipRecord("missing 'timestamp' (Unix seconds)")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < YEAR_10000_UNIX:
        raise SkipRecord(f"expected 'timestamp' as Unix seconds, found {value!r}")
    return int(value)


def _list_field(entry: dict[str, Any], key: str) -> list[Any]:
    value = entry.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise SkipRecord(f"expected '{key}' to be an array, found {type(value).__name__}")
    return value


def _post_text(data: list[Any]) -> str:
    """The post body: every `post` string in `data`, repaired, joined by blank lines."""
    posts = [item.get("post") for item in data if isinstance(item, dict)]
    parts = [fix_mojibake(post) for post in posts if isinstance(post, str)]
    return "\n\n".join(p.strip() for p in parts if p.strip())


def _shared_description(descriptions: list[str], media_count: int) -> str:
    """The caption Facebook copied onto every photo, when the entry has no post text of its own."""
    if media_count and len(descriptions) == media_count and len(set(descriptions)) == 1:
        return descriptions[0].strip()
    return ""


def _attachments(attachments: list[Any]) -> tuple[list[str], list[str | None], list[str]]:
    """Links, media uris and media descriptions of an entry's attachments."""
    urls: list[str] = []
    media: list[str | None] = []
    descriptions: list[str] = []
    for item in _attachment_items(attachments):
        url = _dict(item.get("external_context")).get("url")
        if isinstance(url, str) and url.strip() and fix_mojibake(url.strip()) not in urls:
            urls.append(fix_mojibake(url.strip()))
        for one in _media_of(item):
            media.append(one["uri"] if isinstance(one.get("uri"), str) else None)
            if isinstance(one.get("description"), str) and one["description"].strip():
                descriptions.append(fix_mojibake(one["description"]))
    return urls, media, descriptions


def _attachment_items(attachments: list[Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for attachment in attachments:
        data = _dict(attachment).get("data")
        items += [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []
    return items


def _media_of(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A photo/video attachment, or the photos inside a note attachment."""
    if isinstance(item.get("media"), dict):
        return [item["media"]]
    note_media = _dict(item.get("note")).get("media")
    return [m for m in note_media if isinstance(m, dict)] if isinstance(note_media, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _PostMerger:
    """Column lists of posts, merging entries that share a timestamp and text (split multi-photo posts)."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.columns = PostColumns()
        self.rows: dict[tuple[int, str], int] = {}
        self.media: list[set[str]] = []

    def add(self, parsed: _Parsed, source: str) -> None:
        timestamp, text, urls, uris = parsed
        media = {uri if uri is not None else f"{source}/{i}" for i, uri in enumerate(uris)}
        row = self.rows.get((timestamp, text))
        if row is None:
            self.rows[(timestamp, text)] = len(self.columns)
            self.media.append(media)
            self.columns.add(post_id=stable_post_id(self.account_id, timestamp, text), url=None,
                             published_at=from_unix(timestamp), text=text, kind="post", urls=list(urls),
                             source=source)
            return
        self.media[row].update(media)
        self.columns.columns["urls"][row] += [u for u in urls if u not in self.columns.columns["urls"][row]]

    def frame(self) -> pl.DataFrame:
        """The merged posts, with media counted once per distinct uri and entities read from the text."""
        if not len(self.columns):
            return empty_posts()
        self.columns.columns["media_count"] = [len(keys) for keys in self.media]
        posts = self.columns.to_frame({"account_id": self.account_id, "platform": "facebook"})
        text = pl.col("text")
        urls = pl.concat_list(pl.col("urls"), urls_expr(text)).list.unique(maintain_order=True)
        return posts.with_columns(hashtags=hashtags_expr(text), mentions=mentions_expr(text), urls=urls)


COLLECTOR: Final = FacebookDyiCollector()
