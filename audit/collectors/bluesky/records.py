"""Bluesky post and repost records as post rows: the one mapping the feed, CAR and live readers share.

A record is the `app.bsky.feed.post` value the author's client wrote (text, langs, facets, embed,
reply); see FORMATS.md §6 and the feed module's docstring for how kinds, ids and entities are derived.
"""


from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

from audit.collectors.base import dicts, obj, parse_iso, text_or_none
from audit.collectors.table import SELF_REPLY, PostColumns, normalise_lang
from audit.sources.skips import SkipRecord

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
_URL_PREFIX: Final = "https://bsky.app/profile/"


# ---------------------------------------------------------------- small JSON helpers


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
        raise SkipRecord("expected record.text to be a string")
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
