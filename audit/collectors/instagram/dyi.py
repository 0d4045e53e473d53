"""Instagram "Download your information" posts and reels, JSON (FORMATS.md section 3).

Files (the content decides, names are only a hint): ``posts_1.json`` (``_2``, ...), a top-level
array of posts, and ``reels.json``, ``{"ig_reels_media": [...]}``, in
``your_instagram_activity/content/`` (2024+ exports) or ``content/`` (older ones). A post is
``{media: [{uri, creation_timestamp, title, media_metadata, cross_post_source, backup_uri}], title?,
creation_timestamp?}``.

Quirks handled here:

* **Where the caption and time are.** Multi-media posts carry them at the top level (``title``,
  ``creation_timestamp``), and their media have ``title: ""``; single-media posts may have them
  only on ``media[0]``. The top level wins when it has a value, ``media[0]`` otherwise.
* **Mojibake.** Captions go through :func:`fix_mojibake` (Meta's UTF-8-bytes-as-``\\u00XX``).
* **No id, permalink, counts or language.** Ids are a stable hash of (account, timestamp, caption);
  counts and ``declared_lang`` are null, ``url`` is null. Hashtags and @mentions come from the caption;
  ``media_count`` is ``len(media)``. Reels are posts like any other (``kind`` "post"); a reel that is
  also listed in ``posts_1.json`` gets the same id and is deduplicated downstream.
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
)
from audit.collectors.table import PostColumns, empty_posts, stable_post_id
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped, SkipRecord

REELS_KEY: Final = "ig_reels_media"
NAME_HINT: Final = re.compile(r"(?:^|/)content/(?:posts_\d+|reels)\.json$", re.IGNORECASE)
_ARRAY_OF_OBJECTS: Final = re.compile(r"^\[\s*\{")
_MEDIA_LIST: Final = re.compile(r'"media"\s*:\s*\[\s*\{')
_CREATION_TIME: Final = re.compile(r'"creation_timestamp"\s*:')
_FACEBOOK_TIME: Final = re.compile(r'"timestamp"\s*:')
"""Facebook's posts carry `timestamp`; Instagram's only `creation_timestamp`."""
_REELS_HEAD: Final = re.compile(r'^\{\s*"' + REELS_KEY + r'"\s*:')
class InstagramDyiCollector:
    """Posts and reels from an Instagram "Download your information" JSON export."""

    name = "instagram_dyi"
    platform = "instagram"
    description = "an Instagram \"Download your information\" export (posts_1.json, reels.json)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if m.lower().endswith(".json") and _looks_like_content(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols = PostColumns()
        skipped: list[Skipped] = []
        for member in members:
            where = export.where(member)
            for index, item in enumerate(_items(export, member)):
                try:
                    _add_post(cols, item, ctx.account_id, f"{where}#{index}")
                except SkipRecord as reason:
                    skipped.append(Skipped(file=where, index=index, reason=str(reason)))
        files = [export.where(m) for m in members]
        return Batch(posts=_frame(cols, ctx.account_id), skipped=skipped, files=files)


def _looks_like_content(export: Export, member: str) -> bool:
    """Posts or reels by content; a file named like one in a ``content/`` folder is taken whatever
    it holds, so that a truncated ``content/posts_1.json`` is reported for what it is."""
    if NAME_HINT.search(member):
        return True
    try:
        head = head_text(export, member)
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
        return False
    if _REELS_HEAD.match(head):
        return True
    posts_like = _ARRAY_OF_OBJECTS.match(head) and _MEDIA_LIST.search(head) and _CREATION_TIME.search(head)
    return bool(posts_like) and not _FACEBOOK_TIME.search(head)


def _items(export: Export, member: str) -> list[Any]:
    """The posts of posts_N.json (a top-level array) or of reels.json (under ig_reels_media)."""
    where = export.where(member)
    data = load_json(export, member)
    if isinstance(data, dict):
        if REELS_KEY not in data:
            expected = f"expected an array of posts or an object with {REELS_KEY!r}"
            raise InputError(where, expected, "top level")
        data = data[REELS_KEY]
        expect_type(data, list, where, f"{REELS_KEY!r} to be an array of reels")
    expect_type(data, list, where, "a JSON array of Instagram posts")
    items: list[Any] = data
    return items


def _add_post(cols: PostColumns, item: Any, account_id: str, source: str) -> None:
    if not isinstance(item, dict):
        raise SkipRecord(f"expected a post object, found {type(item).__name__}")
    media = item.get("media")
    if not isinstance(media, list) or not media or not isinstance(media[0], dict):
        raise SkipRecord("expected 'media' to be a non-empty array of objects")
    caption = fix_mojibake(_first_text(item.get("title"), media[0].get("title")))
    timestamp = _timestamp(item.get("creation_timestamp"), media[0].get("creation_timestamp"))
    post_id = stable_post_id(account_id, timestamp, caption)
    cols.add(post_id=post_id, url=None, published_at=from_unix(timestamp), text=caption, kind="post",
             media_count=len(media), source=source)


def _first_text(top: Any, first_media: Any) -> str:
    """The caption: the post's own title when it has one, else its first medium's."""
    for value in (top, first_media):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _timestamp(top: Any, first_media: Any) -> int:
    for value in (top, first_media):
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < YEAR_10000_UNIX:
            return int(value)
    found = f"{top!r} (post) / {first_media!r} (media[0])"
    raise SkipRecord(f"expected 'creation_timestamp' as Unix seconds, found {found}")


def _frame(cols: PostColumns, account_id: str) -> pl.DataFrame:
    if not len(cols):
        return empty_posts()
    posts = cols.to_frame({"account_id": account_id, "platform": "instagram"})
    text = pl.col("text")
    return posts.with_columns(hashtags=hashtags_expr(text), mentions=mentions_expr(text))


COLLECTOR: Final = InstagramDyiCollector()
