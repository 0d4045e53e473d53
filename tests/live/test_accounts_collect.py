"""The accounts file's `collect` key: validated like every other key, all problems at once."""

from __future__ import annotations

import pytest

from audit.accounts import load_accounts
from audit.errors import ConfigError
from tests.live.fakes import MASTODON_ACCOUNT, accounts_file


def test_a_collected_account_needs_no_source(tmp_path):
    account = load_accounts(accounts_file(tmp_path, MASTODON_ACCOUNT)).accounts[0]
    assert account.source == "" and account.collect == {"api": "https://diplo.example.social"}


def test_collect_true_is_an_empty_table_and_collect_false_still_needs_a_source(tmp_path):
    text = MASTODON_ACCOUNT.replace('collect = { api = "https://diplo.example.social" }', "collect = true")
    assert load_accounts(accounts_file(tmp_path, text)).accounts[0].collect == {}
    with pytest.raises(ConfigError, match=r"accounts\[0\].source: missing; an account that is not collected"):
        load_accounts(accounts_file(tmp_path, text.replace("collect = true", "collect = false")))


@pytest.mark.parametrize("collect, problem", [
    ('{ api = "diplo.example.social" }', "collect.api: expected the server's base URL"),
    ('{ api = "https://x.example", page_size = 10 }', "collect.page_size: unknown key"),
    ('{ channel_id = "UCshort" }', "collect.channel_id: expected a YouTube channel id"),
    ('{ overlap_hours = -1 }', "collect.overlap_hours: expected a number of hours"),
    ('"yes"', "collect: expected true or a table"),
])
def test_bad_collect_tables_are_reported_with_their_key_path(tmp_path, collect, problem):
    text = MASTODON_ACCOUNT.replace('{ api = "https://diplo.example.social" }', collect)
    with pytest.raises(ConfigError, match=rf"accounts\[0\]\.{problem}"):
        load_accounts(accounts_file(tmp_path, text))


def test_platforms_without_live_collection_and_missing_handles_are_reported_together(tmp_path):
    text = MASTODON_ACCOUNT.replace('platform = "mastodon"', 'platform = "facebook"')
    text = text.replace('handle = "@examplia_en@diplo.example.social"\n', "")
    with pytest.raises(ConfigError) as caught:
        load_accounts(accounts_file(tmp_path, text))
    assert "accounts[0].collect: live collection covers mastodon, bluesky" in str(caught.value)
    assert "accounts[0].handle: missing; a collected account needs the handle" in str(caught.value)
