"""YouTube Data API v3 live: uploads playlist paging, videos with statistics, quota counted, key kept secret."""

from __future__ import annotations

import httpx

from audit.accounts import load_accounts
from audit.collectors.table import validate_posts
from audit.posts.collect import collect_account
from audit.posts.live import collect_live
from tests.live.fakes import YOUTUBE_ACCOUNT, FakeYouTube, accounts_file

KEY = "AIzaSy-test-key-value-0123456789"


def run(tmp_path, fake, monkeypatch, since=None):
    monkeypatch.setenv("TEST_YOUTUBE_KEY", KEY)
    file = load_accounts(accounts_file(tmp_path, YOUTUBE_ACCOUNT))
    client, _ = fake.client()
    lines: list[str] = []
    [done] = collect_live(file, since, client, say=lines.append)
    return file, done, lines


def test_uploads_are_paged_to_the_end_with_statistics_and_quota_counted(tmp_path, monkeypatch):
    fake = FakeYouTube(120, KEY)
    file, done, lines = run(tmp_path, fake, monkeypatch)
    assert done.error is None and done.posts == 120 and done.pages == 3
    assert done.quota_units == 1 + 3 * 2  # channels.list, then playlistItems + videos per page
    assert any("7 quota units used" in line for line in lines)
    posts = validate_posts(collect_account(file.accounts[0]).posts)
    assert posts.height == 120 and posts["views"].is_not_null().all()
    assert all(KEY not in str(r.url) for r in fake.requests)


def test_a_used_up_quota_says_when_it_comes_back(tmp_path, monkeypatch):
    fake = FakeYouTube(3, KEY)
    body = {"error": {"code": 403, "errors": [{"domain": "youtube.quota", "reason": "quotaExceeded"}]}}
    fake.fail("/playlistItems", httpx.Response(403, json=body))
    _, done, _ = run(tmp_path, fake, monkeypatch)
    assert "daily quota is used up" in done.error and "midnight Pacific time" in done.error
    assert KEY not in done.error
