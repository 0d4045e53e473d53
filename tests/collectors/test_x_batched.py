"""Many X archives finished in one pass give exactly what each gives read alone (issue 13).

`XArchiveCollector.parse` reads an archive's files; `finish` makes the posts of any number of parsed
archives at once, told apart by an `archive` key. Nothing one archive holds may change another's
posts: a tweet id, a reply's parent or a note's second shared by two archives stays in its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal

from audit.collectors.base import Batch, ReadContext
from audit.collectors.x import batch as x_batch
from audit.collectors.x.archive import COLLECTOR
from audit.collectors.x.tweets import ACCOUNT
from audit.collectors.x.ytd import Shape, read_ytd, small_records
from audit.sources.exports import open_export
from tests.collectors.test_x_archive import FIXTURES, MULTIPART_ZIP, SAMPLE, archive, note, tweet, ytd

SECOND = "Sat Feb 18 19:45:15 +0000 2023"
NOTE_SECOND = "2023-02-18T19:45:15.000Z"


def parse(path: Path, **ctx: Any) -> Batch:
    with open_export(path) as export:
        return COLLECTOR.parse(export, COLLECTOR.find(export), ReadContext(account_id=path.name, **ctx))


def read_alone(path: Path, **ctx: Any) -> Batch:
    with open_export(path) as export:
        return COLLECTOR.read(export, COLLECTOR.find(export), ReadContext(account_id=path.name, **ctx))


def edited(root: Path) -> Path:
    """An edit chain (three versions) beside a tweet whose id another archive uses for something else."""
    ids = ["1700000000000000010", "1700000000000000020", "1700000000000000030"]
    records = [tweet(tid, f"version {n}", SECOND, favorite_count=str(n),
                     edit_info={"initial": {"editTweetIds": ids}} if n == 0 else {"edit": {"initialTweetId": ids[0]}})
               for n, tid in enumerate(ids)]
    return archive(root, {"data/tweets.js": ytd([*reversed(records), tweet("999", "mine")])})


def replying(root: Path) -> Path:
    """Replies to status 999 (in the other archive, not this one), a long post and an orphan note."""
    reply = {"in_reply_to_status_id_str": "999", "in_reply_to_user_id_str": "55", "in_reply_to_screen_name": "Other"}
    records = [tweet("1", "@Other thanks", **reply),
               tweet("1627031510963441664", "First thread part about culture week and the many events planne…"),
               tweet("3", "bad", created="yesterday"), None]
    notes = [note("1627031510800000000", NOTE_SECOND, "First thread part about culture week and the many events "
                                                     "planned for it this year."),
             note("1627031510800000001", NOTE_SECOND, "A note that continues no tweet of this archive at all.")]
    return archive(root, {"data/tweets.js": ytd(records),
                          "data/note-tweet.js": "window.YTD.note_tweet.part0 = " + json.dumps(notes, indent=2)})


def archives(samples: Path, tmp_path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Real and fixture archives, small ones written for the quirks, and one export read for two accounts."""
    return [(samples / SAMPLE, {}), (MULTIPART_ZIP, {"handle": "@emb_demo"}), (edited(tmp_path / "a"), {}),
            (FIXTURES / "older_tweet_js", {}), (replying(tmp_path / "b"), {"handle": "@mine"}),
            (samples / SAMPLE, {"handle": "@exGenesis"})]


def assert_same(together: Batch, alone: Batch) -> None:
    assert_frame_equal(together.posts, alone.posts)
    assert together.skipped == alone.skipped
    assert together.declared_languages == alone.declared_languages
    assert together.files == alone.files and together.pending is None


@pytest.mark.parametrize(("order", "eager_rows"), [("as listed", None), ("reversed", None), ("as listed", 1),
                                                  ("reversed", 3)])
def test_archives_finished_together_give_what_each_gives_alone(samples, tmp_path, monkeypatch, order, eager_rows):
    """Also when some parts are made columns as soon as they are read (the large ones) and others wait."""
    paths = archives(samples, tmp_path)
    paths = paths if order == "as listed" else paths[::-1]
    alone = [read_alone(path, **ctx) for path, ctx in paths]
    if eager_rows:
        monkeypatch.setattr(x_batch, "EAGER_ROWS", eager_rows)
    batches = [parse(path, **ctx) for path, ctx in paths]
    COLLECTOR.finish(batches)
    for batch, one in zip(batches, alone, strict=True):
        assert_same(batch, one)


def test_account_js_read_by_python_gives_what_the_columnar_reader_gives(tmp_path):
    records = [None, {"account": "x"}, {"account": {"username": "nobody"}},
               {"account": {"accountId": 55, "username": ""}}, {"account": {"accountId": "7", "username": "u"}}]
    root = archive(tmp_path, {"data/account.js": ytd(records, name="account", wrap=False)})
    shape = Shape(ACCOUNT, "account")
    with open_export(root) as export:
        columnar = read_ytd(export, "data/account.js", shape)[0].drop("idx").rows(named=True)
        assert small_records(export, "data/account.js", shape) == columnar
        assert [r["accountId"] for r in columnar] == [None, "55", "7"]


def test_an_archive_is_not_changed_by_the_ids_of_another(tmp_path):
    """Status 999 is in the first archive; the second's reply to it is not a thread of its own."""
    first, second = edited(tmp_path / "a"), replying(tmp_path / "b")
    batches = [parse(first), parse(second)]
    COLLECTOR.finish(batches)
    replies = batches[1].posts.filter(post_id="1")
    assert replies["reply_to"].to_list() == ["Other"]
    assert batches[0].posts["post_id"].to_list().count("1700000000000000010") == 1
    assert [s.reason for s in batches[1].skipped] == [
        'expected an object {"tweet": {...}}, found null', 'unreadable created_at "yesterday"',
        "note tweet (long post) matches no tweet: none has its created_at second and text start"]


def test_an_archive_without_usable_posts_among_others_keeps_its_skips(tmp_path):
    empty = archive(tmp_path / "e", {"data/tweets.js": ytd([tweet("", "no id")])})
    batches = [parse(edited(tmp_path / "a")), parse(empty)]
    COLLECTOR.finish(batches)
    assert batches[1].posts.is_empty() and [s.reason for s in batches[1].skipped] == ["tweet has no id_str"]
    assert_same(batches[1], read_alone(empty))
