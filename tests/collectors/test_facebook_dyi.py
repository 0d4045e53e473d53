"""Facebook "Download your information" posts: detection, Meta quirks and bad input.

No permissively licensed real export exists (FORMATS.md section 2), so these run on fixtures built
in the real structure (checked against public DYI files used as read-only references).
"""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.facebook.dyi import COLLECTOR
from audit.collectors.registry import detect
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

NEW_NAME = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
CTX = ReadContext(account_id="emb-kr")


def moji(text: str) -> str:
    """Text as Meta writes it: every UTF-8 byte as its own code point."""
    return text.encode("utf-8").decode("latin-1")


def write(path, entries) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, ensure_ascii=True), encoding="utf-8")


def entry(ts: int, text: str | None = None, *, uris=(), url=None, title=None) -> dict[str, Any]:
    """One DYI entry in the real shape: data[].post, attachments[].data[].media/external_context."""
    items = [{"media": {"uri": u, "creation_timestamp": ts, "title": ""}} for u in uris]
    items += [{"external_context": {"url": url}}] if url else []
    value: dict[str, Any] = {"timestamp": ts, "data": ([{"post": moji(text)}] if text is not None else []) + [
        {"update_timestamp": ts}]}
    if items:
        value["attachments"] = [{"data": items}]
    if title:
        value["title"] = moji(title)
    return value


def read(path, ctx: ReadContext = CTX):
    return read_export(path, ctx, fmt="facebook_dyi")[1]


# ------------------------------------------------------------------ fixtures in the real layouts


def test_new_layout_is_detected_from_content(fixtures):
    export = open_export(fixtures / "facebook_dyi" / "profile_2025")
    collector, members = detect(export, platform="facebook")
    assert collector.name == "facebook_dyi"
    assert members == [NEW_NAME]


def test_page_export_layout_is_detected(fixtures):
    export = open_export(fixtures / "facebook_dyi" / "page_2025")
    assert COLLECTOR.find(export) == ["this_profile's_activity_across_facebook/posts/profile_posts_1.json"]


def test_mojibake_is_repaired_in_polish_korean_and_emoji(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts
    texts = posts["text"].to_list()
    assert texts[0].startswith("Zapraszamy na koncert chopinowski w Seulu! 🎹 Wstęp wolny")
    assert texts[1].startswith("한국-폴란드 수교 35주년")
    assert not any("Ã" in t or "Å" in t or "ð" in t for t in texts)


def test_multi_photo_post_split_over_entries_becomes_one_post(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts
    split = posts.filter(posts["published_at"] == datetime(2025, 3, 10, 10, tzinfo=UTC))
    assert split.height == 1
    assert split["media_count"].item() == 3
    assert split["source"].item().endswith("#1")  # the first of the merged entries


def test_shared_link_without_text_is_a_post(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts
    shared = posts.filter(posts["text"] == "")
    assert shared["kind"].to_list() == ["post"]
    assert shared["urls"].to_list() == [["https://www.gov.pl/web/korea/wizy"]]


def test_photo_caption_is_the_text_when_the_entry_has_no_post(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts
    assert "Dzień otwarty ambasady — dziękujemy za odwiedziny! 감사합니다" in posts["text"].to_list()


def test_activity_entries_and_missing_timestamps_are_counted_skips(fixtures):
    batch = read(fixtures / "facebook_dyi" / "profile_2025")
    reasons = {s.index: s.reason for s in batch.skipped}
    assert reasons[6] == ("no text, link or media: an activity entry, not a post "
                          "('Ambasada RP w Seulu – świętuje.')")
    assert reasons[7] == "missing 'timestamp' (Unix seconds)"
    assert all(s.file.endswith(NEW_NAME) for s in batch.skipped)


def test_export_has_no_ids_counts_language_or_permalink(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts
    for column in ("likes", "shares", "replies", "views", "declared_lang", "url", "reply_to"):
        assert posts[column].null_count() == posts.height, column
    assert posts["post_id"].str.len_chars().to_list() == [20] * posts.height


def test_entities_come_from_text_and_attachments(fixtures):
    posts = read(fixtures / "facebook_dyi" / "profile_2025").posts.to_dicts()
    assert posts[0]["hashtags"] == ["Chopin", "PolskaWKorei"]
    assert posts[0]["urls"] == ["https://www.gov.pl/web/korea/koncert-chopinowski"]
    assert posts[1]["mentions"] == ["PLinKorea"]
    assert posts[1]["hashtags"] == ["한폴수교35주년"]


def test_note_photos_count_and_links_in_text_are_urls(fixtures):
    posts = read(fixtures / "facebook_dyi" / "page_2025").posts.to_dicts()
    assert posts[1]["media_count"] == 2
    assert posts[1]["urls"] == ["https://nawa.gov.pl"]


# ------------------------------------------------------------------ behaviour on small exports


def test_old_layout_in_several_parts_is_read_whole(tmp_path):
    write(tmp_path / "posts" / "your_posts_1.json", [entry(1700000000, "first", uris=["a.jpg"])])
    write(tmp_path / "posts" / "your_posts_2.json", [entry(1700000000, "first", uris=["b.jpg"]),
                                                     entry(1700003600, "second")])
    export = open_export(tmp_path)
    assert COLLECTOR.find(export) == ["posts/your_posts_1.json", "posts/your_posts_2.json"]
    posts = read(tmp_path).posts
    assert posts["text"].to_list() == ["first", "second"]
    assert posts["media_count"].to_list() == [2, 0]


def test_same_timestamp_with_other_text_stays_separate_and_repeated_photos_count_once(tmp_path):
    write(tmp_path / "your_posts_1.json", [
        entry(1700000000, "one", uris=["a.jpg"]), entry(1700000000, "one", uris=["a.jpg", "b.jpg"]),
        entry(1700000000, "two", uris=["c.jpg"]),
    ])
    posts = read(tmp_path).posts
    assert posts.select("text", "media_count").rows() == [("one", 2), ("two", 1)]


def test_ids_are_stable_per_account_and_distinct_across_accounts(tmp_path):
    write(tmp_path / "your_posts_1.json", [entry(1700000000, "hello", url="https://example.org")])
    first = read(tmp_path).posts["post_id"].to_list()
    again = read(tmp_path).posts["post_id"].to_list()
    other = read(tmp_path, ReadContext(account_id="other")).posts["post_id"].to_list()
    assert first == again
    assert first != other


def test_timestamp_is_unix_seconds_in_utc(tmp_path):
    write(tmp_path / "your_posts_1.json", [entry(1372444612, "x")])
    assert read(tmp_path).posts["published_at"].item() == datetime(2013, 6, 28, 18, 36, 52, tzinfo=UTC)


def test_detection_is_by_content_whatever_the_file_is_called(tmp_path):
    write(tmp_path / "renamed_by_hand.json", [entry(1700000000, "x", url="https://example.org")])
    assert COLLECTOR.find(open_export(tmp_path)) == ["renamed_by_hand.json"]


def test_reactions_and_instagram_files_are_not_facebook_posts(tmp_path):
    write(tmp_path / "likes_and_reactions_1.json", [
        {"timestamp": 1700000000, "data": [{"reaction": {"reaction": "LIKE", "actor": "A"}}], "title": "A"}])
    instagram = {"uri": "a.jpg", "creation_timestamp": 1700000000, "title": "x"}
    write(tmp_path / "posts_1.json", [{"media": [instagram]}])
    write(tmp_path / "comments.json", {"comments_v2": []})
    (tmp_path / "photo.json").write_bytes(b"\xff\xd8\xff\xe0 not json")
    assert COLLECTOR.find(open_export(tmp_path)) == []


# ------------------------------------------------------------------ bad input


def test_truncated_json_names_file_and_position(tmp_path):
    path = tmp_path / "your_posts_1.json"
    path.write_text('[{"timestamp": 1700000000, "data": [{"post": "cut here', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.path == str(path)
    assert "expected valid JSON" in err.value.expected
    assert err.value.position == "1:46"


def test_wrong_top_level_type_is_an_input_error(tmp_path):
    path = tmp_path / "your_posts_1.json"
    write(path, {"status_updates_v2": []})
    with pytest.raises(InputError, match=r"expected a JSON array of Facebook posts, found a JSON object"):
        read(path)


def test_empty_file_and_empty_array_are_input_errors(tmp_path):
    empty = tmp_path / "a" / "your_posts_1.json"
    empty.parent.mkdir()
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="found an empty file"):
        read(empty)
    nothing = tmp_path / "b" / "your_posts_1.json"
    write(nothing, [])
    with pytest.raises(InputError, match="expected at least one post"):
        read(nothing)


def test_malformed_records_are_skipped_with_reasons(tmp_path):
    path = tmp_path / "your_posts_1.json"
    write(path, [
        entry(1700000000, "good"),
        "not an object",
        {"timestamp": "yesterday", "data": [{"post": "x"}]},
        {"timestamp": 1700000001, "data": {"post": "x"}},
        {"timestamp": 1700000002, "attachments": "none", "data": [{"post": "x"}]},
        {"timestamp": True, "data": [{"post": "x"}]},
        {"timestamp": 1700000003, "data": [None, 5, {"post": 7}],
         "attachments": [None, {"data": [1, {"media": 3}]}]},
    ])
    batch = read(path)
    assert batch.posts["text"].to_list() == ["good"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, "expected a post object, found str"),
        (2, "expected 'timestamp' as Unix seconds, found 'yesterday'"),
        (3, "expected 'data' to be an array, found dict"),
        (4, "expected 'attachments' to be an array, found str"),
        (5, "expected 'timestamp' as Unix seconds, found True"),
        (6, "no text, link or media: an activity entry, not a post"),
    ]


def test_zip_of_the_export_reads_like_the_folder(fixtures, tmp_path):
    folder = fixtures / "facebook_dyi" / "profile_2025"
    archive = tmp_path / "facebook-embassy.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in folder.rglob("*.json"):
            zf.write(path, path.relative_to(folder).as_posix())
    from_zip, from_folder = read(archive), read(folder)
    assert from_zip.posts.drop("source").equals(from_folder.posts.drop("source"))
    assert from_zip.posts["source"][0] == f"{archive}!{NEW_NAME}#0"
