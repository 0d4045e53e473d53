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
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from audit.collectors.base import (
    Batch,
    ReadContext,
    Skipped,
    expect_type,
    head_text,
    load_json,
    parse_iso,
    to_int,
)
from audit.errors import InputError
from audit.posts import SELF_REPLY, PostColumns, normalise_lang
from audit.sources import Export

POST_COLLECTION: Final = "app.bsky.feed.post"
REPOST_COLLECTION: Final = "app.bsky.feed.repost"
REASON_REPOST: Final = "app.bsky.feed.defs#reasonRepost"
_MENTION: Final = "app.bsky.richtext.facet#mention"
_LINK: Final = "app.bsky.richtext.facet#link"
_TAG: Final = "app.bsky.richtext.facet#tag"
_IMAGES: Final = "app.bsky.embed.images"
_VIDEO: Final = "app.bsky.embed.video"
_EXTERNAL: Final = "app.bsky.embed.external"
_RECORD: Final = "app.bsky.embed.record"
_RECORD_WITH_MEDIA: Final = "app.bsky.embed.recordWithMedia"
_INVALID_HANDLE: Final = "handle.invalid"
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HANDLE: Final = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_FEED_KEY: Final = re.compile(r'"feed"\s*:\s*\[')
_EMPTY_FEED: Final = re.compile(r'"feed"\s*:\s*\[\s*\]')
_URL_PREFIX: Final = "https://bsky.app/profile/"


class RecordSkip(Exception):
    """A record that cannot become a post row; the message is the reason written to `Skipped`."""


# ---------------------------------------------------------------- small JSON helpers


def obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one: optional parts are read without KeyError."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> Iterator[dict[str, Any]]:
    """The objects in a JSON array (anything else in it, or a non-array, yields nothing)."""
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


def text_or_none(value: Any) -> str | None:
    """A non-empty string, or None."""
    return value if isinstance(value, str) and value else None


def unique(values: list[str]) -> list[str]:
    """Values in first-seen order without repeats (a link can be both a facet and a card)."""
    return list(dict.fromkeys(values))


# ---------------------------------------------------------------- record helpers (shared with bluesky_car)


def parse_timestamp(value: Any) -> datetime | None:
    """A UTC datetime from a client-written ISO 8601 time, None when absent, unparseable or without offset.

    createdAt is set by each client, so it comes as `Z`, `-07:00`, microseconds with `+00:00` or even
    nanoseconds; Python 3.11's parser takes all of them once `z`/`t` are upper-cased.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_iso(value.strip().upper())
    except (ValueError, OverflowError):
        return None


def uri_parts(uri: Any) -> tuple[str, str, str] | None:
    """(authority, collection, rkey) of an ``at://`` record uri, None for anything else."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    parts = uri[len("at://"):].split("/")
    if len(parts) != 3 or not all(parts):
        return None
    return parts[0], parts[1], parts[2]


def did_of(uri: Any) -> str | None:
    """The repository (DID, rarely a handle) an ``at://`` uri points into."""
    parts = uri_parts(uri)
    return parts[0] if parts else None


def post_url(profile: str | None, uri: Any) -> str | None:
    """The bsky.app permalink of a post uri; `profile` is a handle or DID (bsky.app accepts both)."""
    parts = uri_parts(uri)
    if parts is None or parts[1] != POST_COLLECTION:
        return None
    return f"{_URL_PREFIX}{profile or parts[0]}/post/{parts[2]}"


def usable_handle(value: Any) -> str | None:
    """A handle worth printing: the AppView writes ``handle.invalid`` when it cannot verify one."""
    handle = text_or_none(value)
    return None if handle is None or handle == _INVALID_HANDLE else handle


def record_text(record: dict[str, Any]) -> str:
    """The post text (``""`` for image-only posts); a non-string text makes the record unusable."""
    text = record.get("text", "")
    if text is None:
        return ""
    if not isinstance(text, str):
        raise RecordSkip("expected record.text to be a string")
    return text


def declared_lang(record: dict[str, Any]) -> str | None:
    """The first of ``record.langs`` (the author's declared language), normalised."""
    langs = record.get("langs")
    if isinstance(langs, list) and langs and isinstance(langs[0], str):
        return normalise_lang(langs[0])
    return None


def embed_type(embed: dict[str, Any]) -> str:
    """An embed's type without the ``#view`` suffix, so record embeds and AppView views read alike."""
    kind = embed.get("$type")
    return kind.removesuffix("#view") if isinstance(kind, str) else ""


def quoted_uri(embed: dict[str, Any]) -> str | None:
    """The uri of the record an embed quotes (record, or recordWithMedia around a record)."""
    kind = embed_type(embed)
    if kind == _RECORD:
        return text_or_none(obj(embed.get("record")).get("uri"))
    if kind == _RECORD_WITH_MEDIA:
        return text_or_none(obj(obj(embed.get("record")).get("record")).get("uri"))
    return None


def media_count(embed: dict[str, Any]) -> int:
    """Images and videos attached: images count one each, a video one, recordWithMedia its media."""
    kind = embed_type(embed)
    if kind == _IMAGES:
        return sum(1 for _ in dicts(embed.get("images")))
    if kind == _VIDEO:
        return 1
    if kind == _RECORD_WITH_MEDIA:
        return media_count(obj(embed.get("media")))
    return 0


def card_urls(embed: dict[str, Any]) -> list[str]:
    """The link-card url of an external embed (also inside recordWithMedia): a link the post shares."""
    kind = embed_type(embed)
    if kind == _RECORD_WITH_MEDIA:
        return card_urls(obj(embed.get("media")))
    uri = text_or_none(obj(embed.get("external")).get("uri")) if kind == _EXTERNAL else None
    return [uri] if uri else []


def record_kind(record: dict[str, Any]) -> str:
    """reply > quote (of a post) > post; reposts are decided by the caller."""
    if isinstance(record.get("reply"), dict):
        return "reply"
    parts = uri_parts(quoted_uri(obj(record.get("embed"))))
    return "quote" if parts and parts[1] == POST_COLLECTION else "post"


def reply_target(record: dict[str, Any], author_did: str | None, parent_handle: str | None) -> str | None:
    """Who a reply answers: SELF_REPLY for the author's own thread, else a handle, else the parent DID."""
    reply = record.get("reply")
    if not isinstance(reply, dict):
        return None
    parent_did = did_of(obj(reply.get("parent")).get("uri"))
    if author_did is not None and parent_did == author_did:
        return SELF_REPLY
    return parent_handle or parent_did


def byte_span(raw: bytes, index: dict[str, Any]) -> str | None:
    """The text a facet covers: ``index`` holds UTF-8 byte offsets (FORMATS.md), not characters."""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(raw):
        return None
    try:
        return raw[start:end].decode("utf-8")
    except UnicodeDecodeError:
        return None


def utf16_span(text: str, index: dict[str, Any]) -> str | None:
    """The text a legacy entity covers: its ``start``/``end`` count UTF-16 code units."""
    start, end = index.get("start"), index.get("end")
    encoded = text.encode("utf-16-le")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(encoded) // 2:
        return None
    try:
        return encoded[2 * start:2 * end].decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def mention_name(span: str | None, did: str) -> str:
    """The handle written at a mention (without @, lower-case), or the DID when the span is not one."""
    handle = (span or "").strip().removeprefix("@")
    return handle.lower() if _HANDLE.fullmatch(handle) else did


def feature_kind(feature: dict[str, Any]) -> str:
    """A facet feature's type; a missing ``$type`` is inferred from the one field each kind has."""
    kind = feature.get("$type")
    if isinstance(kind, str):
        return kind
    return _MENTION if "did" in feature else _LINK if "uri" in feature else _TAG if "tag" in feature else ""


def add_feature(found: dict[str, list[str]], feature: dict[str, Any], span: str | None) -> None:
    """File one facet feature under mentions, urls or hashtags."""
    kind, did, uri, tag = feature_kind(feature), feature.get("did"), feature.get("uri"), feature.get("tag")
    if kind == _MENTION and isinstance(did, str) and did:
        found["mentions"].append(mention_name(span, did))
    elif kind == _LINK and isinstance(uri, str) and uri:
        found["urls"].append(uri)
    elif kind == _TAG and isinstance(tag, str) and tag.strip("#"):
        found["hashtags"].append(tag.lstrip("#"))


def add_entity(found: dict[str, list[str]], entity: dict[str, Any], text: str) -> None:
    """File one legacy (2022-23) entity: ``{type: mention|link, index{start,end}, value}``."""
    kind, value = entity.get("type"), entity.get("value")
    if not isinstance(value, str) or not value:
        return
    if kind == "mention":
        found["mentions"].append(mention_name(utf16_span(text, obj(entity.get("index"))), value))
    elif kind == "link":
        found["urls"].append(value)


def rich_text(record: dict[str, Any], text: str) -> dict[str, list[str]]:
    """mentions, hashtags and urls of a record: facets, legacy entities, ``tags`` and link cards."""
    found: dict[str, list[str]] = {"mentions": [], "hashtags": [], "urls": []}
    raw = text.encode("utf-8")
    for facet in dicts(record.get("facets")):
        span = byte_span(raw, obj(facet.get("index")))
        for feature in dicts(facet.get("features")):
            add_feature(found, feature, span)
    for entity in dicts(record.get("entities")):
        add_entity(found, entity, text)
    tags = record.get("tags")
    if isinstance(tags, list):
        found["hashtags"] += [t.lstrip("#") for t in tags if isinstance(t, str) and t.strip("#")]
    found["urls"] += card_urls(obj(record.get("embed")))
    return {name: unique(values) for name, values in found.items()}


def record_columns(record: dict[str, Any], author_did: str | None,
                   parent_handle: str | None = None) -> dict[str, Any]:
    """The columns a post record alone determines (no ids, times or counts): shared by feed and CAR."""
    text = record_text(record)
    return {
        "text": text,
        "declared_lang": declared_lang(record),
        "kind": record_kind(record),
        "reply_to": reply_target(record, author_did, parent_handle),
        **rich_text(record, text),
        "media_count": media_count(obj(record.get("embed"))),
    }


def declared_languages(cols: PostColumns) -> list[str]:
    """The languages the account itself declared (reposts declare someone else's), first seen first."""
    pairs = zip(cols.columns["declared_lang"], cols.columns["kind"], strict=True)
    return unique([lang for lang, kind in pairs if lang and kind != "repost"])


# ---------------------------------------------------------------- feed items


def require_obj(value: Any, what: str) -> dict[str, Any]:
    """`value` as a JSON object, or a skip naming the missing part."""
    if not isinstance(value, dict):
        raise RecordSkip(f"expected {what} to be an object")
    return value


def view_uri(view: dict[str, Any]) -> str:
    """A postView's ``at://`` uri: the post_id of every row read from it."""
    uri = view.get("uri")
    if uri_parts(uri) is None:
        raise RecordSkip("expected post.uri to be an at:// record uri")
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
        raise RecordSkip("expected post.record.createdAt or post.indexedAt as ISO 8601 times with an offset")
    return when


def map_post_view(view: Any, reply_ref: dict[str, Any] | None = None) -> dict[str, Any]:
    """The post columns of one postView (feed[].post, or a thread's post); raises RecordSkip."""
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
        raise RecordSkip("expected reason.indexedAt (the repost time) as an ISO 8601 time with an offset")
    record, author = obj(view.get("record")), obj(view.get("author"))
    return {
        "post_id": repost_id(reason, uri), "published_at": when, "kind": "repost",
        "text": record_text(record), "declared_lang": declared_lang(record),
        "url": post_url(usable_handle(author.get("handle")), uri), "media_count": 0,
    }


def map_feed_item(item: Any) -> dict[str, Any]:
    """One feedViewPost as post columns; raises RecordSkip with the reason when it is unusable."""
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
        raise RecordSkip(f"post by {did}, not by the feed's account {account}, without a repost reason")


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
            except RecordSkip as e:
                skipped.append(Skipped(file=where, index=index, reason=str(e)))
        return skipped


COLLECTOR = BlueskyFeedCollector()
