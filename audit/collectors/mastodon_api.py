"""Saved Mastodon REST API pages: ``GET /api/v1/accounts/:id/statuses`` (FORMATS.md section 5).

Each page is a JSON array of Status objects; a file holding one Status (a saved
``GET /api/v1/statuses/:id``) is read too. The ``*.http.json`` files saved beside the pages hold
the response headers (the ``Link`` pagination), not posts, and are never read as statuses.
Overlapping pages are fine: duplicates are removed later on (platform, post_id).

Decisions worth knowing:

* A boost is a wrapper Status with empty content and the boosted Status in ``reblog``. The row
  keeps the wrapper's id and time (when the account boosted) but takes the words, language, tags,
  links and media of the boosted post, so that a reader sees what was amplified; kind "repost"
  keeps it out of every authored-content metric. Its url is the boosted post's permalink.
* A reply that also quotes is a "reply" (it belongs to a conversation; reply_to needs the kind).
* Direct messages (visibility "direct") are private: skipped and counted, never audited.
* Mastodon 4.4+ prepends ``<p class="quote-inline">RE: <link></p>`` to a quote's content for old
  clients; it is not the author's text, so it is dropped from text and urls.

The HTML helpers here are shared with the outbox reader (mastodon_archive).
"""

from __future__ import annotations

import html
import re
from typing import Any

from audit.collectors.base import (
    Batch,
    ReadContext,
    Skipped,
    expect_type,
    head_text,
    html_to_text,
    load_json,
    parse_iso,
    to_int,
)
from audit.errors import InputError
from audit.posts import SELF_REPLY, PostColumns, normalise_lang
from audit.sources import Export

_QUOTE_FALLBACK = re.compile(r"<p\b[^>]*\bclass=\"[^\"]*\bquote-inline\b[^\"]*\"[^>]*>.*?</p>", re.I | re.S)
_ANCHOR = re.compile(r"<a\b([^>]*)>", re.I)
_HREF = re.compile(r"\bhref\s*=\s*\"([^\"]*)\"", re.I)
_CLASS = re.compile(r"\bclass\s*=\s*\"([^\"]*)\"", re.I)
_STATUS_KEYS = ('"created_at"', '"content"', '"account"')
HEAD_BYTES = 16384
"""How much of a file detection reads: enough for a first Status with a long content field."""


def content_text(content: Any) -> str:
    """Plain text of Mastodon HTML content, without the quote fallback paragraph."""
    if not isinstance(content, str):
        return ""
    return html_to_text(_QUOTE_FALLBACK.sub("", content))


def content_links(content: Any) -> list[str]:
    """The links an author wrote in Mastodon HTML: anchors that are not mentions or hashtags.

    Mastodon marks mention and hashtag anchors with the class ``mention`` (``u-url mention``,
    ``mention hashtag``); every other anchor is a link the author typed, with its full URL in href.
    """
    if not isinstance(content, str):
        return []
    links = []
    for attributes in _ANCHOR.findall(_QUOTE_FALLBACK.sub("", content)):
        href, css = _HREF.search(attributes), _CLASS.search(attributes)
        classes = css.group(1).split() if css else []
        if href and "mention" not in classes and "hashtag" not in classes:
            links.append(html.unescape(href.group(1)))
    return links


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects of a JSON array that should hold objects (anything else is ignored)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class MastodonApi:
    """Reader for saved ``/api/v1/accounts/:id/statuses`` pages and single saved statuses."""

    name = "mastodon_api"
    platform = "mastodon"
    description = "saved Mastodon API statuses (/api/v1/accounts/:id/statuses pages)"

    def find(self, export: Export) -> list[str]:
        members = set(export.members())
        return [m for m in export.members() if _is_status_file(export, m, members)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), []
        for member in members:
            where = export.where(member)
            for index, status in enumerate(_statuses(export, member)):
                reason = _add_status(cols, status, f"{where}#{index}")
                if reason:
                    skipped.append(Skipped(file=where, index=index, reason=reason))
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        langs = sorted(posts["declared_lang"].drop_nulls().unique().to_list())
        return Batch(posts, skipped, [export.where(m) for m in members], langs)


def _is_status_file(export: Export, member: str, members: set[str]) -> bool:
    """A JSON array (or object) of Statuses; an empty page counts when its headers file is beside it."""
    if not member.endswith(".json") or member.endswith(".http.json"):
        return False
    head = head_text(export, member, HEAD_BYTES)
    if head.startswith(("[", "{")) and all(re.search(key + r"\s*:", head) for key in _STATUS_KEYS):
        return True
    return re.fullmatch(r"\[\s*\]\s*", head) is not None and f"{member[:-5]}.http.json" in members


def _statuses(export: Export, member: str) -> list[Any]:
    """The records of one saved response: a page (array) or one Status (object)."""
    where = export.where(member)
    data = load_json(export, member)
    expect_type(data, (list, dict), where, "a JSON array of Mastodon statuses (or one status object)")
    if isinstance(data, dict) and isinstance(data.get("error"), str) and "id" not in data:
        found = f"found a saved API error: {data['error']}"
        raise InputError(where, f"expected Mastodon statuses, {found}", "top level")
    return data if isinstance(data, list) else [data]


def _add_status(cols: PostColumns, status: Any, source: str) -> str | None:
    """Append one Status as a row; return why it was skipped instead (None when it was added)."""
    if not isinstance(status, dict):
        return f"expected a status object, found {type(status).__name__}"
    if not isinstance(status.get("id"), str | int) or isinstance(status.get("id"), bool):
        return "status has no id"
    if status.get("visibility") == "direct":
        return "direct message (private, not audited)"
    try:
        published = parse_iso(str(status.get("created_at")))
    except ValueError:
        return f"created_at {status.get('created_at')!r} is not an ISO 8601 timestamp with an offset"
    cols.add(post_id=str(status["id"]), published_at=published, source=source, **_status_fields(status))
    return None


def _status_fields(status: dict[str, Any]) -> dict[str, Any]:
    """Every column but id, time and source; a boost takes its words from the boosted Status."""
    reblog = status["reblog"] if isinstance(status.get("reblog"), dict) else None
    body = reblog or status
    kind, reply_to = _kind(status, reblog)
    return {
        "url": _str(body.get("url")) or _str(status.get("url")) or _str(status.get("uri")),
        "text": content_text(body.get("content")),
        "declared_lang": normalise_lang(_str(body.get("language"))),
        "kind": kind,
        "reply_to": reply_to,
        "mentions": [m["acct"] for m in dicts(body.get("mentions")) if isinstance(m.get("acct"), str)],
        "hashtags": [t["name"] for t in dicts(body.get("tags")) if isinstance(t.get("name"), str)],
        "urls": content_links(body.get("content")),
        "media_count": len(dicts(body.get("media_attachments"))),
        "likes": to_int(status.get("favourites_count")),
        "shares": to_int(status.get("reblogs_count")),
        "replies": to_int(status.get("replies_count")),
    }


def _kind(status: dict[str, Any], reblog: dict[str, Any] | None) -> tuple[str, str | None]:
    """(kind, reply_to): boosts first, then replies (even when quoting), then quotes."""
    if reblog is not None:
        return "repost", None
    if status.get("in_reply_to_id") is not None:
        return "reply", _replied_account(status)
    if isinstance(status.get("quote"), dict):
        return "quote", None
    return "post", None


def _replied_account(status: dict[str, Any]) -> str | None:
    """Who a reply answers: SELF_REPLY for a thread, else the mentioned acct, else the account id."""
    target = status.get("in_reply_to_account_id")
    if target is None:
        return None
    account = status.get("account")
    own = account.get("id") if isinstance(account, dict) else None
    if own is not None and str(own) == str(target):
        return SELF_REPLY
    for mention in dicts(status.get("mentions")):
        if str(mention.get("id")) == str(target) and isinstance(mention.get("acct"), str):
            return str(mention["acct"])
    return str(target)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


COLLECTOR = MastodonApi()
