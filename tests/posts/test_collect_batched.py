"""Reading many accounts at once gives what reading them one by one gives (issue 13).

`collect_accounts` reads every export alone first, finishes the exports of a format together and
dedupes and sorts every account's posts in one table. These tests hold it to `collect_account` run
account by account: the same posts table, the same files, skipped records and duplicates per
account, and, when exports are broken, the error of the first broken one in the accounts' order.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from audit.accounts import load_accounts
from audit.errors import InputError
from audit.posts.collect import collect_account, collect_accounts
from tests.collectors.test_x_archive import MULTIPART_SRC, SAMPLE, tweet, ytd
from tests.posts.test_collect import ACCOUNTS, accounts_file, write

X_ACCOUNT = 'id = "{id}"\nrole = "embassy"\nplatform = "x"\nsource = "{source}"\n'


def x_accounts(tmp_path: Path, samples: Path, *extra: str) -> Path:
    """Three good X accounts (the real sample, the multi-part fixture twice over two paths), then `extra`."""
    shutil.copy(samples / SAMPLE, tmp_path / "tweets.js")
    shutil.copytree(MULTIPART_SRC, tmp_path / "multi" / "one")
    shutil.copytree(MULTIPART_SRC, tmp_path / "multi" / "two")
    write(tmp_path / "bad" / "data" / "tweets.js", ytd([tweet("1"), None, tweet("", "no id")]))
    bodies = [X_ACCOUNT.format(id="real", source="tweets.js"),
              X_ACCOUNT.format(id="multi", source="multi/*") + 'handle = "@emb_demo"',
              X_ACCOUNT.format(id="bad-records", source="bad"), *extra]
    return accounts_file(tmp_path, *bodies)


def one_by_one(path: Path) -> tuple[pl.DataFrame, list[object], dict[str, list[object]], int]:
    accounts = load_accounts(path).accounts
    results = [collect_account(account) for account in accounts]
    skipped = {a.id: list(r.skipped) for a, r in zip(accounts, results, strict=True)}
    posts = pl.concat([r.posts for r in results])
    return posts, [f for r in results for f in r.files], skipped, sum(r.duplicates for r in results)


@pytest.mark.parametrize("accounts", ["x", "ministry"])
def test_all_accounts_at_once_equal_one_account_at_a_time(tmp_path, samples, accounts):
    path = x_accounts(tmp_path, samples) if accounts == "x" else ACCOUNTS / "ministry.toml"
    together = collect_accounts(load_accounts(path))
    posts, files, skipped, duplicates = one_by_one(path)
    assert_frame_equal(together.posts, posts)
    assert together.files == files
    assert together.skipped_by_account == skipped
    assert together.skipped == [s for records in skipped.values() for s in records]
    assert together.duplicates == duplicates
    assert together.posts["account_id"].n_chunks() == 1


def test_the_multi_part_archive_read_twice_for_one_account_is_deduplicated(tmp_path, samples):
    result = collect_accounts(load_accounts(x_accounts(tmp_path, samples)))
    multi = result.posts.filter(account_id="multi")
    assert result.duplicates == multi.height and result.duplicates_by_reason == {"same": multi.height}
    assert multi["published_at"].is_sorted()


@pytest.mark.parametrize(("broken", "expected"), [
    ("truncated", "data/tweets.js:1:30: expected complete JSON"),
    ("empty", ": expected at least one post in"),
])
def test_a_broken_archive_among_good_ones_fails_as_when_read_alone(tmp_path, samples, broken, expected):
    content = "window.YTD.tweets.part0 = [ {" if broken == "truncated" else "window.YTD.tweets.part0 = []"
    write(tmp_path / "broken" / "data" / "tweets.js", content)
    path = x_accounts(tmp_path, samples, X_ACCOUNT.format(id="broken", source="broken"))
    with pytest.raises(InputError) as together:
        collect_accounts(load_accounts(path))
    with pytest.raises(InputError) as alone:
        collect_account(load_accounts(path).account("broken"))
    assert str(together.value) == str(alone.value)
    assert str(together.value).startswith(str(tmp_path / "broken")) and expected in str(together.value)


def test_the_first_broken_account_is_the_one_reported(tmp_path, samples):
    """An empty archive fails when finished, a truncated one when parsed: the earlier account wins either way."""
    write(tmp_path / "empty" / "data" / "tweets.js", "window.YTD.tweets.part0 = []")
    write(tmp_path / "cut" / "data" / "tweets.js", "window.YTD.tweets.part0 = [ {")
    path = x_accounts(tmp_path, samples, X_ACCOUNT.format(id="empty", source="empty"),
                      X_ACCOUNT.format(id="cut", source="cut"))
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert "expected at least one post" in str(exc.value) and "empty" in str(exc.value)


def test_an_earlier_accounts_error_wins_over_a_later_ones_read_at_the_same_time(tmp_path, samples):
    """Accounts are started a few at once on threads: a later account that fails first (a folder in no
    known format fails at once) does not hide the error of an earlier one (a truncated archive, found while
    parsing it), as when the accounts are read one after another."""
    write(tmp_path / "cut" / "data" / "tweets.js", "window.YTD.tweets.part0 = [ {" + " " * 4_000_000)
    write(tmp_path / "unknown" / "notes.txt", "not an export")
    path = x_accounts(tmp_path, samples, X_ACCOUNT.format(id="cut", source="cut"),
                      X_ACCOUNT.format(id="unknown", source="unknown"))
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value).startswith(str(tmp_path / "cut")) and "expected complete JSON" in str(exc.value)
