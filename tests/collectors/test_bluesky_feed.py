"""Bluesky getAuthorFeed pages: the fixture, the real postView sample, each quirk and each bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from audit.collectors.base import Batch, ReadContext
from audit.collectors.bluesky.feed import COLLECTOR, map_feed_item, map_post_view
from audit.collectors.bluesky.records import parse_timestamp, record_columns
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY, dedupe_posts
from audit.errors import InputError, UnknownFormatError
from audit.posts.collect import read_export
from audit.sources.exports import open_export
from audit.sources.skips import SkipRecord

ME = "did:plc:g6vx75sazw55tceambb4lvtx"
OTHER = "did:plc:bwvsk3ukw5sb46lb3m6ottqv"
CTX = ReadContext(account_id="emb")


def page_items(fixtures: Path, name: str = "page1.json") -> list[Any]:
    page = fixtures / "bluesky_feed" / "embassy_pages" / name
    items: list[Any] = json.loads(page.read_text(encoding="utf-8"))["feed"]
    return items


def write_page(tmp_path: Path, feed: list[Any], name: str = "page.json", **extra: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"feed": feed, **extra}, ensure_ascii=False), encoding="utf-8")
    return path


def read_items(tmp_path: Path, feed: list[Any]) -> Batch:
    path = write_page(tmp_path, feed)
    export = open_export(path)
    return COLLECTOR.read(export, export.members(), CTX)


def post_item(rkey: str = "3lk5db5owk22b", did: str = ME, handle: str = "embassy-demo.bsky.social",
              **fields: Any) -> dict[str, Any]:
    record = {"$type": "app.bsky.feed.post", "createdAt": "2025-03-12T00:30:00.000Z", "text": "hello"}
    record.update(fields)
    return {"post": {"uri": f"at://{did}/app.bsky.feed.post/{rkey}", "cid": "bafyreiaaaa",
                     "author": {"did": did, "handle": handle}, "record": record,
                     "replyCount": 1, "repostCount": 2, "likeCount": 3, "quoteCount": 4,
                     "indexedAt": "2025-03-12T00:30:01.000Z", "labels": []}}


# ---------------------------------------------------------------- the fixture


@pytest.fixture
def fixture_batch(fixtures):
    return read_export(fixtures / "bluesky_feed" / "embassy_pages", CTX)


def test_fixture_is_detected_from_content(fixtures):
    export = open_export(fixtures / "bluesky_feed" / "embassy_pages")
    collector, members = detect(export)
    assert collector.name == "bluesky_feed"
    assert members == ["page1.json", "page2.json"]


def test_fixture_kinds_and_languages(fixture_batch):
    report, batch = fixture_batch
    assert report.posts == 9 and batch.skipped == []
    kinds = ["post", "post", "repost", "reply", "reply", "post", "quote", "post", "post"]
    assert batch.posts["kind"].to_list() == kinds
    assert batch.declared_languages == ["en", "ko", "ja", "fr"]  # not the reposted post's language twice
    assert batch.posts["platform"].unique().to_list() == ["bluesky"]
    assert batch.posts["source"][0].endswith("embassy_pages/page1.json#0")


def test_pinned_post_appears_twice_and_dedupes_to_one(fixture_batch):
    posts = fixture_batch[1].posts
    pinned = posts.filter(posts["post_id"].str.ends_with("/3ljbt5xlem22b"))
    assert pinned.height == 2 and pinned["kind"].to_list() == ["post", "post"]
    assert dedupe_posts(posts).height == 8


def test_repost_takes_the_repost_time_and_record_uri(fixture_batch):
    repost = fixture_batch[1].posts.row(2, named=True)
    assert repost["post_id"] == f"at://{ME}/app.bsky.feed.repost/3lk56sawvhs2b"
    assert repost["published_at"] == datetime(2025, 3, 11, 23, 10, 5, 123000, tzinfo=UTC)
    assert repost["text"] == "東京で韓国映画祭が開幕しました。" and repost["declared_lang"] == "ja"
    assert repost["url"] == "https://bsky.app/profile/tokyo-culture.bsky.social/post/3lk4xrrwuvc2b"
    assert [repost[c] for c in ("likes", "shares", "replies", "views")] == [None] * 4


def test_replies_to_self_and_to_others(fixture_batch):
    posts = fixture_batch[1].posts
    assert posts["reply_to"].to_list()[3:5] == ["seoul-reporter.bsky.social", SELF_REPLY]


def test_facets_use_utf8_byte_offsets_after_korean_text(fixtures, fixture_batch):
    record = page_items(fixtures)[1]["post"]["record"]
    mention = record["facets"][0]["index"]
    assert record["text"][mention["byteStart"]:mention["byteEnd"]] != "@tokyo-culture.bsky.social"
    row = fixture_batch[1].posts.row(1, named=True)
    assert row["mentions"] == ["tokyo-culture.bsky.social"]
    assert row["hashtags"] == ["문화교류"] and row["urls"] == ["https://example.org/week"]
    assert row["media_count"] == 2


def test_created_at_offsets_become_utc(fixture_batch):
    times = fixture_batch[1].posts["published_at"].to_list()
    assert times[1] == datetime(2025, 3, 12, 0, 30, tzinfo=UTC)  # +09:00
    assert times[3] == datetime(2025, 3, 11, 15, 45, 12, tzinfo=UTC)  # -07:00
    assert times[0] == datetime(2025, 3, 1, 2, 0, 0, 123456, tzinfo=UTC)  # microseconds +00:00


def test_counts_quote_video_and_record_tags(fixture_batch):
    posts = fixture_batch[1].posts
    pin = posts.row(0, named=True)
    assert (pin["likes"], pin["shares"], pin["replies"], pin["views"]) == (96, 41, 3, None)
    assert pin["urls"] == ["https://example.org/visa-april"]  # facet link and card, once
    quote = posts.row(6, named=True)
    assert quote["kind"] == "quote" and quote["declared_lang"] == "ja"
    french = posts.row(8, named=True)
    assert french["media_count"] == 1 and french["hashtags"] == ["diplomatie"]


# ---------------------------------------------------------------- real samples


def test_post_view_mapping_on_the_real_get_post_thread_sample(samples):
    thread = json.loads((samples / "bluesky" / "getPostThread__postView_recordWithMedia.json").read_text())
    row = map_post_view(thread["thread"]["post"])
    assert row["post_id"] == "at://did:plc:kvwvcn5iqfooopmyzvb4qzba/app.bsky.feed.post/3kaheyt6vpc22"
    assert row["url"] == "https://bsky.app/profile/test.marshal.dev/post/3kaheyt6vpc22"
    assert row["published_at"] == datetime(2023, 9, 28, 12, 49, 36, 735000, tzinfo=UTC)
    assert (row["kind"], row["text"], row["declared_lang"], row["media_count"]) == ("quote", "", "en", 1)
    assert (row["likes"], row["shares"], row["replies"], row["views"]) == (0, 0, 0, None)


def test_get_post_thread_envelope_is_not_a_feed(samples):
    export = open_export(samples / "bluesky" / "getPostThread__postView_recordWithMedia.json")
    assert COLLECTOR.find(export) == []


def test_record_mapping_on_the_real_get_record_sample(samples):
    value = json.loads((samples / "bluesky" / "getRecord__post.json").read_text())["value"]
    row = record_columns(value, "did:plc:kvwvcn5iqfooopmyzvb4qzba")
    assert (row["text"], row["kind"], row["declared_lang"]) == ("new text114", "post", None)
    assert row["reply_to"] is None
    assert parse_timestamp(value["createdAt"]) == datetime(2024, 2, 22, 19, 58, 13, 903293, tzinfo=UTC)


# ---------------------------------------------------------------- quirks, one by one


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-11-20T10:15:00.000-07:00", datetime(2024, 11, 20, 17, 15, tzinfo=UTC)),
    ("2024-08-07T09:14:24.452762Z", datetime(2024, 8, 7, 9, 14, 24, 452762, tzinfo=UTC)),
    ("2024-08-07T09:14:24.123456789Z", datetime(2024, 8, 7, 9, 14, 24, 123456, tzinfo=UTC)),
    ("2024-08-07t09:14:24z", datetime(2024, 8, 7, 9, 14, 24, tzinfo=UTC)),
    ("2024-08-07T09:14:24", None),
    ("yesterday", None),
    (None, None),
    (1700000000, None),
])
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected


def test_created_at_without_offset_falls_back_to_indexed_at():
    row = map_feed_item(post_item(createdAt="2025-03-12T09:30:00"))
    assert row["published_at"] == datetime(2025, 3, 12, 0, 30, 1, tzinfo=UTC)


def reply_item(parent_view: dict[str, Any]) -> tuple[dict[str, Any], str]:
    parent_uri = f"at://{OTHER}/app.bsky.feed.post/3lk4aaaaaaa2b"
    ref = {"uri": parent_uri, "cid": "x"}
    item = post_item(reply={"root": ref, "parent": ref})
    item["reply"] = {"root": parent_view, "parent": parent_view}
    return item, parent_uri


def test_reply_to_a_deleted_parent_names_its_did():
    item, uri = reply_item({})
    item["reply"]["parent"] = {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}
    assert map_feed_item(item)["reply_to"] == OTHER


def test_reply_to_a_blocked_parent_or_invalid_handle_names_its_did():
    item, uri = reply_item({})
    item["reply"]["parent"] = {"$type": "app.bsky.feed.defs#blockedPost", "uri": uri, "blocked": True,
                               "author": {"did": OTHER}}
    assert map_feed_item(item)["reply_to"] == OTHER
    item["reply"]["parent"] = {"uri": uri, "author": {"did": OTHER, "handle": "handle.invalid"}}
    assert map_feed_item(item)["reply_to"] == OTHER


def test_reply_without_the_items_reply_view_names_the_did():
    item, _ = reply_item({})
    del item["reply"]
    row = map_feed_item(item)
    assert (row["kind"], row["reply_to"]) == ("reply", OTHER)


def test_a_reply_that_quotes_is_a_reply():
    item, _ = reply_item({})
    item["post"]["record"]["embed"] = {"$type": "app.bsky.embed.record",
                                       "record": {"uri": f"at://{OTHER}/app.bsky.feed.post/3kq", "cid": "x"}}
    assert map_feed_item(item)["kind"] == "reply"


def test_embedding_a_feed_generator_is_not_a_quote():
    embed = {"$type": "app.bsky.embed.record", "record": {"uri": f"at://{OTHER}/app.bsky.feed.generator/news"}}
    assert map_feed_item(post_item(embed=embed))["kind"] == "post"


def test_repost_without_record_uri_gets_a_key_per_reposter(tmp_path):
    item = post_item(did=OTHER, handle="seoul-reporter.bsky.social")
    item["reason"] = {"$type": "app.bsky.feed.defs#reasonRepost", "indexedAt": "2025-03-13T00:00:00.000Z",
                      "by": {"did": ME, "handle": "e.bsky.social"}}
    row = read_items(tmp_path, [item]).posts.row(0, named=True)
    assert row["post_id"] == f"repost:at://{OTHER}/app.bsky.feed.post/3lk5db5owk22b:{ME}"
    assert row["kind"] == "repost" and row["published_at"] == datetime(2025, 3, 13, tzinfo=UTC)
    assert (row["likes"], row["shares"], row["replies"]) == (None, None, None)


def test_mention_with_offsets_that_miss_the_handle_falls_back_to_the_did():
    facets = [{"index": {"byteStart": 2, "byteEnd": 400}, "features": [
        {"$type": "app.bsky.richtext.facet#mention", "did": OTHER}]},
        {"index": {"byteStart": 0, "byteEnd": 5}, "features": [{"did": "did:plc:zzz"}]}]
    assert map_feed_item(post_item(facets=facets))["mentions"] == [OTHER, "did:plc:zzz"]


def test_legacy_entities_use_utf16_offsets():
    text = "😍 hi @alice.test see atproto.com"
    entities = [{"type": "mention", "index": {"start": 6, "end": 17}, "value": "did:plc:alice"},
                {"type": "link", "index": {"start": 22, "end": 33}, "value": "https://atproto.com"}]
    row = record_columns({"text": text, "entities": entities, "createdAt": "2023-01-01T00:00:00Z"}, ME)
    assert row["mentions"] == ["alice.test"] and row["urls"] == ["https://atproto.com"]


def test_handle_invalid_author_gets_a_did_permalink():
    row = map_feed_item(post_item(handle="handle.invalid"))
    assert row["url"] == f"https://bsky.app/profile/{ME}/post/3lk5db5owk22b"


# ---------------------------------------------------------------- malformed records are counted skips


@pytest.mark.parametrize(("item", "reason"), [
    ("not an item", "expected the feed item to be an object"),
    ({"reply": {}}, "expected post to be an object"),
    ({"post": {"uri": "https://bsky.app/x", "record": {}}}, "expected post.uri to be an at:// record uri"),
    ({"post": {"uri": f"at://{ME}/app.bsky.feed.post/3k", "author": {"did": ME}}},
     "expected post.record to be"),
    ({"post": {"uri": f"at://{ME}/app.bsky.feed.post/3k", "author": {"did": ME}, "record": {"text": "x"}}},
     "expected post.record.createdAt or post.indexedAt"),
])
def test_malformed_items_are_skipped_with_a_reason(tmp_path, item, reason):
    batch = read_items(tmp_path, [post_item(), item])
    assert batch.posts.height == 1
    [skip] = batch.skipped
    assert skip.index == 1 and skip.reason.startswith(reason) and skip.file.endswith("page.json")


def test_non_string_text_is_skipped(tmp_path):
    batch = read_items(tmp_path, [post_item(), post_item(rkey="3k2", text=42)])
    assert [s.reason for s in batch.skipped] == ["expected record.text to be a string"]


def test_repost_without_its_time_is_skipped(tmp_path):
    item = post_item(did=OTHER, handle="o.bsky.social")
    item["reason"] = {"$type": "app.bsky.feed.defs#reasonRepost", "by": {"did": ME}}
    batch = read_items(tmp_path, [post_item(), item])
    assert batch.skipped[0].reason.startswith("expected reason.indexedAt (the repost time)")


def test_posts_of_other_accounts_without_a_repost_reason_are_skipped(tmp_path):
    batch = read_items(tmp_path, [post_item(rkey="3a"), post_item(rkey="3b"),
                                  post_item(rkey="3c", did=OTHER, handle="o.bsky.social")])
    assert batch.posts.height == 2
    expected = f"post by {OTHER}, not by the feed's account {ME}, without a repost reason"
    assert batch.skipped[0].reason == expected


def test_map_post_view_raises_record_skip_not_key_error():
    with pytest.raises(SkipRecord, match="expected post.record to be an object"):
        map_post_view({"uri": f"at://{ME}/app.bsky.feed.post/3k"})


# ---------------------------------------------------------------- malformed files are errors


def test_truncated_json_names_line_and_column(tmp_path):
    text = (write_page(tmp_path, [post_item()])).read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InputError, match=r"cut\.json:1:\d+: expected valid JSON"):
        read_export(path, CTX, fmt="bluesky_feed")


def test_wrong_top_level_type_is_an_error(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([post_item()]), encoding="utf-8")
    export = open_export(path)
    assert COLLECTOR.find(export) == []
    expected = r'top level: expected a getAuthorFeed response object \{"feed": \[\.\.\.\]\}, found a JSON arr'
    with pytest.raises(InputError, match=expected):
        COLLECTOR.read(export, export.members(), CTX)


def test_object_without_feed_or_with_a_non_array_feed_is_an_error(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"posts": []}), encoding="utf-8")
    export = open_export(path)
    with pytest.raises(InputError, match='expected a getAuthorFeed response with a "feed" array'):
        COLLECTOR.read(export, export.members(), CTX)
    path.write_text(json.dumps({"feed": {"post": {}}}), encoding="utf-8")
    with pytest.raises(InputError, match='expected "feed" to be an array, found a JSON object'):
        COLLECTOR.read(export, export.members(), CTX)


def test_an_empty_feed_alone_is_an_error_but_an_empty_last_page_is_fine(tmp_path):
    empty = write_page(tmp_path, [], name="page9.json")
    with pytest.raises(InputError, match="expected at least one post in a Bluesky getAuthorFeed export"):
        read_export(empty, CTX)
    write_page(tmp_path, [post_item()], name="page1.json", cursor="2025-03-12T00:30:01.000Z")
    report, batch = read_export(tmp_path, CTX)
    assert report.members == ["page1.json", "page9.json"] and batch.posts.height == 1


def test_other_json_is_not_detected(tmp_path):
    (tmp_path / "a.json").write_text('{"data": {"feed": "x"}}', encoding="utf-8")
    (tmp_path / "b.json").write_text('{"orderedItems": []}', encoding="utf-8")
    with pytest.raises(UnknownFormatError):
        detect(open_export(tmp_path), platform="bluesky")
