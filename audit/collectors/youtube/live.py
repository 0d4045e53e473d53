"""YouTube, live: Data API v3 with a key. The channel's uploads playlist, then its videos with statistics.

Every call here is a list call of 1 quota unit (of 10,000 a day by default, reset at midnight
Pacific time); ``search.list`` (100 units) is never used. A walk step costs 2 units: one
``playlistItems.list`` page of 50 uploads (newest first) and one ``videos.list`` for those 50 ids.
Both responses are stored as they came, the saved-response reader (youtube_api) reads them, and it
reads ``videos.list`` first, so the row with statistics wins. The key travels in the
``X-Goog-Api-Key`` header, never in the URL. The uploads playlist stops at about 20,000 videos.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from audit.collectors.base import obj, parse_iso
from audit.collectors.live import Page, Target, checked_json, malformed, page_json
from audit.errors import FetchError
from audit.sources.http import HttpClient

API = "https://www.googleapis.com"
KEY_ENV = "YOUTUBE_API_KEY"
PAGE_SIZE = 50


class YouTubeLive:
    platform = "youtube"
    default_api = API
    needs_handle = True
    reach = 20_000
    """The uploads playlist ends after about this many videos: a walk that long is a coverage hole, not the start."""

    def resolve(self, client: HttpClient, target: Target) -> dict[str, Any]:
        """The uploads playlist and subscriber count of the channel (by `channel_id`, else by handle)."""
        channel_id = target.options.get("channel_id")
        by = {"id": channel_id} if channel_id else {"forHandle": "@" + (target.handle or "").lstrip("@")}
        data = self._list(client, target, "channels", {"part": "contentDetails,statistics", **by})
        items = data.get("items")
        if not items:
            raise FetchError(target.account_id, self._url(target, "channels"), f"no channel {next(iter(by.values()))}",
                             "check the handle, or give the channel's id as collect.channel_id")
        channel = obj(items[0])
        uploads = obj(obj(channel.get("contentDetails")).get("relatedPlaylists")).get("uploads")
        if not isinstance(uploads, str) or not uploads:
            raise malformed(client, target, self._url(target, "channels"), "a channel with an uploads playlist")
        stats = obj(channel.get("statistics"))
        hidden = stats.get("hiddenSubscriberCount") is True
        followers = None if hidden else _count(stats.get("subscriberCount"))
        return {"channel": channel.get("id"), "uploads": uploads, "followers": followers, "quota_units": 1}

    def page(self, client: HttpClient, target: Target, ref: dict[str, Any], cursor: str | None) -> Page:
        params = {"part": "contentDetails,snippet", "playlistId": ref["uploads"], "maxResults": PAGE_SIZE,
                  "pageToken": cursor}
        playlist = self._list(client, target, "playlistItems", params)
        items = playlist.get("items")
        if not isinstance(items, list):
            raise malformed(client, target, self._url(target, "playlistItems"), 'a playlistItems response with "items"')
        ids = [i for i in (obj(obj(item).get("contentDetails")).get("videoId") for item in items) if isinstance(i, str)]
        files, units = [("playlist.json", page_json(playlist))], 1
        if ids:
            videos = self._list(client, target, "videos", {"part": "snippet,statistics,contentDetails,status",
                                                           "id": ",".join(ids)})
            files.insert(0, ("videos.json", page_json(videos)))
            units += 1
        token = playlist.get("nextPageToken")
        times = [t for t in map(_published, items) if t is not None]
        return Page(files if items else [], times, token if isinstance(token, str) else None, units)

    def _list(self, client: HttpClient, target: Target, resource: str, params: dict[str, Any]) -> Any:
        key = target.secret_from_env(client, KEY_ENV)
        response = client.get(self._url(target, resource), target.account_id, params=params,
                              headers={"X-Goog-Api-Key": key})
        data = checked_json(client, response, target, f"{resource}.list")
        if not isinstance(data, dict):
            raise malformed(client, target, response.url, f"a JSON object from {resource}.list")
        return data

    def _url(self, target: Target, resource: str) -> str:
        return f"{target.api.rstrip('/')}/youtube/v3/{resource}"


def _published(item: Any) -> datetime | None:
    """When the video was published (not when it was added to the playlist, which snippet.publishedAt is)."""
    when = obj(obj(item).get("contentDetails")).get("videoPublishedAt") or obj(obj(item).get("snippet")).get(
        "publishedAt")
    try:
        return parse_iso(when) if isinstance(when, str) else None
    except ValueError:
        return None


def _count(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


SOURCE = YouTubeLive()
