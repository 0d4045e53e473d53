"""Saved YouTube Data API v3 responses: `videos.list`, `playlistItems.list` pages and `search.list` pages.

One JSON response per file, in a folder, zip or glob. Each video becomes one post (kind "post",
text = title + blank line + description). The three endpoints disagree in ways that matter:

* only `videos.list` carries `statistics` (strings: viewCount, likeCount, commentCount), so its
  files are read first: the collect layer keeps the first row of a (platform, post_id), and the
  richer row must win over the same video seen in a playlist or search page;
* a `playlistItems.list` item's `snippet.publishedAt` is when the video was ADDED to the playlist;
  the publish time is `contentDetails.videoPublishedAt`, which private and deleted videos lack
  (they are skipped). Pages saved with `part=snippet` only fall back to `snippet.publishedAt`,
  which for a channel's uploads playlist is the upload time;
* `search.list` titles and descriptions are HTML-escaped and descriptions are truncated; results
  that are channels or playlists are skipped and counted.

A `channels.list` response is not posts: it is not detected, so a folder can hold one beside the
videos, and a folder holding only that is "no known format".

Responses can hold videos of several channels (a keyword search, a chart, a playlist of others'
videos). They are split by channel and the account keeps only its own; every other channel's video
is a counted skip naming both channel ids. The account's channel is its handle when that is a
channel id (``UC`` + 22 characters), else the channel whose title the handle names, else the channel
with the most videos (the first seen on a tie): set the handle to a channel id to choose.
A video whose ``status.privacyStatus`` is "private" is counted as private, not audited; "unlisted"
videos are public to anyone with the link, so they are read (as Mastodon's unlisted posts are).
Tags (`snippet.tags`) are keywords, not hashtags: hashtags come from the text (#tag).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from audit.collectors.base import Batch, ReadContext, parse_iso, to_int
from audit.collectors.table import PostColumns, normalise_lang
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped

VIDEOS, PLAYLIST_ITEMS, SEARCH = (
    "youtube#videoListResponse", "youtube#playlistItemListResponse", "youtube#searchListResponse",
)
_READ_ORDER = {VIDEOS: 0, PLAYLIST_ITEMS: 1, SEARCH: 2}
"""videos.list first: its rows carry statistics and full descriptions, so they win deduplication."""
_KIND = re.compile(r'"kind"\s*:\s*"youtube#(?:videoListResponse|playlistItemListResponse'
                   r'|searchListResponse)"')
_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
_HASHTAG = re.compile(r"(?<![\w&/#])#(\w+)")
_URL = re.compile(r"https?://[^\s<>\"]+")
_UNAVAILABLE = {("Private video", "This video is private."), ("Deleted video", "This video is unavailable.")}


class YouTubeApiCollector:
    """Reads saved YouTube Data API v3 list responses."""

    name = "youtube_api"
    platform = "youtube"
    description = "saved YouTube Data API v3 responses (videos.list, playlistItems.list, search.list)"

    def find(self, export: Export) -> list[str]:
        """JSON members whose top-level `kind` is one of the three video-listing responses."""
        return [m for m in export.members() if m.lower().endswith(".json") and _sniff(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        pages = sorted((_load_page(export, m) for m in members), key=_richest_first)
        cols, skipped = PostColumns(), list[Skipped]()
        owner = _owner(pages, ctx.handle)
        for where, kind, items in pages:
            for index, item in enumerate(items):
                problem = _read_item(item, kind, owner, f"{where}#{index}", cols)
                if problem:
                    skipped.append(Skipped(where, index, problem))
        frame = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        languages = sorted({lang for lang in cols.columns["declared_lang"] if lang})
        return Batch(posts=frame, skipped=skipped, files=[export.where(m) for m in members],
                     declared_languages=languages)


def _sniff(export: Export, member: str) -> bool:
    try:
        head = head_text(export, member)
    except OSError:
        return False
    return head.startswith("{") and _KIND.search(head) is not None


def _richest_first(page: tuple[str, str, list[Any]]) -> tuple[int, bool]:
    """videos.list pages with statistics, then other videos.list pages, then playlists, then searches."""
    _, kind, items = page
    with_statistics = any(isinstance(item, dict) and "statistics" in item for item in items)
    return _READ_ORDER[kind], not with_statistics


def _load_page(export: Export, member: str) -> tuple[str, str, list[Any]]:
    """(where, response kind, items) of one saved response; a file of another shape is an InputError."""
    where = export.where(member)
    data = load_json(export, member)
    expect_type(data, dict, where, "a JSON object (a YouTube Data API response)")
    kind = data.get("kind")
    if kind not in _READ_ORDER:
        raise InputError(where, "expected a YouTube Data API videos.list, playlistItems.list or search.list "
                                f"response, found kind {kind!r}", "kind")
    items = data.get("items", [])
    if not isinstance(items, list):
        raise InputError(where, 'expected "items" to be an array', "items")
    return where, str(kind), items


# --- one item -------------------------------------------------------------------------------


def _owner(pages: list[tuple[str, str, list[Any]]], handle: str | None) -> str | None:
    """The account's channel id, or None when every video is of one channel (see the module docstring)."""
    handle = (handle or "").strip()
    if _CHANNEL_ID.fullmatch(handle):
        return handle
    videos = [_channel_and_title(item, kind) for _, kind, items in pages for item in items]
    counts = Counter(channel for channel, _ in videos if channel)
    if len(counts) < 2:
        return None
    named = {channel for channel, title in videos if channel and title and _same_name(title, handle)}
    return named.pop() if len(named) == 1 else counts.most_common(1)[0][0]


def _channel_and_title(item: Any, kind: str) -> tuple[str | None, str | None]:
    """The channel a listed video belongs to, and its title (None for channels, playlists, non-objects)."""
    if not isinstance(item, dict) or isinstance(_VIDEO_OF[kind](item), str):
        return None, None
    snippet = _object(item.get("snippet"))
    channel = snippet.get("videoOwnerChannelId") or snippet.get("channelId")
    title = snippet.get("videoOwnerChannelTitle") or snippet.get("channelTitle")
    return (channel if isinstance(channel, str) else None), (title if isinstance(title, str) else None)


def _same_name(title: str, handle: str) -> bool:
    squash = re.compile(r"[\s@_.-]+")
    return bool(handle) and squash.sub("", title).casefold() == squash.sub("", handle).casefold()


def _read_item(item: Any, kind: str, owner: str | None, source: str, cols: PostColumns) -> str | None:
    """Add one item as a post; the reason it cannot be used, or None."""
    if not isinstance(item, dict):
        return f"expected an item object, found {type(item).__name__}"
    found = _VIDEO_OF[kind](item)
    if isinstance(found, str):
        return found
    video_id, published_raw, snippet = found
    channel = snippet.get("videoOwnerChannelId") or snippet.get("channelId")
    if owner and channel and channel != owner:
        return f"video of another channel ({channel}); this account's channel is {owner}"
    try:
        published = parse_iso(str(published_raw))
    except ValueError:
        return f"expected publishedAt as an ISO 8601 time with offset, found {published_raw!r}"
    _add_video(video_id, published, snippet, item.get("statistics"), kind == SEARCH, source, cols)
    return None


def _video_from_videos(item: dict[str, Any]) -> tuple[str, Any, dict[str, Any]] | str:
    snippet = _object(item.get("snippet"))
    if not isinstance(item.get("id"), str) or not item["id"]:
        return "video without an id"
    if "publishedAt" not in snippet:
        return "video without snippet.publishedAt (saved without part=snippet)"
    if _object(item.get("status")).get("privacyStatus") == "private":
        return f"video {item['id']} is private (private, not audited)"
    return item["id"], snippet["publishedAt"], snippet


def _video_from_playlist(item: dict[str, Any]) -> tuple[str, Any, dict[str, Any]] | str:
    snippet, details = _object(item.get("snippet")), item.get("contentDetails")
    video_id = (_object(details).get("videoId") or _object(snippet.get("resourceId")).get("videoId"))
    if not isinstance(video_id, str) or not video_id:
        return "playlist item without a video id"
    if _unavailable(item, snippet, details):
        return f"video {video_id} is private or deleted (no contentDetails.videoPublishedAt)"
    published = _object(details).get("videoPublishedAt") or snippet.get("publishedAt")
    return (video_id, published, snippet) if published else "playlist item without a publish time"


def _unavailable(item: dict[str, Any], snippet: dict[str, Any], details: Any) -> bool:
    """Private/deleted videos: no videoPublishedAt, or YouTube's placeholder title and description."""
    if isinstance(details, dict) and "videoPublishedAt" not in details:
        return True
    pair = (snippet.get("title"), snippet.get("description"))
    placeholder = all(isinstance(v, str) for v in pair) and pair in _UNAVAILABLE
    return placeholder or _object(item.get("status")).get("privacyStatus") == "private"


def _video_from_search(item: dict[str, Any]) -> tuple[str, Any, dict[str, Any]] | str:
    result = _object(item.get("id"))
    if result.get("kind") != "youtube#video":
        return f"search result is not a video ({result.get('kind')})"
    snippet = _object(item.get("snippet"))
    if not isinstance(result.get("videoId"), str) or "publishedAt" not in snippet:
        return "search result without id.videoId or snippet.publishedAt"
    return result["videoId"], snippet["publishedAt"], snippet


_VIDEO_OF = {VIDEOS: _video_from_videos, PLAYLIST_ITEMS: _video_from_playlist, SEARCH: _video_from_search}


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _add_video(video_id: str, published: Any, snippet: dict[str, Any], statistics: Any, escaped: bool,
               source: str, cols: PostColumns) -> None:
    text = _text(snippet, escaped)
    stats = _object(statistics)
    cols.add(
        post_id=video_id, url=f"https://www.youtube.com/watch?v={video_id}", published_at=published,
        text=text, declared_lang=_declared_lang(snippet), kind="post",
        hashtags=_unique(_HASHTAG.findall(text), lambda tag: any(c.isalpha() for c in tag)),
        urls=_unique([u.rstrip(".,;:!?)]}'\"") for u in _URL.findall(text)]), media_count=1,
        likes=to_int(stats.get("likeCount")), replies=to_int(stats.get("commentCount")),
        views=to_int(stats.get("viewCount")), source=source,
    )


def _text(snippet: dict[str, Any], escaped: bool) -> str:
    """Title, blank line, description; search.list escapes both as HTML."""
    parts = [str(snippet.get(key) or "").strip() for key in ("title", "description")]
    if escaped:
        parts = [html.unescape(part) for part in parts]
    return "\n\n".join(part for part in parts if part)


def _declared_lang(snippet: dict[str, Any]) -> str | None:
    """The language of the title/description, else of the audio (zxx/und count as undeclared)."""
    for key in ("defaultLanguage", "defaultAudioLanguage"):
        value = snippet.get(key)
        lang = normalise_lang(value) if isinstance(value, str) else None
        if lang:
            return lang
    return None


def _unique(values: list[str], keep: Callable[[str], bool] = bool) -> list[str]:
    """Values in first-seen order without repeats, keeping those `keep` accepts."""
    return list(dict.fromkeys(v for v in values if keep(v)))


COLLECTOR = YouTubeApiCollector()
