"""Collecting into the store, on replayed Mastodon and Bluesky APIs: paging, resuming, incremental runs.

Each test reads the store back through the ordinary readers (collect_account), so what is checked is
what an audit would see.
"""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from audit.accounts import load_accounts
from audit.collectors.table import validate_posts
from audit.errors import InputError
from audit.posts.collect import collect_account
from audit.posts.live import collect_live
from audit.posts.store import Store
from tests.live.fakes import (
    BLUESKY_ACCOUNT,
    MASTODON_ACCOUNT,
    FakeBluesky,
    FakeMastodon,
    accounts_file,
    recorded,
)


def collected(tmp_path, fake, accounts=MASTODON_ACCOUNT, since=None):
    file = load_accounts(accounts_file(tmp_path, accounts))
    client, sleeps = fake.client()
    lines: list[str] = []
    runs = collect_live(file, since, client, say=lines.append)
    return file, runs, lines


def manifest(tmp_path, account_id="hq-en"):
    return json.loads((Store.beside(tmp_path, account_id).root / "manifest.json").read_text())


def test_paging_to_the_end_stores_every_post_and_the_audit_reads_them(tmp_path):
    fake = FakeMastodon(95)
    file, [run], lines = collected(tmp_path, fake)
    posts = collect_account(file.accounts[0]).posts
    assert run.error is None and run.posts == 95 and run.pages == 4  # 40 + 40 + 15 + the empty page
    assert sorted(posts["post_id"]) == sorted(s["id"] for s in fake.statuses)
    assert posts["text"].str.starts_with("Statement number").all()
    assert any("page 3: 15 posts" in line for line in lines)
    assert manifest(tmp_path)["complete"] is True and manifest(tmp_path)["pending"] is None


@pytest.mark.parametrize("fake, accounts, account_id", [
    (FakeMastodon(12), MASTODON_ACCOUNT, "hq-en"),
    (FakeBluesky(), BLUESKY_ACCOUNT, "hq-bsky"),
], ids=["mastodon", "bluesky"])
def test_contract_collected_rows_pass_posts_validation(tmp_path, fake, accounts, account_id):
    file, [run], _ = collected(tmp_path, fake, accounts)
    posts = collect_account(file.account(account_id)).posts
    assert run.error is None and posts.height > 0
    validate_posts(posts)


def test_a_live_post_and_the_same_post_exported_by_hand_are_one_row(tmp_path):
    """The export holds one recorded status; the live account serves the same one: dedupe keeps one."""
    fake = FakeMastodon(3)
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "page.json").write_text(json.dumps([fake.statuses[1]]), encoding="utf-8")
    accounts = MASTODON_ACCOUNT + 'source = "export"\n'
    file, _, _ = collected(tmp_path, fake, accounts)
    result = collect_account(file.accounts[0])
    assert result.posts.height == 3 and result.duplicates == 1


def test_bluesky_pages_by_cursor_and_keeps_reposts(tmp_path):
    file, [run], _ = collected(tmp_path, FakeBluesky(size=10), BLUESKY_ACCOUNT)
    posts = collect_account(file.accounts[0]).posts
    assert run.pages == 3 and run.posts == 25
    assert posts.filter(posts["kind"] == "repost").height == 2
    assert manifest(tmp_path, "hq-bsky")["ref"]["did"] == recorded("bluesky/resolveHandle.json")["did"]


def test_an_empty_account_is_collected_and_reads_as_no_posts(tmp_path):
    file, [run], _ = collected(tmp_path, FakeMastodon(0))
    assert run.error is None and run.posts == 0
    assert collect_account(file.accounts[0]).posts.height == 0


def test_an_account_never_collected_says_to_run_collect_first(tmp_path):
    file = load_accounts(accounts_file(tmp_path, MASTODON_ACCOUNT))
    with pytest.raises(InputError, match="run `audit collect ACCOUNTS.toml` first"):
        collect_account(file.accounts[0])


def test_a_deleted_account_is_a_clear_error_and_nothing_is_stored(tmp_path):
    accounts = MASTODON_ACCOUNT.replace("@examplia_en@", "@gone@")
    _, [run], _ = collected(tmp_path, FakeMastodon(5), accounts)
    assert "hq-en: https://diplo.example.social/api/v1/accounts/lookup?acct=gone" in run.error
    assert "HTTP 404" in run.error and "check the account's handle" in run.error
    assert not Store.beside(tmp_path, "hq-en").page_files()


def test_a_malformed_page_is_a_clear_error_and_nothing_of_it_is_stored(tmp_path):
    fake = FakeMastodon(95)
    fake.statuses[50]["created_at"] = "yesterday"  # on page 2
    _, [run], _ = collected(tmp_path, fake)
    assert "expected statuses with an ISO 8601 created_at" in run.error and "nothing from this page" in run.error
    assert len(Store.beside(tmp_path, "hq-en").page_files()) == 1
    assert manifest(tmp_path)["pending"]["page"] == 1
    assert manifest(tmp_path)["holes"][0]["to"].startswith("2026-11-03")


def test_a_page_that_is_not_json_is_a_clear_error(tmp_path):
    fake = FakeMastodon(5)
    fake.fail("/statuses", httpx.Response(200, text="<html>Maintenance</html>"))
    _, [run], _ = collected(tmp_path, fake)
    assert "not JSON" in run.error and not Store.beside(tmp_path, "hq-en").page_files()


def test_a_kill_mid_collection_resumes_with_no_duplicate_and_no_gap(tmp_path):
    fake = FakeMastodon(150)
    fake.fail("/statuses", None, None, KeyboardInterrupt())  # killed asking for page 3
    with pytest.raises(KeyboardInterrupt):
        collected(tmp_path, fake)
    assert manifest(tmp_path)["pending"]["page"] == 2
    file, [run], lines = collected(tmp_path, fake)
    assert run.resumed and any("resuming an interrupted collection at page 3" in line for line in lines)
    result = collect_account(file.accounts[0])
    assert sorted(result.posts["post_id"]) == sorted(s["id"] for s in fake.statuses)
    assert result.duplicates <= 40  # only the overlap of the fresh top page is read twice
    assert manifest(tmp_path)["pending"] is None and manifest(tmp_path)["holes"] == []


def test_incremental_runs_fetch_only_new_posts_plus_the_overlap(tmp_path):
    fake = FakeMastodon(200)
    collected(tmp_path, fake)
    fake.add(3)
    before = len(fake.requests)
    file, [run], _ = collected(tmp_path, fake)
    statuses_requests = [r for r in fake.requests[before:] if r.url.path.endswith("/statuses")]
    assert len(statuses_requests) == 1 and run.posts == 40  # one page reaches back past newest - 24 h
    posts = collect_account(file.accounts[0]).posts
    assert posts.height == 203 and len(manifest(tmp_path)["runs"]) == 2


def test_since_limits_the_first_collection(tmp_path):
    fake = FakeMastodon(200)  # hourly from 2026-11-01 00:00
    file, [run], _ = collected(tmp_path, fake, since=date(2026, 11, 8))
    assert run.pages == 1 and manifest(tmp_path)["covered_from"].startswith("2026-11-08")


def test_a_store_is_never_mixed_with_another_account(tmp_path):
    collected(tmp_path, FakeMastodon(3))
    moved = MASTODON_ACCOUNT.replace("@examplia_en@", "@examplia_fr@")
    _, [run], _ = collected(tmp_path, FakeMastodon(3), moved)
    assert "expected the store of hq-en to hold @examplia_fr@diplo.example.social" in run.error
    assert "found @examplia_en@diplo.example.social" in run.error


def test_two_collections_of_one_account_at_once_are_refused(tmp_path):
    store = Store.beside(tmp_path, "hq-en")
    with store.locked():
        _, [run], _ = collected(tmp_path, FakeMastodon(3))
    assert "expected no other `audit collect` to be collecting this account" in run.error


def test_temporary_pages_left_by_a_killed_collection_are_removed_by_the_next(tmp_path):
    fake = FakeMastodon(50)
    collected(tmp_path, fake)
    store = Store.beside(tmp_path, "hq-en")
    stale = store.pages / ".w999998-00002-statuses.json.abc123.tmp"  # a write cut short by a kill
    stale.write_text("[{", encoding="utf-8")
    _, [run], _ = collected(tmp_path, fake)
    assert run.error is None and not stale.exists()
    assert all(not p.name.endswith(".tmp") for p in store.pages.iterdir())
