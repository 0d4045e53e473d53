"""Saved YouTube Data API v3 responses: the real 2019-20 samples, the fixture folder, and bad inputs."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.registry import detect
from audit.collectors.table import dedupe_posts, validate_posts
from audit.collectors.youtube.api import COLLECTOR
from audit.errors import InputError, UnknownFormatError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

CHANNEL = "UCdemoMOFAkorea00000001A"


def read(path: Path, **ctx):
    export = open_export(path)
    try:
        return COLLECTOR.read(export, COLLECTOR.find(export), ReadContext(account_id="t", **ctx))
    finally:
        export.close()


def write(folder: Path, name: str, kind: str, items) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    response = {"kind": kind, "etag": "x", "items": items}
    path.write_text(json.dumps(response, ensure_ascii=False), encoding="utf-8")
    return path


def video(vid: str = "abcdefghijk", published: str = "2024-11-16T06:00:00Z", **snippet) -> dict[str, Any]:
    base = {"publishedAt": published, "channelId": CHANNEL, "title": "T", "description": ""}
    return {"kind": "youtube#video", "id": vid, "snippet": base | snippet}


VIDEOS = "youtube#videoListResponse"
PLAYLIST = "youtube#playlistItemListResponse"
SEARCH = "youtube#searchListResponse"


# --- the real samples ---------------------------------------------------------------------------


GOOGLE_DEVELOPERS = "UC_x5XG1OV2P6uZZ5FSM9Ttw"


def test_real_samples_folder_keeps_the_channel_of_most_videos_and_counts_the_others(samples):
    """20 rows of Google Developers; the keyword search's 25 videos of 18 other channels are counted skips."""
    batch = read(samples / "youtube")
    assert batch.posts.height == 20 and len(batch.skipped) == 25
    assert {s.reason.split("; ", 1)[1] for s in batch.skipped} == {
        f"this account's channel is {GOOGLE_DEVELOPERS}"}
    assert len({s.reason.split("; ", 1)[0] for s in batch.skipped}) == 18
    first = batch.posts.row(0, named=True)
    counts = (first["views"], first["likes"], first["replies"], first["shares"])
    assert first["post_id"] == "D-lhorsDlUQ" and counts == (7920, 190, 32, None)
    assert first["declared_lang"] == "en" and first["url"] == "https://www.youtube.com/watch?v=D-lhorsDlUQ"
    assert batch.declared_languages == ["en"]
    validate_posts(batch.posts)


def test_real_samples_dedupe_keeps_the_row_with_statistics(samples):
    posts = dedupe_posts(read(samples / "youtube").posts)
    row = posts.filter(posts["post_id"] == "D-lhorsDlUQ").row(0, named=True)
    assert row["views"] == 7920


def test_real_search_titles_are_unescaped(samples):
    posts = read(samples / "youtube/search_list__keywords_page1.json").posts  # Jamie O'Brien's 5 videos
    titles = [t.split("\n\n")[0] for t in posts["text"].to_list()]
    assert "DANGEROUS SEWER DRAIN SURFING! | Jamie O'Brien" in titles
    posts = read(samples / "youtube/search_list__keywords_page1.json", handle="UC_F4Iy5korq2mEWZDQhG07w").posts
    titles = [t.split("\n\n")[0] for t in posts["text"].to_list()]
    assert "SURFING PERFECT PIPE & BACKDOOR || SUNRISE SHACK!" in titles
    assert not any("&#39;" in t or "&amp;" in t for t in titles)


def test_real_playlist_page_without_content_details_uses_snippet_time(samples):
    posts = read(samples / "youtube").posts
    row = posts.filter(posts["post_id"] == "CvTApw9X8aA").row(0, named=True)
    assert row["published_at"] == datetime(2019, 11, 21, 22, 17, 43, tzinfo=UTC)
    assert row["likes"] is None and row["views"] is None and row["shares"] is None


def test_channels_list_alone_is_no_known_format(samples, tmp_path):
    shutil.copy(samples / "youtube/channels_list__snippet_statistics.json", tmp_path)
    assert COLLECTOR.find(open_export(tmp_path)) == []
    with pytest.raises(UnknownFormatError, match="no file in it is in a known format"):
        detect(open_export(tmp_path), platform="youtube")


# --- the fixture folder -------------------------------------------------------------------------


def test_fixture_folder_ignores_channels_list(fixtures):
    export = open_export(fixtures / "youtube_api/channel_dump")
    assert "channels_list.json" not in COLLECTOR.find(export)
    assert len(COLLECTOR.find(export)) == 3


def test_fixture_rows_are_ordered_richest_first_and_dedupe(fixtures):
    posts = read(fixtures / "youtube_api/channel_dump").posts
    assert posts["source"][0].endswith("videos_list.json#0")
    unique = dedupe_posts(posts)
    summit = unique.filter(unique["post_id"] == "Kr7summit01").row(0, named=True)
    assert (summit["likes"], summit["replies"], summit["views"]) == (612, 87, 15230)
    assert summit["declared_lang"] == "ko"
    assert unique.height == 4, "five videos, one of another channel"


def test_playlist_publish_time_is_video_published_at(fixtures):
    posts = read(fixtures / "youtube_api/channel_dump").posts
    row = posts.filter(posts["post_id"] == "RuCulture03").row(0, named=True)
    assert row["published_at"] == datetime(2024, 11, 18, 10, 30, tzinfo=UTC), "not the playlist-add time"


def test_fixture_skips_private_deleted_and_non_video_results(fixtures):
    skipped = read(fixtures / "youtube_api/channel_dump").skipped
    reasons = [(Path(s.file).name, s.index, s.reason) for s in skipped]
    assert reasons == [
        ("playlistItems_uploads_page1.json", 2, "video PrivVideo04 is private or deleted (no contentDetails."
                                                "videoPublishedAt)"),
        ("playlistItems_uploads_page1.json", 3, "video DeletedVi05 is private or deleted (no contentDetails."
                                                "videoPublishedAt)"),
        ("search_list_page1.json", 1, "search result is not a video (youtube#channel)"),
        ("search_list_page1.json", 2, "search result is not a video (youtube#playlist)"),
        ("search_list_page1.json", 4, "video of another channel (UCotherChannel000000000X); this account's "
                                      f"channel is {CHANNEL}"),
    ]


def test_hashtags_come_from_text_not_tags_or_urls(fixtures):
    posts = dedupe_posts(read(fixtures / "youtube_api/channel_dump").posts)
    by_id = {row["post_id"]: row for row in posts.to_dicts()}
    assert by_id["Kr7summit01"]["hashtags"] == ["한일정상회담", "KoreaJapan"], "snippet.tags are left out"
    assert by_id["EnBrief0002"]["hashtags"] == ["ConsularHelp"], "not #1, not the #faq of a URL"
    assert by_id["EnBrief0002"]["likes"] is None and by_id["EnBrief0002"]["replies"] is None
    assert by_id["EnBrief0002"]["declared_lang"] == "en", "from defaultAudioLanguage"


def test_handle_that_is_a_channel_id_skips_other_channels(fixtures):
    batch = read(fixtures / "youtube_api/channel_dump", handle=CHANNEL)
    assert "OtherChan07" not in batch.posts["post_id"].to_list()
    assert batch.skipped[-1].reason == (f"video of another channel (UCotherChannel000000000X); this account's "
                                        f"channel is {CHANNEL}")


@pytest.mark.parametrize(("handle", "kept"), [
    (None, ["aaaaaaaaaaa", "bbbbbbbbbbb"]),  # the channel with the most videos
    ("@Other Embassy", ["ccccccccccc"]),  # the channel whose title the handle names
    ("UCother0000000000000000X", ["ccccccccccc"]),  # a channel id
])
def test_a_response_of_several_channels_is_split_and_the_account_keeps_its_own(tmp_path, handle, kept):
    other = {"channelId": "UCother0000000000000000X", "channelTitle": "Other Embassy"}
    write(tmp_path, "search.json", VIDEOS, [video("aaaaaaaaaaa", channelTitle="MOFA"),
                                            video("ccccccccccc", **other),
                                            video("bbbbbbbbbbb", channelTitle="MOFA")])
    batch = read(tmp_path, handle=handle)
    assert sorted(batch.posts["post_id"].to_list()) == kept
    assert len(batch.skipped) == 3 - len(kept)
    assert all(s.reason.startswith("video of another channel (UC") for s in batch.skipped)


def test_read_order_does_not_depend_on_file_names(tmp_path):
    result = {"id": {"kind": "youtube#video", "videoId": "abcdefghijk"},
              "snippet": {"publishedAt": "2024-11-16T06:00:00Z", "title": "T"}}
    write(tmp_path, "a_search.json", SEARCH, [result])
    write(tmp_path, "b_videos_no_stats.json", VIDEOS, [video()])
    write(tmp_path, "c_videos.json", VIDEOS, [video() | {"statistics": {"viewCount": "9"}}])
    sources = [Path(s).name for s in read(tmp_path).posts["source"].to_list()]
    assert sources == ["c_videos.json#0", "b_videos_no_stats.json#0", "a_search.json#0"]


def test_playlist_page_with_content_details_only(tmp_path):
    details = {"videoId": "abcdefghijk", "videoPublishedAt": "2024-01-02T03:04:05Z"}
    write(tmp_path, "p.json", PLAYLIST, [{"kind": "youtube#playlistItem", "contentDetails": details}])
    row = read(tmp_path).posts.row(0, named=True)
    assert (row["post_id"], row["text"]) == ("abcdefghijk", "")
    assert row["published_at"] == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_declared_language_skips_undeclared_tags(tmp_path):
    write(tmp_path, "v.json", VIDEOS, [video(defaultLanguage="zxx", defaultAudioLanguage="en-US")])
    assert read(tmp_path).posts["declared_lang"][0] == "en"


# --- bad input ----------------------------------------------------------------------------------


def test_truncated_json_names_file_and_position(fixtures, tmp_path):
    text = (fixtures / "youtube_api/channel_dump/videos_list.json").read_text(encoding="utf-8")
    path = tmp_path / "videos.json"
    path.write_text(text[:1500], encoding="utf-8")
    with pytest.raises(InputError, match="expected valid JSON") as error:
        read_export(path, ReadContext(), fmt="youtube_api")
    assert error.value.path == str(path) and ":" in str(error.value.position)


def test_wrong_top_level_type(tmp_path):
    path = tmp_path / "videos.json"
    path.write_text(json.dumps([{"kind": VIDEOS, "items": []}]))
    assert COLLECTOR.find(open_export(path)) == []
    with pytest.raises(InputError, match="expected a JSON object .*found a JSON array"):
        COLLECTOR.read(open_export(path), ["videos.json"], ReadContext())


def test_other_kind_is_an_error_when_read(samples):
    path = samples / "youtube/channels_list__snippet_statistics.json"
    with pytest.raises(InputError, match="found kind 'youtube#channelListResponse'"):
        COLLECTOR.read(open_export(path), [path.name], ReadContext())


def test_items_must_be_an_array(tmp_path):
    path = write(tmp_path, "v.json", VIDEOS, {"id": "x"})
    with pytest.raises(InputError, match='expected "items" to be an array'):
        read(path)


def test_response_without_videos_is_an_error(tmp_path):
    with pytest.raises(InputError, match="expected at least one post .* found none"):
        read_export(write(tmp_path, "v.json", VIDEOS, []), ReadContext(), fmt="youtube_api")


def test_malformed_items_are_skipped_and_counted(tmp_path):
    items = [
        "not an item",
        {"kind": "youtube#video", "id": "abcdefghijk", "statistics": {"viewCount": "1"}},
        video(published="yesterday"),
        video(vid="bcdefghijkl") | {"statistics": {"viewCount": "lots", "likeCount": "3"}},
    ]
    batch = read(write(tmp_path, "v.json", VIDEOS, items))
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (0, "expected an item object, found str"),
        (1, "video without snippet.publishedAt (saved without part=snippet)"),
        (2, "expected publishedAt as an ISO 8601 time with offset, found 'yesterday'"),
    ]
    row = batch.posts.row(0, named=True)
    assert (row["views"], row["likes"]) == (None, 3)


def test_find_ignores_other_files(tmp_path, fixtures):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "binary.json").write_bytes(bytes(range(256)))
    shutil.copytree(fixtures / "telegram_desktop/modern_channel", tmp_path / "telegram")
    assert COLLECTOR.find(open_export(tmp_path)) == []
