"""Bluesky getAuthorFeed pages: the AppView's view of an account's posts, with engagement counts.

A saved page is the JSON response of ``app.bsky.feed.getAuthorFeed`` (FORMATS.md §6):
``{"feed": [feedViewPost], "cursor"?}`` where a feedViewPost is ``{post: postView, reply?: {root,
parent}, reason?}``. A folder or glob of pages, or one page, is one export.

How items become rows (the choices a reader of the posts table should know):

* kind: ``repost`` when ``reason`` is ``app.bsky.feed.defs#reasonRepost``; otherwise ``reply`` when
  the record has ``reply``, ``quote`` when its embed is ``app.bsky.embed.record`` or
  ``recordWithMedia`` around a *post* (an embedded feed generator or list is a share, not a quote),
  else ``post``. A reply that quotes stays a reply: the conversation is what the rubric measures.
* A repost has no record of its own in the AppView view. Its ``post_id`` is the repost record's
  ``at://`` uri from ``reason.uri`` (newer AppViews send it; the CAR collector gives the same record
  the same id, so the two sources dedupe), else ``repost:<reposted post uri>:<reposter did>``. Its
  ``published_at`` is ``reason.indexedAt`` (the repost time; an item without it is a counted skip,
  since the original post's time would put the repost on the wrong day). It carries the reposted
  post's text, language and permalink, but no counts: those belong to someone else's post.
* ``reasonPin`` marks the account's own pinned post, shown first: it is read as a normal post and
  its second appearance further down is removed by ``dedupe_posts`` on (platform, post_id).
* ``reply_to``: :data:`SELF_REPLY` when the parent post's DID is the author's own (a thread), else
  the parent author's handle from the item's ``reply.parent`` view, else the parent's DID.
* Facet offsets are UTF-8 *byte* offsets; legacy ``entities`` use UTF-16 offsets. Mentions are the
  handles written in the text at those offsets (the DID when the slice is not a handle).
* ``published_at`` is ``record.createdAt`` (client-set, so offsets vary), else ``post.indexedAt``.

The record-level helpers here (text, facets, embeds, reply target, timestamps) are shared with the
CAR collector, which reads the same post records straight from a repository export.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from typing import Any, Final

from audit.collectors.base import Batch, ReadContext, obj, text_or_none, to_int
from audit.collectors.bluesky.records import (
    REASON_REPOST,
    REPOST_COLLECTION,
    declared_lang,
    declared_languages,
    did_of,
    parse_timestamp,
    post_url,
    record_columns,
    record_text,
    uri_parts,
    usable_handle,
)
from audit.collectors.table import PostColumns
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped, SkipRecord

_FEED_KEY: Final = re.compile(r'"feed"\s*:\s*\[')
_EMPTY_FEED: Final = re.compile(r'"feed"\s*:\s*\[\s*\]')

# ---------------------------------------------------------------- feed items


def require_obj(value: Any, what: str) -> dict[str, Any]:
    """`value` as a JSON object, or a skip naming the missing part."""
    if not isinstance(value, dict):
        raise SkipRecord(f"expected {what} to be an object")
    return value


def view_uri(view: dict[str, Any]) -> str:
    """A postView's ``at://`` uri: the post_id of every row read from it."""
    uri = view.get("uri")
    if uri_parts(uri) is None:
        raise SkipRecord("expected post.uri to be an at:// record uri")
    return str(uri)


def parent_handle(reply_ref: dict[str, Any], record: dict[str, Any]) -> str | None:
    """The replied-to author's handle from the item's ``reply.parent`` view, if it is that parent."""
    parent = obj(reply_ref.get("parent"))
    wanted = obj(obj(record.get("reply")).get("parent")).get("uri")
    if parent.get("uri") not in (None, wanted):
        return None
    return usable_handle(obj(parent.get("author")).get("handle"))


def view_time(record: dict[str, Any], view: dict[str, Any]) -> datetime:
    """``record.createdAt``, else the AppView's ``indexedAt``; neither usable is a skip."""
    when = parse_timestamp(record.get("createdAt")) or parse_timestamp(view.get("indexedAt"))
    if when is None:
        raise SkipRecord("expected post.record.createdAt or post.indexedAt as ISO 8601 times with an offset")
    return when


def map_post_view(view: Any, reply_ref: dict[str, Any] | None = None) -> dict[str, Any]:
    """The post columns of one postView (feed[].post, or a thread's post); raises SkipRecord."""
    view = require_obj(view, "post")
    uri = view_uri(view)
    author = obj(view.get("author"))
    author_did = text_or_none(author.get("did")) or did_of(uri)
    record = require_obj(view.get("record"), "post.record")
    columns = record_columns(record, author_did, parent_handle(reply_ref or {}, record))
    return {
        **columns, "post_id": uri, "published_at": view_time(record, view),
        "url": post_url(usable_handle(author.get("handle")) or author_did, uri),
        "likes": to_int(view.get("likeCount")), "shares": to_int(view.get("repostCount")),
        "replies": to_int(view.get("replyCount")), "views": None,
    }


def repost_id(reason: dict[str, Any], subject_uri: str) -> str:
    """The repost record's own uri when the AppView sends it, else a key unique per reposter and post."""
    uri = reason.get("uri")
    parts = uri_parts(uri)
    if parts is not None and parts[1] == REPOST_COLLECTION:
        return str(uri)
    by = text_or_none(obj(reason.get("by")).get("did")) or "unknown"
    return f"repost:{subject_uri}:{by}"


def map_repost(view: Any, reason: dict[str, Any]) -> dict[str, Any]:
    """A reasonRepost item: the repost time and key, the reposted post's text, language and link."""
    view = require_obj(view, "post")
    uri = view_uri(view)
    when = parse_timestamp(reason.get("indexedAt"))
    if when is None:
        raise SkipRecord("expected reason.indexedAt (the repost time) as an ISO 8601 time with an offset")
    record, author = obj(view.get("record")), obj(view.get("author"))
    return {
        "post_id": repost_id(reason, uri), "published_at": when, "kind": "repost",
        "text": record_text(record), "declared_lang": declared_lang(record),
        "url": post_url(usable_handle(author.get("handle")), uri), "media_count": 0,
    }


def map_feed_item(item: Any) -> dict[str, Any]:
    """One feedViewPost as post columns; raises SkipRecord with the reason when it is unusable."""
    item = require_obj(item, "the feed item")
    reason = obj(item.get("reason"))
    if reason.get("$type") == REASON_REPOST:
        return map_repost(item.get("post"), reason)
    return map_post_view(item.get("post"), obj(item.get("reply")))


def page_account(feed: list[Any]) -> str | None:
    """The DID whose feed a page is: who reposted, else the most frequent post author."""
    reposters = [obj(obj(i).get("reason")).get("by") for i in feed if _is_repost(i)]
    dids = [text_or_none(obj(by).get("did")) for by in reposters]
    if not any(dids):
        dids = [text_or_none(obj(obj(obj(i).get("post")).get("author")).get("did")) for i in feed]
    counted = Counter(d for d in dids if d)
    return counted.most_common(1)[0][0] if counted else None


def _is_repost(item: Any) -> bool:
    return obj(obj(item).get("reason")).get("$type") == REASON_REPOST


def check_author(item: Any, account: str | None) -> None:
    """Skip a non-repost item by another author: such a page is a timeline or likes feed, not this one."""
    did = text_or_none(obj(obj(obj(item).get("post")).get("author")).get("did"))
    if account and did and did != account and not _is_repost(item):
        raise SkipRecord(f"post by {did}, not by the feed's account {account}, without a repost reason")


# ---------------------------------------------------------------- the collector


def load_feed(export: Export, member: str) -> list[Any]:
    """The ``feed`` array of one saved page; anything else is a malformed file."""
    where = export.where(member)
    data = load_json(export, member)
    expect_type(data, dict, where, 'a getAuthorFeed response object {"feed": [...]}')
    if "feed" not in data:
        expected = 'expected a getAuthorFeed response with a "feed" array, found an object without one'
        raise InputError(where, expected, "top level")
    feed = data["feed"]
    expect_type(feed, list, where, '"feed" to be an array')
    return list(feed)


def looks_like_feed(head: str) -> bool:
    """A JSON object with a ``feed`` array of at:// posts (or an empty one: the last page can be)."""
    return head.startswith("{") and bool(_FEED_KEY.search(head)) and (
        '"at://' in head or bool(_EMPTY_FEED.search(head)))


class BlueskyFeedCollector:
    """Saved app.bsky.feed.getAuthorFeed response pages."""

    name = "bluesky_feed"
    platform = "bluesky"
    description = "a Bluesky getAuthorFeed export (saved JSON response pages)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if looks_like_feed(head_text(export, m))]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), []
        for member in members:
            skipped += self._read_page(export, member, cols)
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        return Batch(posts, skipped, [export.where(m) for m in members], declared_languages(cols))

    def _read_page(self, export: Export, member: str, cols: PostColumns) -> list[Skipped]:
        where, feed = export.where(member), load_feed(export, member)
        account, skipped = page_account(feed), []
        for index, item in enumerate(feed):
            try:
                check_author(item, account)
                cols.add(**map_feed_item(item), source=f"{where}#{index}")
            except SkipRecord as e:
                skipped.append(Skipped(file=where, index=index, reason=str(e)))
        return skipped


COLLECTOR = BlueskyFeedCollector()
