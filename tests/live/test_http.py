"""The shared HTTP client: retries, waits the server asks for, bounded patience, a clear last error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from audit.accounts import load_accounts
from audit.errors import FetchError
from audit.posts.live import collect_live
from audit.sources.http import HttpClient, Policy, Wait, reset_delay
from audit.version import __version__
from tests.live.fakes import MASTODON_ACCOUNT, FakeMastodon, accounts_file, loopback

NOW = datetime(2026, 12, 6, 14, 0, tzinfo=UTC)
LOOKUP = "https://diplo.example.social/api/v1/accounts/lookup"


def client_for(fake: FakeMastodon, retries: int = 3) -> tuple[HttpClient, list[float], list[Wait]]:
    waits: list[Wait] = []
    client, sleeps = fake.client(retries=retries, now=lambda: NOW, on_wait=waits.append)
    return client, sleeps, waits


def lookup(client: HttpClient) -> httpx.Response | object:
    return client.get(LOOKUP, "hq-en", params={"acct": "examplia_en@diplo.example.social"})


def test_requests_name_the_project_and_its_version():
    fake = FakeMastodon(1)
    client, _, _ = client_for(fake)
    lookup(client)
    assert fake.requests[0].headers["user-agent"].startswith(f"audit/{__version__} ")


def test_429_waits_what_retry_after_says_and_shows_when_the_wait_ends():
    fake = FakeMastodon(1)
    fake.fail("/lookup", httpx.Response(429, headers={"Retry-After": "30"}))
    client, sleeps, waits = client_for(fake)
    assert lookup(client).status == 200
    assert sleeps == [30.0] and waits[0].until == NOW + timedelta(seconds=30) and waits[0].reason == "HTTP 429"


def test_429_without_retry_after_waits_for_mastodons_rate_limit_reset():
    """Mastodon sends no Retry-After, only X-RateLimit-Reset as an ISO time (recorded header shape)."""
    fake = FakeMastodon(1)
    reset = (NOW + timedelta(seconds=95)).isoformat().replace("+00:00", ".483594Z")
    fake.fail("/lookup", httpx.Response(429, json={"error": "Too many requests"},
                                        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}))
    client, sleeps, _ = client_for(fake)
    lookup(client)
    assert sleeps == [pytest.approx(95.483594)]


@pytest.mark.parametrize("headers, seconds", [
    ({"x-ratelimit-reset": "2026-12-06T14:01:00.000000Z"}, 60),   # Mastodon: ISO 8601
    ({"ratelimit-reset": str(int(NOW.timestamp()) + 42)}, 42),    # Bluesky: epoch seconds
    ({"x-rate-limit-reset": str(int(NOW.timestamp()) + 7)}, 7),   # X: epoch seconds
    ({"ratelimit-reset": "12"}, 12),                                # IETF draft: seconds from now
], ids=["mastodon", "bluesky", "x", "ietf"])
def test_rate_limit_reset_headers_of_every_platform(headers, seconds):
    assert reset_delay(httpx.Headers(headers), NOW) == pytest.approx(seconds)


def test_an_exhausted_limit_holds_the_next_request_until_the_reset():
    fake = FakeMastodon(1)
    fake.fail("/lookup", httpx.Response(200, json={"id": "1"}, headers={
        "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-12-06T14:05:00Z"}))
    client, sleeps, waits = client_for(fake)
    lookup(client)
    lookup(client)
    assert sleeps == [300.0] and waits[0].reason == "rate limit used up"


def test_a_503_storm_gives_up_after_a_bounded_number_of_tries_with_backoff_and_jitter():
    fake = FakeMastodon(1)
    fake.fail("/lookup", *[httpx.Response(503)] * 10)
    client, sleeps, _ = client_for(fake, retries=3)
    with pytest.raises(FetchError) as caught:
        lookup(client)
    assert len(fake.requests) == 4 and len(sleeps) == 3
    assert all(0 <= s <= 0.5 * 2 ** i for i, s in enumerate(sleeps))
    message = str(caught.value)
    assert message.startswith(f"hq-en: {LOOKUP}?acct=examplia_en@diplo.example.social: gave up after 4 tries")
    assert "HTTP 503" in message and "run the same command later" in message


def test_timeouts_are_retried_then_reported():
    fake = FakeMastodon(1)
    fake.fail("/lookup", httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow"))
    client, sleeps, _ = client_for(fake)
    assert lookup(client).status == 200 and len(sleeps) == 2
    fake.fail("/lookup", *[httpx.ReadTimeout("slow")] * 4)
    with pytest.raises(FetchError, match="timed out"):
        lookup(client)


def test_a_real_timeout_on_a_loopback_server(tmp_path):
    """A server that answers too late: the client's own timeout fires, retries, then gives up."""
    import time

    def slow(request: httpx.Request) -> httpx.Response:
        time.sleep(0.5)
        return httpx.Response(200, json=[])

    with loopback(slow) as base:
        client = HttpClient(policy=Policy(retries=1, backoff=0.01, timeout=0.1), sleep=lambda s: None)
        with pytest.raises(FetchError, match="timed out"):
            client.get(f"{base}/api/v1/accounts/1/statuses", "hq-en")
        client.close()


def test_a_wait_longer_than_the_limit_is_an_error_saying_when_to_come_back():
    fake = FakeMastodon(1)
    fake.fail("/lookup", httpx.Response(429, headers={"Retry-After": "86400"}))
    client, sleeps, _ = client_for(fake)
    with pytest.raises(FetchError, match="wait until 2026-12-07 14:00 UTC"):
        lookup(client)
    assert sleeps == []


def test_secret_looking_query_values_and_registered_secrets_never_appear_in_messages():
    client = HttpClient()
    client.secret("s3cr3t-token")
    shown = client.shown_url("https://api.example/x?access_token=abc&appname=mine&q=s3cr3t-token&page=2")
    assert "abc" not in shown and "mine" not in shown and "s3cr3t-token" not in shown and "page=2" in shown


def test_waits_appear_on_the_progress_lines_with_their_end_time(tmp_path):
    fake = FakeMastodon(3)
    fake.fail("/statuses", httpx.Response(429, headers={"Retry-After": "120"}))
    client, _, _ = client_for(fake)
    lines: list[str] = []
    collect_live(load_accounts(accounts_file(tmp_path, MASTODON_ACCOUNT)), None, client, say=lines.append)
    assert "hq-en: waiting 120 s, until 14:02:00 UTC (HTTP 429)" in lines
