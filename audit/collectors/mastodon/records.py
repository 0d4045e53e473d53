"""Mastodon Statuses and their HTML content as post rows: the one mapping the API, archive and live readers share.

What a row takes from a Status (kind, boost, reply target, entities, counts) is explained in the
API reader's docstring; direct messages never become rows.
"""


from __future__ import annotations

import html
import re
from typing import Any

from audit.collectors.base import dicts, html_to_text, parse_iso, text_or_none, to_int
from audit.collectors.table import SELF_REPLY, PostColumns, normalise_lang

_QUOTE_FALLBACK = re.compile(r"<p\b[^>]*\bclass=\"[^\"]*\bquote-inline\b[^\"]*\"[^>]*>.*?</p>", re.I | re.S)


_ANCHOR = re.compile(r"<a\b([^>]*)>", re.I)


_HREF = re.compile(r"\bhref\s*=\s*\"([^\"]*)\"", re.I)


_CLASS = re.compile(r"\bclass\s*=\s*\"([^\"]*)\"", re.I)


HEAD_BYTES = 16384
PRIVATE_VISIBILITY = {"direct": "direct message", "private": "followers-only post", "limited": "limited post"}
"""Visibilities that are not public (public and unlisted are): skipped and counted, never audited."""


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


def add_status(cols: PostColumns, status: Any, source: str) -> str | None:
    """Append one Status as a row; return why it was skipped instead (None when it was added)."""
    if not isinstance(status, dict):
        return f"expected a status object, found {type(status).__name__}"
    if not isinstance(status.get("id"), str | int) or isinstance(status.get("id"), bool):
        return "status has no id"
    private = PRIVATE_VISIBILITY.get(str(status.get("visibility")))
    if private:
        return f"{private} (private, not audited)"
    try:
        published = parse_iso(str(status.get("created_at")))
    except ValueError:
        return f"created_at {status.get('created_at')!r} is not an ISO 8601 timestamp with an offset"
    cols.add(post_id=str(status["id"]), published_at=published, source=source, **status_fields(status))
    return None


def status_fields(status: dict[str, Any]) -> dict[str, Any]:
    """Every column but id, time and source; a boost takes its words from the boosted Status."""
    reblog = status["reblog"] if isinstance(status.get("reblog"), dict) else None
    body = reblog or status
    kind, reply_to = _kind(status, reblog)
    return {
        "url": text_or_none(body.get("url")) or text_or_none(status.get("url")) or text_or_none(status.get("uri")),
        "text": content_text(body.get("content")),
        "declared_lang": normalise_lang(text_or_none(body.get("language"))),
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
