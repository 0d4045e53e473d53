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
* Only public and unlisted statuses are audited: direct messages (visibility "direct"),
  followers-only ("private") and "limited" statuses are skipped and counted as private.
* Mastodon 4.4+ prepends ``<p class="quote-inline">RE: <link></p>`` to a quote's content for old
  clients; it is not the author's text, so it is dropped from text and urls.

The HTML helpers here are shared with the outbox reader (mastodon_archive).
"""

from __future__ import annotations

import re
from typing import Any

from audit.collectors.base import Batch, ReadContext
from audit.collectors.mastodon.records import HEAD_BYTES, add_status
from audit.collectors.table import PostColumns
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped

_STATUS_KEYS = ('"created_at"', '"content"', '"account"')


"""How much of a file detection reads: enough for a first Status with a long content field."""


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
                reason = add_status(cols, status, f"{where}#{index}")
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


COLLECTOR = MastodonApi()
