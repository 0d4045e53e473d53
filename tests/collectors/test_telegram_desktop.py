"""Telegram Desktop exports: the real 2020 sample, the modern fixtures, and every bad input we know of."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY, dedupe_posts, validate_posts
from audit.collectors.telegram.desktop import COLLECTOR, count_service_messages
from audit.errors import InputError, UnknownFormatError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

SAMPLE = "telegram/result__private_channel_2020.json"


def read(path: Path, **ctx):
    export = open_export(path)
    try:
        return COLLECTOR.read(export, COLLECTOR.find(export), ReadContext(account_id="t", **ctx))
    finally:
        export.close()


def rows(batch) -> dict[str, dict[str, Any]]:
    return {row["post_id"]: row for row in batch.posts.to_dicts()}


def write_export(tmp_path: Path, messages: list[Any], chat_type: str = "public_channel"):
    path = tmp_path / "result.json"
    chat = {"name": "Demo", "type": chat_type, "id": 42, "messages": messages}
    path.write_text(json.dumps(chat, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def message(mid: int, text="hello", unix: str | None = "1731717000", **extra) -> dict[str, Any]:
    stamp = {"date": "2024-11-16T09:30:00"} | ({"date_unixtime": unix} if unix else {})
    sender = {"from": "Demo", "from_id": "channel42"}
    return {"id": mid, "type": "message", **stamp, **sender, "text": text} | extra


# --- the real 2020 sample (no date_unixtime) ----------------------------------------------------


def test_old_sample_reads_with_source_timezone(samples):
    batch = read(samples / SAMPLE, source_timezone="Europe/Moscow")
    posts = rows(batch)
    assert len(posts) == 18 and batch.skipped == []
    assert "1292077344/1" not in posts, "the create_channel service message is not a post"
    assert posts["1292077344/2"]["published_at"] == datetime(2020, 11, 12, 9, 54, 7, tzinfo=UTC)
    assert posts["1292077344/9"]["text"] == "italic in text\n\nitalic on whole line"
    assert posts["1292077344/14"]["urls"] == ["http://example.com/", "example.com"]
    assert posts["1292077344/3"]["text"] == "" and posts["1292077344/3"]["media_count"] == 1
    assert posts["1292077344/2"]["media_count"] == 0 and posts["1292077344/2"]["likes"] is None
    validate_posts(batch.posts)


def test_old_sample_without_timezone_names_the_key(samples):
    with pytest.raises(InputError) as error:
        read(samples / SAMPLE)
    assert 'set source_timezone = "Area/City"' in str(error.value)
    assert error.value.position == "messages[1]"
    assert error.value.path.endswith("result__private_channel_2020.json")


def test_missing_timezone_error_uses_the_accounts_file_key(samples):
    with pytest.raises(InputError, match=r"set accounts\[2\]\.source_timezone = "):
        read(samples / SAMPLE, source_timezone_key="accounts[2].source_timezone")


def test_unknown_timezone_is_an_input_error(samples):
    with pytest.raises(InputError, match="expected an IANA time zone.*Mars/Olympus"):
        read(samples / SAMPLE, source_timezone="Mars/Olympus")


def test_sample_service_messages_are_counted_for_coverage(samples):
    export = open_export(samples / SAMPLE)
    assert count_service_messages(export, COLLECTOR.find(export)) == 1


def test_sample_is_detected_from_content(samples, tmp_path):
    renamed = tmp_path / "channel_dump.json"
    shutil.copy(samples / SAMPLE, renamed)
    collector, members = detect(open_export(renamed))
    assert collector.name == "telegram_desktop" and members == ["channel_dump.json"]


# --- the modern fixture -------------------------------------------------------------------------


def test_modern_export_needs_no_timezone_and_reads_every_quirk(fixtures):
    batch = read(fixtures / "telegram_desktop/modern_channel", handle="@mofa_demo")
    posts = rows(batch)
    assert posts["1234567890/3"]["likes"] == 15, "12 emoji + 3 custom emoji; 50 paid Stars are not likes"
    assert posts["1234567890/3"]["hashtags"] == ["KoreaJapan"]
    assert posts["1234567890/3"]["mentions"] == ["mofa_japan_en"]
    assert posts["1234567890/11"]["mentions"] == ["5550001"], "a mention by name gives the user id"
    assert posts["1234567890/3"]["urls"][1] == "https://youtu.be/abcdEFGhijk", "text_link gives its href"
    assert posts["1234567890/4"]["kind"] == "repost" and posts["1234567890/4"]["reply_to"] is None
    assert (posts["1234567890/5"]["kind"], posts["1234567890/5"]["reply_to"]) == ("reply", SELF_REPLY)
    assert posts["1234567890/10"]["reply_to"] == "channel1006503122", "a reply to another chat's message"
    assert posts["1234567890/7"]["text"] == "" and posts["1234567890/7"]["media_count"] == 1
    assert "File not included" not in "".join(batch.posts["text"].to_list())
    assert posts["1234567890/2"]["url"] == "https://t.me/mofa_demo/2"
    assert posts["1234567890/2"]["source"].endswith("modern_channel/result.json#1")


def test_modern_export_skips_are_counted_with_reasons(fixtures):
    batch = read(fixtures / "telegram_desktop/modern_channel")
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (7, "message without a date"),
        (8, "message Telegram Desktop could not export (type 'unsupported')"),
    ]
    assert batch.posts["url"].null_count() == batch.posts.height, "no handle, no permalink"
    export = open_export(fixtures / "telegram_desktop/modern_channel")
    assert count_service_messages(export, ["result.json"]) == 2


def test_date_unixtime_wins_over_the_local_date(tmp_path):
    batch = read(write_export(tmp_path, [message(1)]), source_timezone="America/New_York")
    assert batch.posts["published_at"][0] == datetime(2024, 11, 16, 0, 30, tzinfo=UTC)


def test_timezone_is_needed_per_message(tmp_path):
    path = write_export(tmp_path, [message(1), message(2, unix=None)])
    with pytest.raises(InputError, match="timestamps carry no UTC offset") as error:
        read(path)
    assert error.value.position == "messages[1]"
    batch = read(path, source_timezone="Asia/Seoul")
    assert batch.posts["published_at"].to_list() == [datetime(2024, 11, 16, 0, 30, tzinfo=UTC)] * 2


def test_text_entities_are_preferred_over_text(tmp_path):
    entities = [{"type": "plain", "text": "see "}, {"type": "hashtag", "text": "#Nara"}]
    batch = read(write_export(tmp_path, [message(1, text="see #Nara", text_entities=entities)]))
    assert batch.posts["hashtags"][0].to_list() == ["Nara"] and batch.posts["text"][0] == "see #Nara"


# --- the full data export -----------------------------------------------------------------------


def test_full_export_reads_every_channel_and_records_the_chat(fixtures):
    batch = read(fixtures / "telegram_desktop/full_export")
    posts = rows(batch)
    assert sorted(posts) == ["1234567890/2", "2233445566/2", "2233445566/3"]
    assert posts["2233445566/2"]["source"].endswith("result.json#chats.list[3].messages[1]")
    assert posts["1234567890/2"]["url"] is None, "several channels: the handle cannot be tied to one"


@pytest.mark.parametrize(("handle", "url"), [
    ("MOFA Demo", None),
    ("mofademo", "https://t.me/mofademo/2"),
    ("1234567890", None),
])
def test_full_export_prefers_the_channel_the_handle_names(fixtures, handle, url):
    batch = read(fixtures / "telegram_desktop/full_export", handle=handle)
    assert batch.posts["post_id"].to_list() == ["1234567890/2"]
    assert batch.posts["url"][0] == url


def test_full_export_without_channels_is_an_error(tmp_path):
    path = tmp_path / "result.json"
    chats = [{"name": "Friend", "type": "personal_chat", "id": 1, "messages": [message(1)]}]
    path.write_text(json.dumps({"about": "Here is the data you requested.", "personal_information": {},
                                "chats": {"about": "", "list": chats}}))
    with pytest.raises(InputError, match="expected at least one channel"):
        read(path)


def test_full_export_counts_every_chat_it_does_not_read_with_its_type(tmp_path):
    path = tmp_path / "result.json"
    chats = [{"name": "MOFA", "type": "public_channel", "id": 1, "messages": [message(1)]},
             {"name": "Friend", "type": "personal_chat", "id": 2, "messages": [message(1, text="see you at 8")]},
             {"name": "Forum", "type": "private_forum", "id": 3, "messages": [message(1, text="new kind")]}]
    path.write_text(json.dumps({"about": "Here is the data you requested.", "chats": {"list": chats}}))
    batch = read(path)
    assert batch.posts["post_id"].to_list() == ["1/1"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        ("chats.list[1]", "chat of type 'personal_chat', not a channel: a conversation, not the account's posts "
                          "(private, not audited)"),
        ("chats.list[2]", "chat of unknown type 'private_forum': not read (expected public_channel or "
                          "private_channel)"),
    ]


def test_a_single_chat_of_unknown_type_is_an_error_naming_the_type(tmp_path):
    write_export(tmp_path, [message(1)], chat_type="private_forum")
    with pytest.raises(InputError, match=r"result.json:type: expected a chat of a known type .*'private_forum'"):
        read_export(tmp_path / "result.json", ReadContext(account_id="t"))


def test_same_message_from_single_and_full_export_deduplicates(fixtures):
    single = read(fixtures / "telegram_desktop/modern_channel").posts
    full = read(fixtures / "telegram_desktop/full_export").posts
    both = dedupe_posts(single.vstack(full))
    assert both.height == single.height + full.height - 1


def test_zipped_export_reads_with_bang_sources(fixtures, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "telegram_desktop/modern_channel/result.json", "ChatExport_2024-11-20/result.json")
    batch = read(archive)
    assert batch.posts.height == 7
    assert batch.posts["source"][0].endswith("export.zip!ChatExport_2024-11-20/result.json#1")


# --- groups (a single export of a non-channel chat) ---------------------------------------------


def test_group_replies_name_the_author_replied_to(tmp_path):
    messages = [
        message(1, from_id="user7"),
        message(2, from_id="user8", reply_to_message_id=1),
        message(3, from_id="user8", reply_to_message_id=2),
    ]
    batch = read(write_export(tmp_path, messages, chat_type="private_supergroup"))
    assert batch.posts["reply_to"].to_list() == [None, "user7", SELF_REPLY]


# --- bad input ----------------------------------------------------------------------------------


def test_truncated_json_names_file_and_position(fixtures, tmp_path):
    text = (fixtures / "telegram_desktop/modern_channel/result.json").read_text(encoding="utf-8")
    path = tmp_path / "result.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InputError, match="expected valid JSON") as error:
        read_export(path, ReadContext(), fmt="telegram_desktop")
    assert error.value.path == str(path) and ":" in str(error.value.position)


def test_wrong_top_level_type_is_not_detected_and_not_read(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps([{"name": "Demo", "type": "public_channel", "id": 1, "messages": []}]))
    with pytest.raises(UnknownFormatError):
        read_export(path, ReadContext(), fmt="telegram_desktop")
    with pytest.raises(InputError, match="expected a JSON object .*found a JSON array"):
        COLLECTOR.read(open_export(path), ["result.json"], ReadContext())


def test_object_without_messages_or_chats_is_an_error(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"name": "Demo", "type": "public_channel", "id": 1}')
    with pytest.raises(InputError, match='expected a chat export with "messages"'):
        COLLECTOR.read(open_export(path), ["result.json"], ReadContext())


def test_messages_must_be_an_array(tmp_path):
    path = tmp_path / "result.json"
    path.write_text('{"name": "Demo", "type": "public_channel", "id": 1, "messages": {"id": 1}}')
    with pytest.raises(InputError, match='expected "messages" to be an array'):
        COLLECTOR.read(open_export(path), ["result.json"], ReadContext())


@pytest.mark.parametrize("messages", [[], [{"id": 1, "type": "service", "date_unixtime": "1731717000",
                                            "action": "create_channel", "text": ""}]])
def test_export_without_posts_is_an_error(tmp_path, messages):
    with pytest.raises(InputError, match="expected at least one post .* found none"):
        read_export(write_export(tmp_path, messages), ReadContext(), fmt="telegram_desktop")


def test_malformed_messages_are_skipped_and_counted(tmp_path):
    messages = [
        "not a message", message(2, text=17), message(3, unix="soon"), {"type": "message", "text": "no id"},
        message(5, type="poll_result"), message(6),
    ]
    batch = read(write_export(tmp_path, messages))
    assert batch.posts["post_id"].to_list() == ["42/6"]
    assert [s.index for s in batch.skipped] == [0, 1, 2, 3, 4]
    assert batch.skipped[0].reason == "expected a message object, found str"
    assert batch.skipped[1].reason == "expected text as a string or a list of text parts"
    assert batch.skipped[2].reason == "expected a date, found 'soon'"


def test_find_ignores_other_files(tmp_path, fixtures):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "binary.json").write_bytes(bytes(range(256)))
    (tmp_path / "notes.txt").write_text('{"name": "x", "type": "public_channel", "messages": [')
    shutil.copytree(fixtures / "youtube_api/channel_dump", tmp_path / "youtube")
    assert COLLECTOR.find(open_export(tmp_path)) == []
