"""Telegram public web preview, live: pages by ?before=, stored as HTML, read by telegram_preview."""

from __future__ import annotations

from audit.accounts import load_accounts
from audit.collectors.table import validate_posts
from audit.collectors.telegram.preview import abbreviated_count
from audit.posts.collect import collect_account
from audit.posts.live import collect_live
from tests.live.fakes import TELEGRAM_ACCOUNT, FakeTelegram, accounts_file


def run(tmp_path, fake):
    file = load_accounts(accounts_file(tmp_path, TELEGRAM_ACCOUNT))
    client, _ = fake.client()
    [done] = collect_live(file, None, client)
    return file, done


def test_a_channel_is_paged_back_to_its_first_post_and_read_like_an_export(tmp_path):
    fake = FakeTelegram(45)
    file, done = run(tmp_path, fake)
    assert done.error is None and done.pages == 3 and done.posts == 45
    posts = validate_posts(collect_account(file.accounts[0]).posts)
    assert sorted(posts["post_id"]) == sorted(f"examplia_mfa/{n}" for n in range(1, 46))
    assert posts["views"].to_list() == [2500] * 45 and posts["likes"].is_null().all()
    assert [r.url.params.get("before") for r in fake.requests] == [None, "26", "6"]


def test_a_channel_without_a_public_preview_is_an_error_saying_so(tmp_path):
    _, done = run(tmp_path, FakeTelegram(5, preview=False))
    assert "the channel has no public web preview" in done.error


def test_abbreviated_counts_are_read_as_telegram_rounds_them():
    assert [abbreviated_count(v) for v in ("734", "2.5K", "1.2M", "", None, "n/a")] == [
        734, 2500, 1_200_000, None, None, None]
