"""Live sources: what every platform's network fetcher gives the store, and the list of them.

A live source turns an account into pages of raw API responses, newest first. It never maps records
to rows itself: each page is stored as the JSON the platform's saved-response collector already
reads (mastodon_api, bluesky_feed, youtube_api), so a post collected live and the same post in a
hand-saved export become the same row, and deduplication works across both.

The orchestration (where pages go, when to stop, how to resume) lives in :mod:`audit.posts.live`;
a source only knows how to ask its API for one page after a cursor.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from audit.errors import FetchError
from audit.sources.http import HttpClient, Response


@dataclass(frozen=True)
class Target:
    """Whom to collect: the account's id (for messages), handle and the `collect` table's settings."""

    account_id: str
    platform: str
    handle: str | None
    api: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def secret_from_env(self, client: HttpClient, default_env: str) -> str:
        """The API key or token named by `key_env`, registered with the client so no message shows it."""
        name = str(self.options.get("key_env") or default_env)
        value = os.environ.get(name, "").strip()
        if not value:
            raise FetchError(self.account_id, self.api, f"the environment variable {name} is empty",
                             f"set {name} to your API key (see README, Collecting live)")
        return client.secret(value)


@dataclass
class Page:
    """One step of a walk: files to store (name suffix with extension, text), the times on it, where to go next."""

    files: list[tuple[str, str]]
    times: list[datetime]
    next: str | None
    quota_units: int = 0


@dataclass
class Thread:
    """Replies others wrote under one post: the file to store (name, text) and each reply's language."""

    name: str
    text: str
    languages: list[str]


class ThreadSource(Protocol):
    """A source that can also fetch the replies others wrote (Mastodon, Bluesky): `collect.replies`."""

    def thread_keys(self, name: str, text: str) -> list[tuple[str, str]]: ...

    def thread(self, client: HttpClient, target: Target, ref: dict[str, Any], key: str) -> Thread: ...


class LiveSource(Protocol):
    """A platform's fetcher: resolve the account once, then fetch one page after a cursor.

    A source whose API reaches back only so many posts says so in a ``reach`` attribute (YouTube's
    uploads playlist); a walk that ends after that many is recorded as a coverage hole.
    """

    platform: str
    default_api: str
    needs_handle: bool

    def resolve(self, client: HttpClient, target: Target) -> dict[str, Any]: ...

    def page(self, client: HttpClient, target: Target, ref: dict[str, Any], cursor: str | None) -> Page: ...


def checked_json(client: HttpClient, response: Response, target: Target, what: str) -> Any:
    """The JSON of a response the source expects to be 2xx; other statuses become a FetchError."""
    url = client.shown_url(response.url)
    if response.status == 404:
        raise FetchError(target.account_id, url, f"{what} was not found (HTTP 404: deleted, private or "
                         "misspelt)", "check the account's handle and api in the accounts file")
    if response.status == 403 and "quotaExceeded" in _api_reason(response):
        raise FetchError(target.account_id, url, "the API's daily quota is used up (HTTP 403 quotaExceeded)",
                         "YouTube resets it at midnight Pacific time; run the same command after that: "
                         "collection resumes where it stopped")
    if response.status in (401, 403):
        raise FetchError(target.account_id, url, f"{what} needs access we do not have (HTTP "
                         f"{response.status}{_api_reason(response)})",
                         "check the API key or token, or whether the server allows public reading")
    if not 200 <= response.status < 300:
        raise FetchError(target.account_id, url, f"unexpected HTTP {response.status} for {what}",
                         "try again later; if it persists the API may have changed")
    return response.json(target.account_id, client.shown_url)


def _api_reason(response: Response) -> str:
    """The machine-readable reason of an API error body (YouTube's quotaExceeded), when there is one."""
    try:
        body = json.loads(response.text)
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        reasons = [e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)]
        return f": {', '.join(str(r) for r in reasons if r)}" if any(reasons) else ""
    return f": {error}" if isinstance(error, str) else ""


def page_json(data: Any) -> str:
    """A page as stored: compact UTF-8 JSON, exactly the records the API sent."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def malformed(client: HttpClient, target: Target, url: str, expected: str) -> FetchError:
    """The error for a page of the wrong shape: nothing of it is stored."""
    return FetchError(target.account_id, client.shown_url(url), f"expected {expected}",
                      "the API may have changed; nothing from this page was stored")


LIVE_PLATFORMS = ("mastodon", "bluesky", "youtube", "telegram")
"""Platforms the accounts file may mark `collect`; the ones without a source yet say so when collected."""


COLLECT_KEYS = {"api", "key_env", "channel_id", "overlap_hours", "replies"}
REPLY_PLATFORMS = ("mastodon", "bluesky")
DEFAULT_MAX_THREADS = 40
"""`replies = true`: the threads of at most this many posts per account and run (newest first)."""
MAX_THREADS = 1000
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")


def collect_table(entry: Mapping[str, Any]) -> dict[str, Any] | None:
    """An account's `collect` key as a table: `true` is an empty one, absent or `false` is None."""
    value = entry.get("collect")
    if value is True:
        return {}
    return dict(value) if isinstance(value, dict) else None


def collect_problems(entry: Mapping[str, Any]) -> Iterator[str]:
    """Problems of an account's `collect` key, each starting with its key path (as accounts.py reports)."""
    if "collect" not in entry:
        return
    value = entry["collect"]
    if value is False and "source" not in entry:
        yield "source: missing; an account that is not collected needs a source"
    if not isinstance(value, bool | dict):
        yield f"collect: expected true or a table such as {{ api = \"https://...\" }}, found {value!r}"
        return
    if value is False:
        return
    if entry.get("platform") not in LIVE_PLATFORMS:
        yield f"collect: live collection covers {', '.join(LIVE_PLATFORMS)}, not {entry.get('platform')!r}"
    table = value if isinstance(value, dict) else {}
    if "handle" not in entry and "channel_id" not in table:
        yield "handle: missing; a collected account needs the handle to collect"
    yield from (f"collect.{k}: unknown key (expected {', '.join(sorted(COLLECT_KEYS))})"
                for k in sorted(set(table) - COLLECT_KEYS))
    yield from (f"collect.{k}: {p}" for k, check in _COLLECT_CHECKS.items() if k in table
                for p in [check(table[k])] if p)
    if table.get("replies") and entry.get("platform") not in REPLY_PLATFORMS:
        yield f"collect.replies: replies by others are collected on {' and '.join(REPLY_PLATFORMS)} only"


def max_threads(table: Mapping[str, Any]) -> int:
    """How many posts' replies to fetch per run: 0 without `replies`, the default for `true`, else the number."""
    value = table.get("replies", False)
    return DEFAULT_MAX_THREADS if value is True else 0 if value is False else int(value)


def _api_url(value: Any) -> str | None:
    ok = isinstance(value, str) and urlsplit(value).scheme in ("http", "https") and bool(urlsplit(value).netloc)
    return None if ok else f"expected the server's base URL such as 'https://mastodon.social', found {value!r}"


def _env_name(value: Any) -> str | None:
    ok = isinstance(value, str) and _ENV_NAME.fullmatch(value)
    shown = "a name that is not one" if isinstance(value, str) else f"a {type(value).__name__}"
    return None if ok else f"expected the NAME of an environment variable (never the key itself), found {shown}"


def _channel(value: Any) -> str | None:
    ok = isinstance(value, str) and _CHANNEL_ID.fullmatch(value)
    return None if ok else f"expected a YouTube channel id (UC followed by 22 characters), found {value!r}"


def _hours(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 24 * 366
    return None if ok else f"expected a number of hours between 0 and 8784, found {value!r}"


def _replies(value: Any) -> str | None:
    ok = isinstance(value, bool) or (isinstance(value, int) and 1 <= value <= MAX_THREADS)
    return None if ok else (f"expected true, false or a number of posts from 1 to {MAX_THREADS} whose replies "
                            f"to fetch per run, found {value!r}")


_COLLECT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "api": _api_url, "key_env": _env_name, "channel_id": _channel, "overlap_hours": _hours, "replies": _replies,
}
