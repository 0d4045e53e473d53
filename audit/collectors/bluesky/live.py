"""Bluesky, live: the public AppView, no login. Handle to DID, profile, then the author feed by cursor.

Pages are stored as the ``getAuthorFeed`` responses the saved-response reader (bluesky_feed) reads,
reposts included. The cursor is opaque (its format changed from ``<ms>::<cid>`` to an ISO time) and
the walk stops only when it is absent or repeats, never on a short page: the AppView returns short
and even empty pages mid-feed (bluesky-social/atproto#2127). Which posts are old enough to stop at is
judged by ``indexedAt`` (server-set, the feed's order), not the client-set ``createdAt``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from audit.collectors.base import obj
from audit.collectors.bluesky.records import REASON_REPOST, parse_timestamp
from audit.collectors.live import Page, Target, Thread, checked_json, malformed, page_json
from audit.sources.http import HttpClient

PAGE_SIZE = 100
THREAD_DEPTH = 10
"""Levels of replies fetched under a post (the API's default is 6, its maximum 1000)."""


class BlueskyLive:
    platform = "bluesky"
    default_api = "https://public.api.bsky.app"
    needs_handle = True

    def resolve(self, client: HttpClient, target: Target) -> dict[str, Any]:
        """The account's DID (a handle is resolved; a DID is kept) and its follower count."""
        actor = (target.handle or "").lstrip("@")
        if not actor.startswith("did:"):
            data = self._call(client, target, "com.atproto.identity.resolveHandle", {"handle": actor},
                              f"the handle {actor}")
            if not isinstance(data.get("did"), str):
                raise malformed(client, target, self._url(target, "com.atproto.identity.resolveHandle"),
                                'a {"did": ...} object')
            actor = data["did"]
        profile = self._call(client, target, "app.bsky.actor.getProfile", {"actor": actor}, f"the profile of {actor}")
        return {"did": actor, "followers": profile.get("followersCount")}

    def page(self, client: HttpClient, target: Target, ref: dict[str, Any], cursor: str | None) -> Page:
        params = {"actor": ref["did"], "limit": PAGE_SIZE, "cursor": cursor, "filter": "posts_with_replies"}
        method = "app.bsky.feed.getAuthorFeed"
        data = self._call(client, target, method, params, f"the feed of {target.handle}")
        feed = data.get("feed")
        if not isinstance(feed, list):
            raise malformed(client, target, self._url(target, method), 'a getAuthorFeed object with a "feed" array')
        times = [t for t in map(_item_time, feed) if t is not None]
        next_cursor = data.get("cursor") if isinstance(data.get("cursor"), str) else None
        files = [("feed.json", page_json(data))] if feed else []
        return Page(files, times, next_cursor if next_cursor != cursor else None)

    def thread_keys(self, name: str, text: str) -> list[tuple[str, str]]:
        """(indexedAt, at:// uri) of the account's own posts on a stored feed page that others replied to."""
        if not name.endswith("feed.json"):
            return []
        items = [obj(i) for i in obj(json.loads(text)).get("feed") or []]
        posts = [obj(i.get("post")) for i in items if obj(i.get("reason")).get("$type") != REASON_REPOST]
        return [(str(p.get("indexedAt")), str(p.get("uri"))) for p in posts
                if isinstance(p.get("replyCount"), int) and p["replyCount"] > 0 and p.get("uri")]

    def thread(self, client: HttpClient, target: Target, ref: dict[str, Any], key: str) -> Thread:
        """``getPostThread`` without the parents: the replies (threadViewPost items) under the post."""
        params = {"uri": key, "depth": THREAD_DEPTH, "parentHeight": 0}
        data = self._call(client, target, "app.bsky.feed.getPostThread", params, f"the replies to {key}")
        root = obj(data.get("thread"))
        if "post" not in root:
            raise malformed(client, target, self._url(target, "app.bsky.feed.getPostThread"),
                            'a getPostThread object with a "thread" holding a post')
        author = obj(obj(root["post"]).get("author")).get("did")
        others = [p for p in _replies(root) if obj(p.get("author")).get("did") != author]
        langs = [str((obj(p.get("record")).get("langs") or ["und"])[0]) for p in others]
        return Thread(f"{key.rsplit('/', 1)[-1]}-thread.json", page_json(data), langs)

    def _call(self, client: HttpClient, target: Target, method: str, params: dict[str, Any], what: str) -> Any:
        response = client.get(self._url(target, method), target.account_id, params=params)
        data = checked_json(client, response, target, what)
        if not isinstance(data, dict):
            raise malformed(client, target, response.url, f"a JSON object from {method}")
        return data

    def _url(self, target: Target, method: str) -> str:
        return f"{target.api.rstrip('/')}/xrpc/{method}"


def _replies(node: dict[str, Any]) -> list[dict[str, Any]]:
    """Every reply post under a thread node, at any depth (notFoundPost and blockedPost items have none)."""
    found = []
    for reply in map(obj, node.get("replies") or []):
        if isinstance(reply.get("post"), dict):
            found += [reply["post"], *_replies(reply)]
    return found


def _item_time(item: Any) -> datetime | None:
    """When the item entered the feed: the repost's indexedAt, else the post's indexedAt or createdAt."""
    reason, post = obj(obj(item).get("reason")), obj(obj(item).get("post"))
    if reason.get("$type") == REASON_REPOST:
        return parse_timestamp(reason.get("indexedAt"))
    return parse_timestamp(post.get("indexedAt")) or parse_timestamp(obj(post.get("record")).get("createdAt"))


SOURCE = BlueskyLive()
