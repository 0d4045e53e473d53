"""Saved pages of a public channel's web preview, ``https://t.me/s/<channel>`` (HTML, about 20 posts each).

The preview is what anyone sees without a Telegram account, and what ``audit collect`` stores for a
Telegram account. The markup (reference/LIVE.md section 4; the class prefix ``tgme_widget_message_``
is shortened to ``…_`` here) is parsed with selectolax, a maintained HTML parser:

* a post is ``div.tgme_widget_message[data-post="<channel>/<number>"]``; ``post_id`` is that
  ``channel/number`` (the preview shows no numeric chat id, so a post read here and the same post
  in a Telegram Desktop export, keyed ``<chat id>/<number>``, are two rows: read one or the other);
* time and permalink: ``a.…_date[href] > time[datetime]`` (UTC offset included);
* text: ``div.…_text`` of the post itself, never the quoted text inside a reply's ``a.…_reply``;
* kind: ``repost`` for a forward (``…_forwarded_from``), ``reply`` (with the replied channel, or a
  thread of its own) when ``a.…_reply`` links a post, else ``post``;
* views: ``span.…_views`` as shown (``2.5K`` is read as 2500: rounded by Telegram);
* not measured, so null: reactions (the preview shows some, not all), forwards, comments, language,
  edit times. Service messages (pinned, channel created) are not posts and are left out.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from audit.collectors.base import Batch, ReadContext, html_to_text, parse_iso
from audit.collectors.table import SELF_REPLY, PostColumns
from audit.sources.exports import Export
from audit.sources.jsondata import head_text
from audit.sources.skips import Skipped

MESSAGE = "div.tgme_widget_message[data-post]"
_ABBREVIATED = re.compile(r"^\s*([\d.,]+)\s*([KMB]?)\s*$", re.I)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


class TelegramPreview:
    """Reader for saved t.me/s/<channel> pages."""

    name = "telegram_preview"
    platform = "telegram"
    description = "saved pages of a public Telegram channel's web preview (t.me/s/<channel>)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if m.lower().endswith((".html", ".htm")) and _looks_like(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), list[Skipped]()
        for member in members:
            where = export.where(member)
            for index, node in enumerate(messages(export.read_bytes(member).decode("utf-8", "replace"))):
                reason = add_message(cols, node, f"{where}#{index}")
                if reason:
                    skipped.append(Skipped(file=where, index=index, reason=reason))
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        return Batch(posts, skipped, [export.where(m) for m in members], [])


def _looks_like(export: Export, member: str) -> bool:
    head = head_text(export, member, 65536)
    return "tgme_widget_message" in head or "tgme_channel_info" in head


def messages(page: str) -> list[LexborNode]:
    """The post nodes of a page, oldest first as the preview shows them; service messages left out."""
    tree = LexborHTMLParser(page)
    return [n for n in tree.css(MESSAGE) if "service_message" not in (n.attributes.get("class") or "")]


def message_time(node: LexborNode) -> datetime | None:
    stamp = node.css_first("a.tgme_widget_message_date time[datetime]")
    try:
        return parse_iso(stamp.attributes.get("datetime") or "") if stamp else None
    except ValueError:
        return None


def add_message(cols: PostColumns, node: LexborNode, source: str) -> str | None:
    """Append one post; return why it was skipped instead."""
    post = node.attributes.get("data-post") or ""
    channel, _, number = post.rpartition("/")
    if not channel or not number.isdigit():
        return f"data-post {post!r} is not <channel>/<number>"
    published = message_time(node)
    if published is None:
        return "no time[datetime] with a UTC offset in the post's date link"
    date_link = node.css_first("a.tgme_widget_message_date")
    cols.add(post_id=post, published_at=published, source=source,
             url=date_link.attributes.get("href") if date_link else None, **_fields(node, channel))
    return None


def _fields(node: LexborNode, channel: str) -> dict[str, Any]:
    text_node = _own_text(node)
    anchors = text_node.css("a[href]") if text_node else []
    hrefs = [a.attributes.get("href") or "" for a in anchors]
    kind, reply_to = _kind(node, channel)
    return {
        "text": html_to_text(text_node.inner_html if text_node else ""),
        "declared_lang": None, "kind": kind, "reply_to": reply_to,
        "hashtags": [unquote(h.split("q=", 1)[1]).lstrip("#") for h in hrefs if "?q=%23" in h or "?q=#" in h],
        "mentions": [a.text().lstrip("@") for a in anchors if a.text().startswith("@")],
        "urls": [h for a, h in zip(anchors, hrefs, strict=True) if h.startswith("http") and not a.text().startswith("@")
                 and "?q=" not in h],
        "media_count": len(node.css("a.tgme_widget_message_photo_wrap, .tgme_widget_message_video_player")),
        "views": abbreviated_count(_text_of(node, "span.tgme_widget_message_views")),
        "likes": None, "shares": None, "replies": None,
    }


def _own_text(node: LexborNode) -> LexborNode | None:
    """The post's text block, not the quoted parent inside a reply link."""
    for candidate in node.css("div.tgme_widget_message_text"):
        parent, inside_reply = candidate.parent, False
        while parent is not None and parent is not node and parent.mem_id != node.mem_id:
            inside_reply = inside_reply or "tgme_widget_message_reply" in (parent.attributes.get("class") or "")
            parent = parent.parent
        if not inside_reply:
            return candidate
    return None


def _kind(node: LexborNode, channel: str) -> tuple[str, str | None]:
    if node.css_first(".tgme_widget_message_forwarded_from"):
        return "repost", None
    reply = node.css_first("a.tgme_widget_message_reply[href]")
    if reply is None:
        return "post", None
    parts = [p for p in urlsplit(reply.attributes.get("href") or "").path.split("/") if p]
    target = parts[-2] if len(parts) >= 2 else None
    return "reply", SELF_REPLY if target and target.lower() == channel.lower() else target


def _text_of(node: LexborNode, selector: str) -> str | None:
    found = node.css_first(selector)
    return found.text(strip=True) if found else None


def abbreviated_count(value: str | None) -> int | None:
    """``2.5K`` -> 2500, ``1.2M`` -> 1200000, ``734`` -> 734; None when absent or unreadable."""
    match = _ABBREVIATED.match(value or "")
    if not match:
        return None
    try:
        count = round(float(match.group(1).replace(",", "")) * _SCALE[match.group(2).upper()])
    except (ValueError, OverflowError):  # OverflowError: a number too long for a float (damaged page)
        return None
    return count if count < 2**63 else None


COLLECTOR = TelegramPreview()
