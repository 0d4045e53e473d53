"""Replies others wrote (`collect.replies`): Mastodon /context and Bluesky getPostThread, replayed from recordings.

They are stored beside the account's posts (``replies/``), never read as the account's posts, bounded
per run, and counted with their languages in the collection summary.
"""

from __future__ import annotations

import json

import httpx
import pytest

from audit.accounts import load_accounts
from audit.errors import ConfigError
from audit.posts.collect import collect_account
from audit.posts.live import collect_live
from audit.posts.store import Store
from tests.live.fakes import (
    BLUESKY_ACCOUNT,
    MASTODON_ACCOUNT,
    TELEGRAM_ACCOUNT,
    FakeBluesky,
    FakeMastodon,
    accounts_file,
)

MASTODON_REPLIES = MASTODON_ACCOUNT.replace('collect = { api = "https://diplo.example.social" }',
                                            'collect = { api = "https://diplo.example.social", replies = true }')
BLUESKY_REPLIES = BLUESKY_ACCOUNT.replace("collect = true", "collect = { replies = true }")


def with_replies(fake: FakeMastodon, *positions: int) -> FakeMastodon:
    """Statuses at these positions (0 = newest) have replies, as their replies_count says."""
    for n in positions:
        fake.statuses[n]["replies_count"] = 1
    return fake


def collect(tmp_path, fake, accounts):
    file = load_accounts(accounts_file(tmp_path, accounts))
    client, _ = fake.client()
    lines: list[str] = []
    [run] = collect_live(file, None, client, say=lines.append)
    return file, run, lines


def test_mastodon_replies_are_stored_beside_the_posts_with_their_language(tmp_path):
    fake = with_replies(FakeMastodon(95), 3, 50, 90)
    file, run, lines = collect(tmp_path, fake, MASTODON_REPLIES)
    store = Store.beside(tmp_path, "hq-en")
    stored = sorted(p.name for p in store.replies.iterdir())
    assert stored == sorted(f"{fake.statuses[n]['id']}-context.json" for n in (3, 50, 90))
    assert run.error is None and run.replies is not None
    assert (run.replies.threads, run.replies.replies, dict(run.replies.languages)) == (3, 3, {"de": 3})
    descendant = json.loads((store.replies / stored[0]).read_text())["descendants"][0]
    assert descendant["language"] == "de" and descendant["account"]["acct"] == "halcy"  # kept as the API sent it
    assert "hq-en: 3 replies by others under 3 posts" in lines
    manifest = json.loads((store.root / "manifest.json").read_text())
    assert manifest["runs"][-1]["replies"] == {"threads": 3, "replies_by_others": 3, "languages": {"de": 3}}


def test_replies_are_not_read_as_the_accounts_posts(tmp_path):
    fake = with_replies(FakeMastodon(20), 0, 1)
    file, _, _ = collect(tmp_path, fake, MASTODON_REPLIES)
    posts = collect_account(file.accounts[0]).posts
    assert posts.height == 20 and sorted(posts["post_id"]) == sorted(s["id"] for s in fake.statuses)


def test_at_most_the_asked_number_of_threads_newest_first(tmp_path):
    fake = with_replies(FakeMastodon(95), 1, 2, 40, 60, 94)
    accounts = MASTODON_REPLIES.replace("replies = true", "replies = 2")
    _, run, _ = collect(tmp_path, fake, accounts)
    asked = [r.url.path.split("/")[4] for r in fake.requests if r.url.path.endswith("/context")]
    assert asked == [fake.statuses[1]["id"], fake.statuses[2]["id"]] and run.replies.threads == 2


def test_without_replies_no_thread_is_asked_for(tmp_path):
    fake = with_replies(FakeMastodon(10), 0)
    _, run, _ = collect(tmp_path, fake, MASTODON_ACCOUNT)
    assert run.replies is None and not [r for r in fake.requests if r.url.path.endswith("/context")]
    assert not Store.beside(tmp_path, "hq-en").replies.exists()


def test_a_thread_that_cannot_be_fetched_stops_the_replies_with_a_note_and_keeps_the_posts(tmp_path):
    fake = with_replies(FakeMastodon(30), 0, 5)
    fake.fail("/context", httpx.Response(404, json={"error": "Record not found"}))  # deleted since
    file, run, lines = collect(tmp_path, fake, MASTODON_REPLIES)
    assert run.error is None and run.posts == 30 and run.replies.threads == 0
    assert "was not found (HTTP 404" in run.replies.error
    assert any(line.startswith("hq-en: replies stopped: hq-en: ") for line in lines)


def test_only_the_posts_this_run_stored_are_asked_for_again(tmp_path):
    fake = with_replies(FakeMastodon(95), 50)
    collect(tmp_path, fake, MASTODON_REPLIES)
    fake.requests.clear()
    _, run, _ = collect(tmp_path, fake, MASTODON_REPLIES)  # the next run's walk reaches back 24 hours only
    assert run.replies.threads == 0 and not [r for r in fake.requests if r.url.path.endswith("/context")]


def test_bluesky_replies_come_from_post_threads_without_their_parents(tmp_path):
    fake = FakeBluesky(size=10)
    _, run, _ = collect(tmp_path, fake, BLUESKY_REPLIES)
    threads = [r for r in fake.requests if r.url.path.endswith("getPostThread")]
    own = [i["post"] for i in fake.feed if "reason" not in i and i["post"].get("replyCount")]
    assert len(threads) == len(own) and {r.url.params["uri"] for r in threads} == {p["uri"] for p in own}
    assert all(r.url.params["parentHeight"] == "0" and r.url.params["depth"] == "10" for r in threads)
    assert run.replies.replies == 4 * len(own) and dict(run.replies.languages) == {"und": 4 * len(own)}
    stored = sorted(p.name for p in Store.beside(tmp_path, "hq-bsky").replies.iterdir())
    assert stored == sorted(f"{p['uri'].rsplit('/', 1)[-1]}-thread.json" for p in own)


@pytest.mark.parametrize(("accounts", "problem"), [
    (MASTODON_REPLIES.replace("replies = true", 'replies = "yes"'), "collect.replies: expected true, false or a"),
    (MASTODON_REPLIES.replace("replies = true", "replies = 0"), "collect.replies: expected true, false or a"),
    (TELEGRAM_ACCOUNT.replace("collect = true", "collect = { replies = true }"),
     "collect.replies: replies by others are collected on mastodon and bluesky only"),
], ids=["text", "zero", "telegram"])
def test_a_wrong_replies_key_is_a_config_error(tmp_path, accounts, problem):
    with pytest.raises(ConfigError) as caught:
        load_accounts(accounts_file(tmp_path, accounts))
    assert problem in str(caught.value)
