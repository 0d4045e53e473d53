"""One HTTP client for every live source: timeouts, a named User-Agent, polite retries, no secrets shown.

Why it is written once: rate limits and faults look the same on every platform (429 and 5xx, with
``Retry-After``, ``X-RateLimit-*`` or ``RateLimit-*`` headers, or nothing at all), and a collector
that gets one of them wrong either hammers a server or sleeps silently for hours. So every request
goes through :meth:`HttpClient.get`, which

* retries 429, 5xx, timeouts and dropped connections a bounded number of times, waiting what the
  server asked for (``Retry-After``, else the reset time of an exhausted rate limit), else an
  exponential backoff with full jitter;
* waits before the next request when a success says the limit is used up (remaining 0);
* tells the caller about every wait longer than a few seconds, with the time it ends, so progress
  lines never go silent;
* raises :class:`FetchError` naming the account, the URL with secrets removed, and what to do.

Secrets (tokens, API keys) travel in headers only; they are registered with the client, which
blanks them out of every message it builds. Redirects are not followed, so a header never travels
to another host: a source that expects one (Telegram's preview) judges the 3xx itself. httpx
logs full URLs at INFO (encode/httpx#2760), so its loggers are turned down here.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from audit.errors import FetchError
from audit.version import __version__

USER_AGENT = f"audit/{__version__} (public-diplomacy social-media audit toolkit; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SECRET_PARAMS = re.compile(r"key|token|secret|password|appname|signature|auth", re.I)
SHOW_WAITS_OVER = 3.0
"""Waits longer than this many seconds are reported to the progress display."""
MAX_WAIT = 3600.0
"""A server asking for a longer pause than an hour is not waited for: the error says to come back later."""

for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)


@dataclass(frozen=True)
class Wait:
    """A pause the client is about to take: how long, until when, and why."""

    seconds: float
    until: datetime
    reason: str


@dataclass
class Response:
    """What a source needs from a response: the decoded JSON or text, the headers, the final URL."""

    status: int
    headers: httpx.Headers
    text: str
    url: str

    def json(self, account: str, secrets: Callable[[str], str]) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            raise FetchError(account, secrets(self.url), "the server answered with a page that is not JSON",
                             "the API may have changed or a proxy is in the way; nothing was stored") from None


@dataclass
class Policy:
    """How patient the client is; tests shrink the waits, users keep the defaults."""

    retries: int = 5
    backoff: float = 2.0
    """Base of the exponential backoff, in seconds: attempt n waits up to backoff * 2**n."""
    max_backoff: float = 120.0
    timeout: float = 30.0
    max_wait: float = MAX_WAIT


@dataclass
class HttpClient:
    """The shared client. `transport` is for tests (httpx.MockTransport); `sleep` and `now` too."""

    policy: Policy = field(default_factory=Policy)
    transport: httpx.BaseTransport | None = None
    on_wait: Callable[[Wait], None] = lambda wait: None
    sleep: Callable[[float], None] = lambda seconds: time.sleep(seconds)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    rng: random.Random = field(default_factory=random.Random)
    requests: int = 0
    _secrets: set[str] = field(default_factory=set)
    _client: httpx.Client | None = None
    _not_before: datetime | None = None

    def secret(self, value: str) -> str:
        """Register a token or key so that no message built here ever shows it; returns it unchanged."""
        if value:
            self._secrets.add(value)
        return value

    def redact(self, text: str) -> str:
        """`text` with registered secrets and secret-looking query values blanked out."""
        for value in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(value, "***")
        return text

    def shown_url(self, url: str) -> str:
        """The URL as messages show it: query parameters that look like credentials are blanked."""
        parts = urlsplit(url)
        query = [(k, "***" if SECRET_PARAMS.search(k) else v) for k, v in parse_qsl(parts.query, True)]
        return self.redact(urlunsplit(parts._replace(query=urlencode(query, safe="@:,/*"))))

    def get(self, url: str, account: str, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> Response:
        """GET with retries; any status left that is not 2xx is the caller's to judge."""
        request_url = str(httpx.URL(url, params={k: v for k, v in (params or {}).items() if v is not None}))
        for attempt in range(self.policy.retries + 1):
            self._pause_if_limited(account)
            outcome = self._attempt(request_url, headers or {})
            if isinstance(outcome, Response) and outcome.status not in RETRY_STATUSES:
                self._note_limits(outcome.headers)
                return outcome
            if attempt == self.policy.retries:
                break
            self._wait(self._delay(outcome, attempt), self._why(outcome), account, request_url)
        raise FetchError(account, self.shown_url(request_url), f"gave up after {self.policy.retries + 1} tries "
                         f"({self._why(outcome)})", "the server is overloaded or limiting us; run the same "
                         "command later: collection resumes where it stopped")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # --- one attempt ------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                http2=importlib.util.find_spec("h2") is not None, transport=self.transport,
                timeout=httpx.Timeout(self.policy.timeout, connect=min(10.0, self.policy.timeout)),
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"}, follow_redirects=False,
            )
        return self._client

    def _attempt(self, url: str, headers: Mapping[str, str]) -> Response | str:
        """The response, or why the request did not get one (a timeout, a dropped connection)."""
        self.requests += 1
        try:
            r = self._http().get(url, headers=dict(headers))
        except httpx.TimeoutException:
            return "timed out"
        except httpx.TransportError as e:
            return f"connection failed: {self.redact(type(e).__name__)}"
        return Response(r.status_code, r.headers, r.text, str(r.url))

    def _why(self, outcome: Response | str) -> str:
        return outcome if isinstance(outcome, str) else f"HTTP {outcome.status}"

    # --- waiting ----------------------------------------------------------------------------

    def _delay(self, outcome: Response | str, attempt: int) -> float:
        """What the server asked for, else exponential backoff with full jitter."""
        asked = server_delay(outcome.headers, self.now()) if isinstance(outcome, Response) else None
        if asked is not None:
            return asked
        return self.rng.uniform(0, min(self.policy.max_backoff, self.policy.backoff * 2 ** attempt))

    def _wait(self, seconds: float, reason: str, account: str, url: str) -> None:
        if seconds > self.policy.max_wait:
            until = (self.now() + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M UTC")
            raise FetchError(account, self.shown_url(url), f"the server asks us to wait until {until} ({reason})",
                             "run the same command after that time: collection resumes where it stopped")
        if seconds > SHOW_WAITS_OVER:
            self.on_wait(Wait(seconds, self.now() + timedelta(seconds=seconds), reason))
        if seconds > 0:
            self.sleep(seconds)

    def _note_limits(self, headers: httpx.Headers) -> None:
        """An exhausted limit (remaining 0) holds the next request until its reset time."""
        remaining = _first(headers, "x-ratelimit-remaining", "ratelimit-remaining")
        if remaining is not None and remaining.strip() == "0":
            delay = reset_delay(headers, self.now())
            if delay:
                self._not_before = self.now() + timedelta(seconds=delay)

    def _pause_if_limited(self, account: str) -> None:
        if self._not_before is None:
            return
        seconds, self._not_before = (self._not_before - self.now()).total_seconds(), None
        if seconds > 0:
            self._wait(seconds, "rate limit used up", account, "")


def server_delay(headers: httpx.Headers, now: datetime) -> float | None:
    """Seconds the server asked us to wait: Retry-After (seconds or HTTP date), else a rate-limit reset."""
    retry_after = headers.get("retry-after")
    if retry_after:
        seconds = _seconds_or_date(retry_after.strip(), now)
        if seconds is not None:
            return max(0.0, seconds)
    return reset_delay(headers, now)


def reset_delay(headers: httpx.Headers, now: datetime) -> float | None:
    """Seconds until a rate-limit window resets.

    Mastodon sends ``X-RateLimit-Reset`` as an ISO 8601 time, X as epoch seconds, Bluesky's
    ``RateLimit-Reset`` as epoch seconds, the IETF draft as seconds from now; a number larger than
    a year of seconds is an epoch time.
    """
    value = _first(headers, "x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset")
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        number = float(value)
        return max(0.0, number - now.timestamp() if number > 365 * 86400 else number)
    try:
        return max(0.0, (datetime.fromisoformat(value.replace("Z", "+00:00")) - now).total_seconds())
    except ValueError:
        return None


def _seconds_or_date(value: str, now: datetime) -> float | None:
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        return (parsedate_to_datetime(value) - now).total_seconds()
    except (TypeError, ValueError):
        return None


def _first(headers: httpx.Headers, *names: str) -> str | None:
    return next((headers[n] for n in names if n in headers), None)


def link_next(headers: httpx.Headers) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header (Mastodon paging), or None."""
    for part in headers.get("link", "").split(","):
        match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', part)
        if match:
            return match.group(1)
    return None
