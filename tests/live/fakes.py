"""Replay servers for live-collection tests: recorded real responses, and pages derived from them.

A fake API is a function from an httpx.Request to an httpx.Response, so the same fake serves
httpx.MockTransport (most tests) and a real loopback HTTP server (the CLI test). Faults are queued
per path: the next requests to a path get the queued responses (or exceptions) first; a queued
None lets one request through, so `fail(path, None, None, KeyboardInterrupt())` kills the third.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from audit.sources.http import HttpClient, Policy

LIVE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "live"
ACCOUNT_ID = "117020565966271181"
Fault = httpx.Response | BaseException | None
"""A queued answer: a response, an exception to raise, or None for the normal answer."""


def recorded(name: str) -> Any:
    return json.loads((LIVE / name).read_text(encoding="utf-8"))


def recorded_headers(name: str) -> dict[str, str]:
    """The response headers kept beside a recorded body (`*.http.json`), one value each."""
    data = recorded(name.replace(".json", ".http.json"))
    return {k: v[0] for k, v in data["selected_response_headers"].items()}


class FakeApi:
    """Routes plus queued faults; records every request it saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.faults: dict[str, list[Fault]] = {}

    def fail(self, path_part: str, *faults: Fault) -> None:
        self.faults.setdefault(path_part, []).extend(faults)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for part, queued in self.faults.items():
            if part in request.url.path and queued:
                fault = queued.pop(0)
                if isinstance(fault, BaseException):
                    raise fault
                if fault is not None:
                    return fault
                break
        return self.route(request)

    def route(self, request: httpx.Request) -> httpx.Response:
        raise NotImplementedError

    def client(self, retries: int = 3, **kwargs: Any) -> tuple[HttpClient, list[float]]:
        """A client on this fake with instant, recorded sleeps."""
        sleeps: list[float] = []
        policy = Policy(retries=retries, backoff=0.5, max_backoff=4.0)
        return HttpClient(policy=policy, transport=httpx.MockTransport(self), sleep=sleeps.append, **kwargs), sleeps


class FakeMastodon(FakeApi):
    """One account whose statuses are copies of a recorded real status, one hour apart, newest first."""

    def __init__(self, count: int, start: datetime = datetime(2026, 11, 1, tzinfo=UTC)) -> None:
        super().__init__()
        self.start = start
        self.statuses: list[dict[str, Any]] = []
        self.add(count)

    def add(self, count: int) -> None:
        """`count` newer statuses (the account posted again)."""
        base = recorded("mastodon/mastodon_social__statuses_id__local_edited.json")
        for _ in range(count):
            n = len(self.statuses)
            status = copy.deepcopy(base)
            status["id"] = str(110446183735368325 + n * 1000)
            status["created_at"] = (self.start + timedelta(hours=n)).isoformat().replace("+00:00", ".000Z")
            status["content"] = f"<p>Statement number {n} on consular services.</p>"
            status["edited_at"] = None
            self.statuses.insert(0, status)

    token: str | None = None
    """When set, the server refuses anonymous reading (DISALLOW_UNAUTHENTICATED_API_ACCESS): 401."""

    def route(self, request: httpx.Request) -> httpx.Response:
        path, params = request.url.path, request.url.params
        if self.token and request.headers.get("authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"error": "This API requires an authenticated user"})
        if path == "/api/v1/accounts/lookup":
            if params.get("acct") != "examplia_en@diplo.example.social":
                name = "mastodon/api_v1_accounts_lookup__404.json"
                return httpx.Response(404, json=recorded(name), headers=recorded_headers(name))
            name = "mastodon/api_v1_accounts_lookup__200.json"
            return httpx.Response(200, json=recorded(name), headers=recorded_headers(name))
        if path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
            return self.page(request)
        if path.startswith("/api/v1/statuses/") and path.endswith("/context"):
            return self.context(path.split("/")[4])
        return httpx.Response(404, json={"error": "Record not found"})

    def context(self, status_id: str) -> httpx.Response:
        """The recorded /context (one ancestor, one reply by another account, in German) under `status_id`."""
        if status_id not in {s["id"] for s in self.statuses}:
            return httpx.Response(404, json={"error": "Record not found"})
        name = "mastodon/mastodon_social__statuses_id_context.json"
        data = recorded(name)
        for reply in data["descendants"]:
            reply["in_reply_to_id"] = status_id
        return httpx.Response(200, json=data, headers=recorded_headers(name))

    def page(self, request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params.get("limit", 20))
        max_id = request.url.params.get("max_id")
        older = [s for s in self.statuses if max_id is None or int(s["id"]) < int(max_id)][:limit]
        headers = recorded_headers("mastodon/mastodon_social__statuses_id__local_edited.json")
        if older:  # like Mastodon: a next link on every non-empty page, so the last one leads to []
            url = request.url.copy_merge_params({"max_id": older[-1]["id"]})
            headers["link"] = f'<{url}>; rel="next"'
        return httpx.Response(200, json=older, headers=headers)


class FakeBluesky(FakeApi):
    """The recorded 25-item author feed (with 2 reposts), served in pages of `size` with opaque cursors."""

    def __init__(self, size: int = 10) -> None:
        super().__init__()
        self.size = size
        self.feed = recorded("bluesky/getAuthorFeed__page1_2023.json")["feed"]

    def route(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if method == "com.atproto.identity.resolveHandle":
            return httpx.Response(200, json=recorded("bluesky/resolveHandle.json"))
        if method == "app.bsky.actor.getProfile":
            return httpx.Response(200, json=recorded("bluesky/getProfile.json"))
        if method == "app.bsky.feed.getPostThread":
            thread = recorded("bluesky/getPostThread__with_replies_2023.json")  # 4 replies by other accounts
            thread["thread"]["post"]["uri"] = request.url.params["uri"]
            return httpx.Response(200, json=thread)
        if method == "app.bsky.feed.getAuthorFeed":
            start = int(request.url.params.get("cursor", "c0")[1:])
            page = {"feed": self.feed[start:start + self.size]}
            if start + self.size < len(self.feed):
                page["cursor"] = f"c{start + self.size}"
            return httpx.Response(200, json=page, headers={"ratelimit-limit": "3000", "ratelimit-remaining": "2999"})
        return httpx.Response(400, json={"error": "InvalidRequest", "message": f"unknown method {method}"})


@contextmanager
def loopback(fake: Callable[[httpx.Request], httpx.Response]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering with `fake`; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            url = f"http://{self.headers['Host']}{self.path}"
            request = httpx.Request("GET", url, headers=dict(self.headers.items()))
            response = fake(request)
            body = response.read()
            self.send_response(response.status_code)
            for key, value in response.headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "content-encoding"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def accounts_file(folder: Path, accounts: str) -> Path:
    path = folder / "accounts.toml"
    path.write_text('[ministry]\nname = "Ministry of Foreign Affairs of Examplia"\ncountry = "KR"\n\n' + accounts,
                    encoding="utf-8")
    return path


MASTODON_ACCOUNT = """
[[accounts]]
id = "hq-en"
role = "ministry"
platform = "mastodon"
handle = "@examplia_en@diplo.example.social"
collect = { api = "https://diplo.example.social" }
"""

BLUESKY_ACCOUNT = """
[[accounts]]
id = "hq-bsky"
role = "ministry"
platform = "bluesky"
handle = "shinyakato.dev"
collect = true
"""


SAMPLES = LIVE.parent


class FakeYouTube(FakeApi):
    """A channel (the recorded channels.list) whose uploads are copies of a recorded video, one a day.

    playlistItems pages copy a recorded playlist item; videos.list copies the recorded video with its
    statistics. The key must arrive in the X-Goog-Api-Key header, as Google's system parameter.
    """

    def __init__(self, count: int, key: str, start: datetime = datetime(2026, 6, 1, tzinfo=UTC)) -> None:
        super().__init__()
        self.key = key
        video = json.loads((SAMPLES / "youtube/videos_list__snippet_contentDetails_status_statistics.json")
                           .read_text(encoding="utf-8"))["items"][0]
        item = json.loads((SAMPLES / "youtube/playlistItems_list__page1.json").read_text(encoding="utf-8"))["items"][0]
        self.videos, self.items = [], []
        for n in reversed(range(count)):
            when = (start + timedelta(days=n)).isoformat().replace("+00:00", "Z")
            vid = f"vid{n:08d}"
            v = copy.deepcopy(video)
            v["id"], v["snippet"]["publishedAt"], v["snippet"]["title"] = vid, when, f"Briefing {n}"
            i = copy.deepcopy(item)
            i["contentDetails"] = {"videoId": vid, "videoPublishedAt": when}
            i["snippet"]["resourceId"]["videoId"] = vid
            self.videos.append(v)
            self.items.append(i)

    def route(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-goog-api-key") != self.key or "key" in request.url.params:
            return httpx.Response(400, json={"error": {"code": 400, "errors": [{"reason": "keyInvalid"}]}})
        resource, params = request.url.path.rsplit("/", 1)[-1], request.url.params
        if resource == "channels":
            return httpx.Response(200, json=recorded("youtube/channels_list__contentDetails_statistics_2022.json"))
        if resource == "playlistItems":
            start = int(params.get("pageToken", "t0")[1:])
            size = int(params.get("maxResults", 5))
            page = {"kind": "youtube#playlistItemListResponse", "items": self.items[start:start + size]}
            if start + size < len(self.items):
                page["nextPageToken"] = f"t{start + size}"
            return httpx.Response(200, json=page)
        if resource == "videos":
            wanted = params["id"].split(",")
            return httpx.Response(200, json={"kind": "youtube#videoListResponse",
                                             "items": [v for v in self.videos if v["id"] in wanted]})
        return httpx.Response(404)


YOUTUBE_ACCOUNT = """
[[accounts]]
id = "hq-yt"
role = "ministry"
platform = "youtube"
handle = "@google"
collect = { key_env = "TEST_YOUTUBE_KEY" }
"""


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


class FakeTelegram(FakeApi):
    """A public channel's web preview: `count` posts (numbered 1..count, one every 2 hours), 20 a page.

    Each post is the fixture page's first post (tests/../fixtures/telegram_preview) renumbered.
    """

    def __init__(self, count: int, channel: str = "examplia_mfa", preview: bool = True) -> None:
        super().__init__()
        self.count, self.channel, self.preview = count, channel, preview
        page = (FIXTURES / "telegram_preview" / "channel_page.html").read_text(encoding="utf-8")
        start = page.index('<div class="tgme_widget_message_wrap', page.index('data-post="examplia_mfa/96"'))
        self.template = page[start:page.index('<div class="tgme_widget_message_wrap', start + 10)]

    def post(self, n: int) -> str:
        when = (datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=2 * n)).isoformat()
        return (self.template.replace("examplia_mfa/97", f"{self.channel}/{n}")
                .replace("2026-11-19T09:30:05+00:00", when).replace("Consular hours", f"Notice {n}: consular hours"))

    def route(self, request: httpx.Request) -> httpx.Response:
        if not self.preview:
            return httpx.Response(302, headers={"location": f"https://t.me/{self.channel}"}) \
                if request.url.path.startswith("/s/") else httpx.Response(200, text="<html>channel page</html>")
        before = int(request.url.params.get("before", self.count + 1))
        numbers = list(range(max(1, before - 20), before))
        more = (f'<a href="/s/{self.channel}?before={numbers[0]}" data-before="{numbers[0]}" '
                'class="tme_messages_more js-messages_more"></a>') if numbers and numbers[0] > 1 else ""
        body = "<html><body><section>" + more + "".join(map(self.post, numbers)) + "</section></body></html>"
        return httpx.Response(200, text=body, headers={"content-type": "text/html; charset=utf-8"})


TELEGRAM_ACCOUNT = """
[[accounts]]
id = "emb-tg"
role = "embassy"
platform = "telegram"
handle = "@examplia_mfa"
collect = true
"""
