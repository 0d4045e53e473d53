"""X/Twitter archives: the real 2023 sample, the multi-part and older-layout fixtures, every bad input we know.

The fixtures' goldens (fixtures/x_archive/*.expected.json) are checked by tests/collectors/test_registry.py;
this file tests each quirk on its own, mostly on small archives written into a temporary folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from audit.collectors.base import ReadContext
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY, validate_posts
from audit.collectors.x import ytd as x_ytd
from audit.collectors.x.archive import COLLECTOR
from audit.collectors.x.tweets import TWEET
from audit.collectors.x.ytd import Shape, _blank_separators, _parse_fast, read_ytd
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "x_archive"
MULTIPART_SRC = FIXTURES / "src_multipart"
MULTIPART_ZIP = FIXTURES / "multipart.zip"
SAMPLE = "twitter/tweets.js"


def read(path: Path, **ctx: Any):
    export = open_export(path)
    try:
        return COLLECTOR.read(export, COLLECTOR.find(export), ReadContext(account_id="x", **ctx))
    finally:
        export.close()


def rows(batch) -> dict[str, dict[str, Any]]:
    return {row["post_id"]: row for row in batch.posts.to_dicts()}


def read_error(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        read_export(path, ReadContext(account_id="x"))
    return str(exc.value)


SECOND = "Sat Feb 18 19:45:15 +0000 2023"


def tweet(tid: str, text: str = "hello", created: str = SECOND, **extra: Any) -> dict[str, Any]:
    return {"id_str": tid, "id": tid, "created_at": created, "full_text": text, "lang": "en",
            "favorite_count": "1", "retweet_count": "0", **extra}


def ytd(records: list[Any], name: str = "tweets", part: int = 0, indent: int | None = 2, wrap: bool = True) -> str:
    entries = [{"tweet": r} if wrap and isinstance(r, dict) else r for r in records]
    return f"window.YTD.{name}.part{part} = " + json.dumps(entries, ensure_ascii=False, indent=indent)


def archive(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "archive"
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


def copy_multipart(tmp_path: Path, *without: str) -> Path:
    root = tmp_path / "multipart"
    shutil.copytree(MULTIPART_SRC, root)
    for name in without:
        (root / name).unlink()
    return root


# --- the real sample (a lone tweets.js from a 2023 archive) -------------------------------------


def test_real_sample(samples):
    batch = read(samples / SAMPLE)
    posts = rows(batch)
    assert len(posts) == 7 and batch.skipped == []
    photo = posts["1627019761950375936"]
    assert photo["media_count"] == 4 and photo["text"].endswith("coherent topics!!!!!!!!"), "media t.co removed"
    assert "t.co" not in " ".join(p["text"] for p in posts.values())
    assert posts["1626902980006932483"]["kind"] == "post" and posts["1626902980006932483"]["likes"] == 8
    assert posts["1627031510963441664"]["published_at"] == datetime(2023, 2, 18, 19, 45, 15, tzinfo=UTC)
    assert posts["1626871062343327744"]["mentions"] == ["selentelechia", "meditationstuff"]
    assert posts["1627031510963441664"]["url"] == "https://x.com/i/web/status/1627031510963441664"
    validate_posts(batch.posts)


def test_real_sample_threads_are_self_replies_without_account_js(samples):
    """No account.js: 1627031510963441664 replies to a tweet in the archive, so exGenesis is the owner."""
    posts = rows(read(samples / SAMPLE))
    assert posts["1627031510963441664"]["reply_to"] == SELF_REPLY
    assert posts["1627019761950375936"]["reply_to"] == SELF_REPLY, "its parent is not in the archive, its user is"
    assert posts["1626922779105759235"]["reply_to"] == "empathy2000"
    assert sum(p["kind"] == "reply" for p in posts.values()) == 6


def test_handle_from_accounts_file_makes_permalinks(samples):
    posts = rows(read(samples / SAMPLE, handle="@exGenesis"))
    assert posts["1627031510963441664"]["url"] == "https://x.com/exGenesis/status/1627031510963441664"


def test_detection_from_content(samples, tmp_path):
    for path in (samples / SAMPLE, MULTIPART_ZIP, FIXTURES / "older_tweet_js"):
        export = open_export(path)
        assert detect(export, "x")[0].name == "x_archive"
        export.close()
    renamed = tmp_path / "posts.js"
    renamed.write_text(ytd([tweet("1")]), encoding="utf-8")
    export = open_export(renamed)
    assert COLLECTOR.find(export) == ["posts.js"]
    other = open_export(samples / "telegram" / "result__private_channel_2020.json")
    assert COLLECTOR.find(other) == []
    likes = tmp_path / "like.js"
    likes.write_text('window.YTD.like.part0 = [ {"like": {"tweetId": "1"}} ]', encoding="utf-8")
    assert COLLECTOR.find(open_export(likes)) == []


# --- the multi-part fixture ----------------------------------------------------------------------


def test_multipart_zip_reads_every_part_and_the_side_files():
    batch = read(MULTIPART_ZIP)
    posts = rows(batch)
    assert len(posts) == 8
    assert "1757736443704246513" in posts, "a tweet of tweets-part1.js"
    assert [f.split("!")[1] for f in batch.files] == [
        "data/tweets.js", "data/tweets-part1.js", "data/manifest.js", "data/account.js", "data/note-tweet.js"]
    assert batch.declared_languages == ["en", "ja", "ko"]


def test_zip_and_folder_give_the_same_posts():
    assert read(MULTIPART_ZIP).posts.drop("source").equals(read(MULTIPART_SRC).posts.drop("source"))


def test_edit_chain_is_one_post_under_the_initial_id():
    posts = rows(read(MULTIPART_ZIP))
    chain = posts["1785957419709366945"]
    assert "1785959080653751218" not in posts
    assert chain["text"].startswith("Korean Culture Week starts Saturday"), "the latest version's text"
    assert chain["published_at"] == datetime(2024, 5, 2, 9, 0, 5, tzinfo=UTC), "the first publication"
    assert (chain["likes"], chain["shares"]) == (25, 7)
    assert chain["url"] == "https://x.com/emb_demo/status/1785957419709366945"


def test_long_post_gets_its_note_text_and_entities():
    batch = read(MULTIPART_ZIP)
    note = rows(batch)["1781521922257846724"]
    assert note["text"].endswith("https://overseas.mofa.go.kr/jp-ja/brd/m_1234/view.do?seq=8 #日韓交流 #KCulture")
    assert "…" not in note["text"]
    assert note["hashtags"] == ["日韓交流", "KCulture"]
    assert note["urls"] == ["https://overseas.mofa.go.kr/jp-ja/brd/m_1234/view.do?seq=8"]
    [orphan] = batch.skipped
    assert orphan.file.endswith("multipart.zip!data/note-tweet.js") and orphan.index == 1
    assert "matches no tweet" in orphan.reason


def test_kinds_replies_and_links_in_the_fixture():
    posts = rows(read(MULTIPART_ZIP))
    assert posts["1778020223677367024"]["kind"] == "repost"
    assert posts["1776139002835894579"]["kind"] == "quote"
    assert posts["1767065037173686289"]["reply_to"] == SELF_REPLY
    assert posts["1763476768158646965"]["reply_to"] == "jp_traveler"
    assert posts["1763476768158646965"]["text"].endswith("Q&A: https://overseas.mofa.go.kr/jp-ja/wpge/m_1234/contents.do")
    thread_start = posts["1767064408028086288"]
    assert thread_start["media_count"] == 2 and thread_start["text"].endswith("#東日本大震災 #311")
    assert posts["1757736443704246513"]["text"] == "" and posts["1757736443704246513"]["declared_lang"] is None


def test_zip_is_built_deterministically():
    result = subprocess.run([sys.executable, str(FIXTURES / "make_zip.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- manifest and parts --------------------------------------------------------------------------


def test_manifest_naming_a_missing_part_is_an_error(tmp_path):
    root = copy_multipart(tmp_path, "data/tweets-part1.js")
    message = read_error(root)
    assert "manifest.js" in message and "data/tweets-part1.js" in message and "missing from the archive" in message


def test_without_manifest_every_part_present_is_read(tmp_path):
    root = copy_multipart(tmp_path, "data/manifest.js")
    assert len(rows(read(root))) == 8


def test_parts_are_read_in_numeric_order(tmp_path):
    files = {f"data/tweets-part{n}.js": ytd([tweet(str(100 + n))], part=n) for n in (1, 2, 10)}
    root = archive(tmp_path, {"data/tweets.js": ytd([tweet("100")]), **files})
    sources = read(root).posts["source"].to_list()
    assert [s.split("/data/")[1] for s in sources] == [
        "tweets.js#0", "tweets-part1.js#0", "tweets-part2.js#0", "tweets-part10.js#0"]


def test_archive_inside_a_top_folder_resolves_manifest_names(tmp_path):
    root = tmp_path / "download"
    shutil.copytree(MULTIPART_SRC, root / "twitter-2024-05-03-abc")
    assert len(rows(read(root))) == 8


def test_older_layout_tweet_js():
    posts = rows(read(FIXTURES / "older_tweet_js"))
    assert len(posts) == 3
    visa = posts["1194155364971446688"]["text"]
    assert visa.startswith("Visa applications for the #Tokyo2020 period: please apply early & check")
    assert posts["347565746156470272"]["url"] == "https://x.com/emb_demo_old/status/347565746156470272"


def test_unwrapped_records_of_the_earliest_tweet_js(tmp_path):
    root = archive(tmp_path, {"data/tweet.js": ytd([tweet("5", "early days")], name="tweet", wrap=False)})
    assert rows(read(root))["5"]["text"] == "early days"


# --- the envelope and the JSON -------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["pretty", "compact", "crlf", "semicolon", "old-style"])
def test_envelope_layouts(tmp_path, monkeypatch, layout):
    records = [tweet("1", "one"), tweet("2", "two")]
    content = {
        "pretty": ytd(records), "compact": ytd(records, indent=None),
        "crlf": ytd(records).replace("\n", "\r\n"), "semicolon": ytd(records) + ";\n",
        "old-style": "window.YTD.tweets.part0 = [ " + ", ".join(json.dumps({"tweet": r}, indent=2) for r in records)
                     + " ]",
    }[layout]
    root = archive(tmp_path, {"data/tweets.js": content})
    general = x_ytd._parse_general
    calls: list[int] = []

    def counted(*args: Any) -> Any:
        calls.append(1)
        return general(*args)

    monkeypatch.setattr(x_ytd, "_parse_general", counted)
    assert sorted(rows(read(root))) == ["1", "2"]
    assert bool(calls) == (layout == "compact"), "pretty-printed layouts take the fast path"


def test_fast_parser_matches_the_general_one(samples):
    """The Arrow path (commas between elements blanked) must give exactly what a JSON parser gives."""
    schema = Shape(TWEET, "tweet").schema
    sources = [(open_export(MULTIPART_SRC), m) for m in ("data/tweets.js", "data/tweets-part1.js")]
    sources += [(open_export(samples / SAMPLE), "tweets.js"),
                (open_export(FIXTURES / "older_tweet_js"), "data/tweet.js")]
    for export, member in sources:
        data = export.read_bytes(member)
        start, end = data.index(b"[", data.index(b"=")), len(data.rstrip())
        fast = _parse_fast(_blank_separators(data, start), start, end, schema)
        assert fast is not None, member
        assert fast.equals(pl.read_json(data[start:end], schema=schema)), member


def test_truncated_tweets_js_names_file_and_position(tmp_path):
    content = ytd([tweet("1"), tweet("2")])
    root = archive(tmp_path, {"data/tweets.js": content[: len(content) // 2]})
    message = read_error(root)
    assert "data/tweets.js:" in message and "expected complete JSON" in message
    line = int(message.split("data/tweets.js:")[1].split(":")[0])
    assert line > 1


def test_object_instead_of_array(tmp_path):
    root = archive(tmp_path, {"data/tweets.js": 'window.YTD.tweets.part0 = {"tweet": {"id_str": "1"}}'})
    message = read_error(root)
    assert message.endswith("data/tweets.js:1:27: expected a JSON array after '=', found a JSON object")


def test_nothing_after_the_equals_sign(tmp_path):
    root = archive(tmp_path, {"data/tweets.js": "window.YTD.tweets.part0 = "})
    assert "expected a JSON array after '=', found nothing" in read_error(root)


def test_empty_tweets_array(tmp_path):
    root = archive(tmp_path, {"data/tweets.js": "window.YTD.tweets.part0 = [ ]"})
    assert read(root).posts.is_empty()
    assert "expected at least one post" in read_error(root)


def test_manifest_listing_no_tweets(tmp_path):
    manifest = 'window.__THAR_CONFIG = {"dataTypes": {"tweets": {"files": []}}}'
    root = archive(tmp_path, {"data/manifest.js": manifest})
    assert "it lists no tweets file" in read_error(root)


# --- malformed records ---------------------------------------------------------------------------


@pytest.mark.parametrize("link", ["edit.initialTweetId", "initial.editTweetIds"])
def test_edit_chain_from_either_link(tmp_path, link):
    """Three versions, newest first as in an archive; only one of the two links is present."""
    ids = ["1700000000000000010", "1700000000000000020", "1700000000000000030"]
    times = ["Mon Sep 11 10:00:00 +0000 2023", "Mon Sep 11 10:05:00 +0000 2023", "Mon Sep 11 10:09:00 +0000 2023"]
    records: list[dict[str, Any]] = []
    for n, (tid, when) in enumerate(zip(ids, times, strict=True)):
        by_version = {"edit": {"initialTweetId": ids[0]}} if n else {"initial": {"editTweetIds": [ids[0]]}}
        by_initial = {"initial": {"editTweetIds": ids if n == 0 else [tid]}}
        edit_info = by_version if link == "edit.initialTweetId" else by_initial
        records.insert(0, tweet(tid, f"version {n}", when, edit_info=edit_info, favorite_count=str(n)))
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd(records + [tweet("1", "other")])})))
    assert sorted(posts) == ["1", ids[0]]
    assert posts[ids[0]]["text"] == "version 2" and posts[ids[0]]["likes"] == 2
    assert posts[ids[0]]["published_at"] == datetime(2023, 9, 11, 10, 0, tzinfo=UTC)


def test_malformed_records_are_skipped_and_counted(tmp_path):
    records = [tweet("1"), None, "oops", {"tweet": "x"}, tweet("", "no id"), tweet("6", created="yesterday"),
               {k: v for k, v in tweet("7").items() if k != "created_at"}, tweet("8")]
    content = "window.YTD.tweets.part0 = " + json.dumps(
        [{"tweet": r} if isinstance(r, dict) and "tweet" not in r else r for r in records], indent=2)
    root = archive(tmp_path, {"data/tweets.js": content})
    batch = read(root)
    assert sorted(rows(batch)) == ["1", "8"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, 'expected an object {"tweet": {...}}, found null'),
        (2, 'expected an object {"tweet": {...}}, found a string'),
        (3, 'expected an object {"tweet": {...}}, found a string'),
        (4, "tweet has no id_str"),
        (5, 'unreadable created_at "yesterday"'),
        (6, "tweet has no created_at"),
    ]
    assert all(s.file.endswith("data/tweets.js") for s in batch.skipped)


def test_mistyped_fields_do_not_lose_the_record(tmp_path):
    records = [tweet("1", favorite_count=5, entities="broken"), tweet("2", retweet_count="n/a")]
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd(records)})))
    assert posts["1"]["likes"] == 5 and posts["1"]["hashtags"] == []
    assert posts["2"]["shares"] is None, "an unreadable count is null, never 0"


def test_weekday_is_not_needed_to_read_created_at(tmp_path):
    records = [tweet("1", created="Mon Nov 22 17:10:25 +1000 2025")]
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd(records)})))
    assert posts["1"]["published_at"] == datetime(2025, 11, 22, 7, 10, 25, tzinfo=UTC)


# --- links, kinds, replies -----------------------------------------------------------------------


def test_tco_links_expanded_in_text_and_urls(tmp_path):
    entities = {"urls": [{"url": "https://t.co/aaaaaaaaaa", "expanded_url": "https://example.org/a?x=1&y=2"},
                         {"url": "https://t.co/bbbbbbbbbb", "expanded_url": "https://x.com/someone/status/42"}],
                "media": [{"url": "https://t.co/mmmmmmmmmm"}]}
    text = ("see https://t.co/aaaaaaaaaa and https://t.co/aaaaaaaaaa, quoting https://t.co/bbbbbbbbbb, "
            "unknown https://t.co/zzzzzzzzzz https://t.co/mmmmmmmmmm")
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd([tweet("1", text, entities=entities)])})))
    assert posts["1"]["text"] == ("see https://example.org/a?x=1&y=2 and https://example.org/a?x=1&y=2, quoting "
                                  "https://x.com/someone/status/42, unknown https://t.co/zzzzzzzzzz")
    assert posts["1"]["urls"] == ["https://example.org/a?x=1&y=2", "https://x.com/someone/status/42"]
    assert posts["1"]["kind"] == "quote" and posts["1"]["media_count"] == 1


def test_html_escapes_in_full_text_are_decoded(tmp_path):
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd([tweet("1", "Q&amp;A &lt;3 &gt;_&lt;")])})))
    assert posts["1"]["text"] == "Q&A <3 >_<"


def test_self_reply_from_the_accounts_file_handle(tmp_path):
    reply = {"in_reply_to_status_id_str": "999", "in_reply_to_user_id_str": "55", "in_reply_to_screen_name": "Emb_Demo"}
    other = {"in_reply_to_status_id_str": "998", "in_reply_to_user_id_str": "66", "in_reply_to_screen_name": "someone"}
    root = archive(tmp_path, {"data/tweets.js": ytd([tweet("1", **reply), tweet("2", "@someone hi", **other)])})
    assert rows(read(root))["1"]["reply_to"] == "Emb_Demo", "without a handle the owner is unknown"
    posts = rows(read(root, handle="@emb_demo"))
    assert posts["1"]["reply_to"] == SELF_REPLY and posts["2"]["reply_to"] == "someone"


def test_self_reply_from_account_js_id(tmp_path):
    account = 'window.YTD.account.part0 = [ {"account": {"accountId": "55", "username": "emb_demo"}} ]'
    reply = {"in_reply_to_status_id_str": "999", "in_reply_to_user_id_str": "55"}
    root = archive(tmp_path, {"data/tweets.js": ytd([tweet("1", **reply)]), "data/account.js": account})
    post = rows(read(root))["1"]
    assert post["reply_to"] == SELF_REPLY and post["url"] == "https://x.com/emb_demo/status/1"


def test_retweet_wins_over_quote_and_reply_over_quote(tmp_path):
    quote_url = {"urls": [{"url": "https://t.co/q", "expanded_url": "https://twitter.com/u/status/1"}]}
    records = [tweet("1", "RT @u: look https://t.co/q", entities=quote_url),
               tweet("2", "@u yes https://t.co/q", entities=quote_url, in_reply_to_screen_name="u"),
               tweet("3", "plain")]
    posts = rows(read(archive(tmp_path, {"data/tweets.js": ytd(records)})))
    assert [posts[i]["kind"] for i in "123"] == ["repost", "reply", "post"]


# --- note tweets ---------------------------------------------------------------------------------


def note(nid: str, created: str, text: str) -> dict[str, Any]:
    return {"noteTweet": {"noteTweetId": nid, "createdAt": created, "core": {"text": text, "urls": []}}}


def test_notes_in_the_same_second_go_to_the_tweet_whose_text_they_continue(tmp_path):
    tweets = [tweet("1627031510963441664", "First thread part about culture week and the many events planne…"),
              tweet("1627031510963441665", "@someone Second part about consular hours which change in the sum…",
                    in_reply_to_screen_name="someone")]
    notes = [note("1627031510800000000", "2023-02-18T19:45:15.000Z",
                  "Second part about consular hours which change in the summer, every year, as always."),
             note("1627031510800000001", "2023-02-18T19:45:15.000Z",
                  "First thread part about culture week and the many events planned for it this year.")]
    files = {"data/tweets.js": ytd(tweets),
             "data/note-tweet.js": "window.YTD.note_tweet.part0 = " + json.dumps(notes, indent=2)}
    batch = read(archive(tmp_path, files))
    posts = rows(batch)
    assert posts["1627031510963441664"]["text"].endswith("planned for it this year.")
    assert posts["1627031510963441665"]["text"] == (
        "@someone Second part about consular hours which change in the summer, every year, as always.")
    assert batch.skipped == []


def test_collected_posts_validate(samples):
    _, batch = read_export(samples / SAMPLE, ReadContext(account_id="x"))
    assert batch.posts["account_id"].unique().to_list() == ["x"]


def test_read_ytd_gives_record_indexes(tmp_path):
    root = archive(tmp_path, {"data/tweets.js": ytd([tweet("1"), tweet("2")])})
    frame, skipped = read_ytd(open_export(root), "data/tweets.js", Shape(TWEET, "tweet"))
    assert frame["idx"].to_list() == [0, 1] and skipped == []
