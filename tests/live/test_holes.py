"""What the collector could not see reaches the audit's coverage as a gap with its cause, never as a silence.

Each way a walk can leave a hole (it failed, the API gave empty pages with a cursor, the API reaches
back only so far, the first collection began later than the audit) is made on a replayed API and
read back through `collector_gaps`, the function the audit's coverage calls; the report's gaps table
then says which gaps the collector could not see.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from audit.accounts import load_accounts
from audit.collectors.youtube.live import YouTubeLive
from audit.posts.live import collect_live
from audit.posts.store import NOT_COLLECTED, collector_gaps
from tests.live.fakes import (
    BLUESKY_ACCOUNT,
    MASTODON_ACCOUNT,
    YOUTUBE_ACCOUNT,
    FakeApi,
    FakeBluesky,
    FakeMastodon,
    FakeYouTube,
    accounts_file,
)

NOVEMBER = (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def gaps_after(tmp_path: Any, fake: FakeApi, accounts: str = MASTODON_ACCOUNT, since: Any = None,
               span: tuple[datetime, datetime] = NOVEMBER) -> list[dict[str, Any]]:
    file = load_accounts(accounts_file(tmp_path, accounts))
    client, _ = fake.client(retries=2)
    collect_live(file, since, client)
    return collector_gaps(file.accounts[0], *span)


class BlueskyEmptyTail(FakeBluesky):
    """The AppView bug (bluesky-social/atproto#2127): after the first page, empty pages that still offer a cursor."""

    def route(self, request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        if request.url.path.endswith("getAuthorFeed") and cursor:
            return httpx.Response(200, json={"feed": [], "cursor": f"{cursor}x"})
        return super().route(request)


def test_a_walk_that_failed_is_a_gap_from_its_stop_time_to_the_oldest_post_reached(tmp_path: Any) -> None:
    fake = FakeMastodon(100)  # 2026-11-01 00:00 to 11-05 03:00, one an hour; page 2 reaches back to 11-02
    fake.fail("/statuses", None, *[httpx.Response(503)] * 3)
    [gap] = gaps_after(tmp_path, fake, since=datetime(2026, 11, 1).date())
    assert (gap["from"], gap["to"], gap["cause"]) == ("2026-11-01", "2026-11-03", NOT_COLLECTED)
    assert gap["reason"] == "gave up after 3 tries (HTTP 503)" and gap["account_id"] == "hq-en"


def test_a_hole_is_closed_when_a_later_run_completes_the_walk(tmp_path: Any) -> None:
    fake = FakeMastodon(100)
    fake.fail("/statuses", None, *[httpx.Response(503)] * 3)
    assert gaps_after(tmp_path, fake, since=datetime(2026, 11, 1).date())
    assert gaps_after(tmp_path, fake, since=datetime(2026, 11, 1).date()) == []


def test_empty_pages_with_a_cursor_end_the_walk_and_leave_a_hole_back_to_the_start(tmp_path: Any) -> None:
    span = (datetime(2023, 1, 1, tzinfo=UTC), datetime(2024, 1, 1, tzinfo=UTC))  # the recorded 2023 feed
    [gap] = gaps_after(tmp_path, BlueskyEmptyTail(size=10), BLUESKY_ACCOUNT, span=span)
    assert gap["from"] == "2023-01-01" and "empty pages in a row" in gap["reason"]


def test_an_api_that_reaches_back_only_so_far_leaves_a_hole_before_the_oldest_post(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_YOUTUBE_KEY", "k-123")
    monkeypatch.setattr(YouTubeLive, "reach", 8)  # the uploads playlist's ~20,000, made small
    span = (datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))
    [gap] = gaps_after(tmp_path, FakeYouTube(8, "k-123"), YOUTUBE_ACCOUNT, span=span)  # 2026-06-01 to 06-08
    assert (gap["from"], gap["to"]) == ("2026-05-01", "2026-06-01")
    assert "reaches back only about 8 posts" in gap["reason"]


def test_days_before_the_first_collection_reached_are_a_gap_for_an_account_read_from_the_store(tmp_path: Any) -> None:
    [gap] = gaps_after(tmp_path, FakeMastodon(100), since=datetime(2026, 11, 3).date())
    assert (gap["from"], gap["to"]) == ("2026-11-01", "2026-11-03")
    assert gap["reason"] == "not collected before 2026-11-03 (where the first collection stopped)"


def test_a_complete_collection_leaves_no_gap(tmp_path: Any) -> None:
    assert gaps_after(tmp_path, FakeMastodon(100), since=datetime(2026, 11, 1).date()) == []
