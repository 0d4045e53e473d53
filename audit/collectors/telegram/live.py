"""Telegram, live: a public channel's web preview, ``t.me/s/<channel>``, about 20 posts a page, no account.

Older pages come from ``?before=<number>``: the number is taken from the page's "more" link
(``a.tme_messages_more[data-before]``), else from its oldest post (the link is sometimes missing
mid-history, as tchan notes). Pages are stored as the HTML they came as; the telegram_preview reader
reads them. There is no documented rate limit, so the client's backoff is all the pacing there is.
A channel without a preview redirects away from ``/s/``: that is an error saying so, not an empty
channel. What the preview cannot show (reactions in full, forwards, comments, edit times,
language) is left null, never 0.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from audit.collectors.live import Page, Target
from audit.collectors.telegram.preview import message_time, messages
from audit.errors import FetchError
from audit.sources.http import HttpClient


class TelegramLive:
    platform = "telegram"
    default_api = "https://t.me"
    needs_handle = True

    def resolve(self, client: HttpClient, target: Target) -> dict[str, Any]:
        """The channel's name as the preview URL takes it; the preview is fetched (and checked) per page."""
        name = (target.handle or "").lstrip("@").rsplit("/", 1)[-1]
        return {"channel": name}

    def page(self, client: HttpClient, target: Target, ref: dict[str, Any], cursor: str | None) -> Page:
        url = f"{target.api.rstrip('/')}/s/{ref['channel']}"
        response = client.get(url, target.account_id, params={"before": cursor}, headers={"Accept": "text/html"})
        moved = response.headers.get("location", "")
        if 300 <= response.status < 400 and not urlsplit(moved).path.startswith("/s/"):
            raise FetchError(target.account_id, client.shown_url(url), "the channel has no public web preview "
                             "(Telegram redirected away from /s/)", "collect it from a Telegram Desktop export")
        if response.status != 200:
            raise FetchError(target.account_id, client.shown_url(response.url), f"HTTP {response.status} for the "
                             "channel's web preview", "check the channel name in `handle`")
        nodes = messages(response.text)
        times = [t for t in map(message_time, nodes) if t is not None]
        files = [("preview.html", response.text)] if nodes else []
        return Page(files, times, _before(response.text, nodes) if nodes else None)


def _before(page: str, nodes: list[Any]) -> str | None:
    """The next (older) page's ``before``: the "more" link's, else the oldest post's number; None at the start."""
    more = LexborHTMLParser(page).css_first("a.tme_messages_more[data-before]")
    if more is not None and (more.attributes.get("data-before") or "").isdigit():
        return more.attributes.get("data-before")
    numbers = [int(n) for n in ((node.attributes.get("data-post") or "").rpartition("/")[2] for node in nodes)
               if n.isdigit()]
    oldest = min(numbers, default=1)
    return str(oldest) if oldest > 1 else None


SOURCE = TelegramLive()
