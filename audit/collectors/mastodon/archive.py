"""A Mastodon account archive ("Request your archive"): ``outbox.json`` (FORMATS.md section 5).

The outbox is an ActivityPub OrderedCollection written by Mastodon's BackupService: one
``Create`` activity (with the ``Note``, or ``Question`` for a poll, embedded) per status and one
``Announce`` (whose ``object`` is only the boosted post's URL) per boost. Read from the archive
folder, a zip of it, or a lone ``outbox.json``. ``totalItems`` is the account's statuses_count,
not the number of items (a real file had 8 against 9), so it is never trusted.

Decisions worth knowing:

* The language lives in ``contentMap`` (its key); Mastodon leaves contentMap out when a status
  has no language, so declared_lang is then null.
* A reply to a URL under the account's own actor URL is a thread continuation (SELF_REPLY);
  otherwise the replied-to account is read from the URL (``/users/NAME/...`` or ``/@NAME/...``
  gives ``NAME@host``), else from the Mention tag on the same host.
* Boosts carry no text in the archive: text is empty, url is the boosted post's URL.
* Only public posts are audited: a Note addressed to Public (in ``to`` for public posts, in ``cc``
  for unlisted ones). Followers-only posts (addressed to the followers collection) and direct
  messages (addressed to the accounts they mention, or to no one) are skipped and counted as
  private, never stored or quoted.
* Counts: older archives have none (null). Newer Mastodon serialises ``likes``/``shares``
  collections with ``totalItems`` on local Notes; those are used when present. Replies: null.
* ``attachment`` also lists the link preview card as a ``Link``; only media are counted.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from audit.collectors.base import Batch, ReadContext, dicts, parse_iso
from audit.collectors.mastodon.records import HEAD_BYTES, content_links, content_text
from audit.collectors.table import SELF_REPLY, PostColumns, normalise_lang
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped

PUBLIC = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")
NOTE_TYPES = ("Note", "Question", "Article", "Page")
QUOTE_KEYS = ("quote", "quoteUri", "quoteUrl", "_misskey_quote")
_COLLECTION = re.compile(r"\"type\"\s*:\s*\"OrderedCollection(Page)?\"")
_OUTBOX_HINT = re.compile(r"\"id\"\s*:\s*\"outbox\.json\"|\"type\"\s*:\s*\"(Create|Announce)\"")


class MastodonArchive:
    """Reader for the outbox.json of a Mastodon account archive."""

    name = "mastodon_archive"
    platform = "mastodon"
    description = "a Mastodon account archive (outbox.json)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if m.endswith(".json") and _looks_like_outbox(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), []
        archive_actor = _archive_actor(export)
        for member in members:
            where = export.where(member)
            for index, item in enumerate(_ordered_items(export, member)):
                reason = _add_activity(cols, item, archive_actor, f"{where}#{index}")
                if reason:
                    skipped.append(Skipped(file=where, index=index, reason=reason))
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        langs = sorted(posts["declared_lang"].drop_nulls().unique().to_list())
        return Batch(posts, skipped, [export.where(m) for m in members], langs)


def _looks_like_outbox(export: Export, member: str) -> bool:
    """An OrderedCollection whose id is outbox.json or whose items are Create/Announce activities."""
    head = head_text(export, member, HEAD_BYTES)
    return head.startswith("{") and bool(_COLLECTION.search(head)) and bool(_OUTBOX_HINT.search(head))


def _archive_actor(export: Export) -> str | None:
    """The account's actor URL from the archive's actor.json, when there is a readable one.

    Only a fallback for Notes without attributedTo and activities without actor, so a broken
    actor.json is not worth stopping for.
    """
    member = next((m for m in export.members() if m.rsplit("/", 1)[-1] == "actor.json"), None)
    if member is None:
        return None
    try:
        actor = load_json(export, member)
    except InputError:
        return None
    return _url(actor.get("id")) if isinstance(actor, dict) else None


def _ordered_items(export: Export, member: str) -> list[Any]:
    where = export.where(member)
    data = load_json(export, member)
    expect_type(data, dict, where, "an ActivityPub outbox (a JSON object with orderedItems)")
    items = data.get("orderedItems")
    if not isinstance(items, list):
        raise InputError(where, "expected an OrderedCollection with an orderedItems array", "orderedItems")
    return items


def _add_activity(cols: PostColumns, item: Any, archive_actor: str | None, source: str) -> str | None:
    """Append one activity as a row; return why it was skipped instead (None when it was added)."""
    if not isinstance(item, dict):
        return f"expected an activity object, found {type(item).__name__}"
    actor = _url(item.get("actor")) or archive_actor
    if item.get("type") == "Announce":
        return _add_announce(cols, item, source)
    if item.get("type") != "Create":
        return f"activity type {item.get('type')!r} is not a post (expected Create or Announce)"
    note = item.get("object")
    if not isinstance(note, dict) or note.get("type") not in NOTE_TYPES:
        kind = note.get("type") if isinstance(note, dict) else type(note).__name__
        return f"Create activity without an embedded Note (found {kind!r})"
    return _add_note(cols, note, _url(note.get("attributedTo")) or actor, source)


def _add_announce(cols: PostColumns, item: dict[str, Any], source: str) -> str | None:
    """A boost: its own id and time, the boosted post's URL, no text (the archive has none)."""
    post_id = _status_id(item.get("id"))
    if post_id is None:
        return "Announce activity has no id"
    published = _timestamp(item.get("published"))
    if isinstance(published, str):
        return published
    url = _url(item.get("object")) or _url(item.get("id"))
    cols.add(post_id=post_id, url=url, published_at=published, text="", kind="repost", source=source)
    return None


def _add_note(cols: PostColumns, note: dict[str, Any], actor: str | None, source: str) -> str | None:
    post_id = _status_id(note.get("id"))
    if post_id is None:
        return "Note has no id"
    private = _private_kind(note)
    if private:
        return f"{private} (private, not audited)"
    published = _timestamp(note.get("published"))
    if isinstance(published, str):
        return published
    cols.add(post_id=post_id, published_at=published, source=source, **_note_fields(note, actor))
    return None


def _note_fields(note: dict[str, Any], actor: str | None) -> dict[str, Any]:
    tags = dicts(note.get("tag"))
    content = note.get("content")
    if not isinstance(content, str):
        content = next(iter(_content_map(note).values()), None)
    kind, reply_to = _kind(note, actor, tags)
    return {
        "url": _url(note.get("url")) or _url(note.get("id")),
        "text": content_text(content),
        "declared_lang": normalise_lang(next(iter(_content_map(note)), None)),
        "kind": kind,
        "reply_to": reply_to,
        "mentions": [m for m in map(_mention_name, tags) if m],
        "hashtags": [name.lstrip("#") for name in _tag_names(tags, "Hashtag")],
        "urls": content_links(content),
        "media_count": sum(1 for a in dicts(note.get("attachment")) if a.get("type") != "Link"),
        "likes": _total_items(note.get("likes")),
        "shares": _total_items(note.get("shares")),
    }


def _kind(note: dict[str, Any], actor: str | None, tags: list[dict[str, Any]]) -> tuple[str, str | None]:
    """(kind, reply_to): a reply (even one that quotes), a quote, or a plain post."""
    in_reply_to = _url(note.get("inReplyTo"))
    if in_reply_to:
        if actor and in_reply_to.startswith(actor.rstrip("/") + "/"):
            return "reply", SELF_REPLY
        return "reply", account_from_url(in_reply_to) or _mention_on_host(tags, in_reply_to)
    if any(_url(note.get(key)) for key in QUOTE_KEYS):
        return "quote", None
    return "post", None


def account_from_url(url: str) -> str | None:
    """``NAME@host`` from a Mastodon-style status or actor URL (/users/NAME/..., /@NAME/...)."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] == "users":
        name = segments[1]
    elif segments and segments[0].startswith("@") and len(segments[0]) > 1:
        name = segments[0][1:]
    else:
        return None
    return name if "@" in name or not parts.hostname else f"{name}@{parts.hostname}"


def _mention_on_host(tags: list[dict[str, Any]], url: str) -> str | None:
    """The mentioned account on the replied-to post's server (Mastodon mentions whom it answers)."""
    host = urlsplit(url).hostname
    for tag in tags:
        href = _url(tag.get("href"))
        if tag.get("type") == "Mention" and href and urlsplit(href).hostname == host:
            return _mention_name(tag)
    return None


def _tag_names(tags: list[dict[str, Any]], kind: str) -> list[str]:
    return [tag["name"] for tag in tags if tag.get("type") == kind and _text(tag.get("name"))]


def _mention_name(tag: dict[str, Any]) -> str | None:
    """A Mention tag as ``user@host`` (remote) or ``user`` (same server), without the @."""
    if tag.get("type") != "Mention":
        return None
    name = _text(tag.get("name"))
    if name:
        return name.lstrip("@")
    href = _url(tag.get("href"))
    return account_from_url(href) if href else None


def _private_kind(note: dict[str, Any]) -> str | None:
    """None for a public or unlisted Note; else what kind of private post it is.

    Mastodon addresses public and unlisted posts to Public, followers-only ones to the followers
    collection, and direct messages only to the accounts they mention; a Note addressed to no one
    cannot be shown to be public, so it is treated as private too.
    """
    audience = [a for key in ("to", "cc") for a in _strings(note.get(key))]
    if any(a in PUBLIC for a in audience):
        return None
    return "followers-only post" if any(a.endswith("/followers") for a in audience) else "direct message"


def _content_map(note: dict[str, Any]) -> dict[str, Any]:
    value = note.get("contentMap")
    return value if isinstance(value, dict) else {}


def _total_items(collection: Any) -> int | None:
    count = collection.get("totalItems") if isinstance(collection, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def _status_id(value: Any) -> str | None:
    """The status id: the last path segment of the Note id (``.../statuses/ID``, ``.../ID/activity``)."""
    url = _url(value)
    if not url:
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if segments and segments[-1] == "activity":
        segments.pop()
    return segments[-1] if segments else url


def _timestamp(value: Any) -> datetime | str:
    """The UTC time, or the reason the record is skipped."""
    if isinstance(value, str):
        try:
            return parse_iso(value)
        except ValueError:
            pass
    return f"published {value!r} is not an ISO 8601 timestamp with an offset"


def _url(value: Any) -> str | None:
    """A URL given as a string, a Link object (href) or an object (id); the first of a list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("href") or value.get("id")
    return value if isinstance(value, str) and value else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


COLLECTOR = MastodonArchive()
