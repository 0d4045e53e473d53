"""Instagram "Download your information" posts and reels: real samples, fixture quirks, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.instagram.dyi import COLLECTOR
from audit.collectors.registry import detect
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

CTX = ReadContext(account_id="emb-pl")


def read(path, ctx: ReadContext = CTX):
    return read_export(path, ctx, fmt="instagram_dyi")[1]


def write(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")


def medium(ts: int, title: str = "") -> dict[str, Any]:
    return {"uri": f"media/posts/{ts}.jpg", "creation_timestamp": ts, "title": title}


# ------------------------------------------------------------------ real samples


def test_carousel_sample_takes_caption_and_time_from_the_top_level(samples):
    posts = read(samples / "instagram" / "posts_1__carousel_images.json").posts
    post = posts.row(0, named=True)
    assert post["published_at"] == datetime.fromtimestamp(1658871955, tz=UTC)  # not media's ...953
    assert post["text"].startswith("A lil flower garden update:\n\nDalia is in full bloom")
    assert post["hashtags"] == ["daliaflower", "hibiscusplant"]
    assert post["media_count"] == 5


def test_multi_media_sample_counts_every_medium(samples):
    post = read(samples / "instagram" / "posts_1__multi_media.json").posts.row(0, named=True)
    assert post["media_count"] == 10
    assert post["text"] == "What an incredible weekend day trip to celebrate Momma Olga's birthday."


def test_single_video_sample_takes_caption_and_time_from_media(samples):
    post = read(samples / "instagram" / "posts_1__single_video.json").posts.row(0, named=True)
    assert post["text"] == "Pokemon test video"
    assert post["published_at"] == datetime(2016, 3, 23, 11, 32, 16, tzinfo=UTC)
    assert post["media_count"] == 1


def test_reels_sample_is_detected_and_matches_the_same_post_id(samples):
    export = open_export(samples / "instagram" / "reels__single_video.json")
    collector, _ = detect(export, platform="instagram")
    assert collector.name == "instagram_dyi"
    reel = read(samples / "instagram" / "reels__single_video.json").posts
    post = read(samples / "instagram" / "posts_1__single_video.json").posts
    assert reel["post_id"].to_list() == post["post_id"].to_list()  # deduplicated downstream


def test_samples_have_no_counts_language_or_permalink(samples):
    posts = read(samples / "instagram" / "posts_1__carousel_images.json").posts
    for column in ("likes", "shares", "replies", "views", "declared_lang", "url"):
        assert posts[column].null_count() == posts.height, column
    assert posts["kind"].to_list() == ["post"]


# ------------------------------------------------------------------ fixture: mojibake, both placements


def test_fixture_export_is_detected_in_its_folder(fixtures):
    export = open_export(fixtures / "instagram_dyi" / "export_2025")
    collector, members = detect(export, platform="instagram")
    assert collector.name == "instagram_dyi"
    content = "your_instagram_activity/content"
    assert members == [f"{content}/posts_1.json", f"{content}/reels.json"]


def test_mojibake_captions_are_repaired(fixtures):
    texts = read(fixtures / "instagram_dyi" / "export_2025").posts["text"].to_list()
    assert texts[0].startswith("주한 폴란드 대사관에서 열린 쇼팽 콘서트 🎹")
    assert texts[1] == "Wielkanoc w Seulu: życzymy wszystkim zdrowych i spokojnych świąt! #Wielkanoc"
    assert texts[3] == "Polska kuchnia w Seulu 🥟 pierogi ruskie! #폴란드음식"


def test_caption_placement_top_level_and_first_medium(fixtures):
    posts = read(fixtures / "instagram_dyi" / "export_2025").posts.to_dicts()
    assert posts[0]["published_at"] == datetime(2025, 4, 8, 10, tzinfo=UTC)  # top level, not media's 09:59:58
    assert (posts[0]["mentions"], posts[0]["hashtags"]) == (["polandinkorea"], ["쇼팽", "Chopin"])
    assert posts[1]["published_at"] == datetime(2025, 4, 15, 10, tzinfo=UTC)  # only on media[0]
    assert posts[2]["text"] == ""  # a photo without caption is still a post


def test_post_without_media_is_a_counted_skip(fixtures):
    batch = read(fixtures / "instagram_dyi" / "export_2025")
    reasons = [(s.index, s.reason) for s in batch.skipped]
    assert reasons == [(3, "expected 'media' to be a non-empty array of objects")]
    assert batch.skipped[0].file.endswith("your_instagram_activity/content/posts_1.json")


# ------------------------------------------------------------------ layouts and detection


def test_older_content_folder_layout(tmp_path):
    write(tmp_path / "content" / "posts_1.json", [{"media": [medium(1600000000, "old layout")]}])
    assert COLLECTOR.find(open_export(tmp_path)) == ["content/posts_1.json"]
    assert read(tmp_path).posts["text"].to_list() == ["old layout"]


def test_detection_ignores_key_order_and_other_files(tmp_path):
    write(tmp_path / "posts_1.json", [{"title": "[news] first", "creation_timestamp": 1600000000,
                                       "media": [medium(1600000000), medium(1600000000)]}])
    write(tmp_path / "stories.json", {"ig_stories": [medium(1600000000, "story")]})
    write(tmp_path / "your_posts_1.json", [{"timestamp": 1600000000, "data": [{"post": "facebook"}]}])
    assert COLLECTOR.find(open_export(tmp_path)) == ["posts_1.json"]


def test_ids_are_stable_and_per_account(tmp_path):
    write(tmp_path / "posts_1.json", [{"media": [medium(1600000000, "same")]}])
    first = read(tmp_path).posts["post_id"].to_list()
    assert read(tmp_path).posts["post_id"].to_list() == first
    assert read(tmp_path, ReadContext(account_id="other")).posts["post_id"].to_list() != first


# ------------------------------------------------------------------ bad input


def test_truncated_json_names_file_and_position(tmp_path):
    path = tmp_path / "posts_1.json"
    path.write_text('[{"media": [{"uri": "a.jpg", "creation_timestamp": 16000', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.path == str(path)
    assert "expected valid JSON" in err.value.expected
    assert err.value.position is not None


def test_reels_file_with_the_wrong_type_is_an_input_error(tmp_path):
    path = tmp_path / "reels.json"
    write(path, {"ig_reels_media": {"media": []}})
    expected = r"expected 'ig_reels_media' to be an array of reels, found a JSON object"
    with pytest.raises(InputError, match=expected):
        read(path)


def test_empty_reels_read_as_nothing_and_other_objects_are_input_errors(tmp_path):
    path = tmp_path / "reels.json"
    write(path, {"ig_reels_media": []})
    batch = COLLECTOR.read(open_export(path), ["reels.json"], CTX)
    assert batch.posts.is_empty()
    write(path, {"ig_stories": []})
    expected = r"top level: expected an array of posts or an object with 'ig_reels_media'"
    with pytest.raises(InputError, match=expected):
        COLLECTOR.read(open_export(path), ["reels.json"], CTX)


def test_wrong_top_level_type_in_a_content_folder_is_named(tmp_path):
    write(tmp_path / "content" / "posts_1.json", "a string")
    with pytest.raises(InputError, match=r"posts_1.json:top level: expected a JSON array of Instagram posts, "
                                         r"found a JSON string"):
        read(tmp_path)


def test_unrecognised_loose_file_is_an_unknown_format(tmp_path):
    path = tmp_path / "posts_1.json"
    write(path, "a string")
    with pytest.raises(InputError, match="no file in it is in a known format"):
        read(path)


def test_malformed_records_are_skipped_with_reasons(tmp_path):
    path = tmp_path / "posts_1.json"
    write(path, [
        {"media": [medium(1600000000, "good")]},
        7,
        {"media": []},
        {"media": ["a.jpg"]},
        {"media": [{"uri": "a.jpg", "title": "no time"}]},
        {"media": [{"uri": "a.jpg", "creation_timestamp": "1600000000"}], "creation_timestamp": -1},
    ])
    batch = read(path)
    assert batch.posts["text"].to_list() == ["good"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, "expected a post object, found int"),
        (2, "expected 'media' to be a non-empty array of objects"),
        (3, "expected 'media' to be a non-empty array of objects"),
        (4, "expected 'creation_timestamp' as Unix seconds, found None (post) / None (media[0])"),
        (5, "expected 'creation_timestamp' as Unix seconds, found -1 (post) / '1600000000' (media[0])"),
    ]
