"""Generic CSV: the mapped fixture, read-back of `audit posts --out`, each quirk and each bad input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.csv.generic import COLLECTOR
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY, stable_post_id
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.posts.output import write_posts
from audit.sources.exports import open_export

MAPPING = {"post_id": "id", "published_at": "date", "text": "message", "kind": "type",
           "reply_to": "in_reply_to", "declared_lang": "lang", "url": "link", "hashtags": "tags",
           "mentions": "mentions", "urls": "links", "media_count": "media", "likes": "likes",
           "shares": "shares", "replies": "comments", "views": "views"}
CTX = ReadContext(account_id="mofa-kr", handle="@mofa_kr", options={"columns": MAPPING})
PLAIN = ReadContext(account_id="mofa-kr")


def write_csv(tmp_path, text, name="posts.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def read_csv(tmp_path, text, ctx=PLAIN, name="posts.csv"):
    export = open_export(write_csv(tmp_path, text, name))
    return COLLECTOR.read(export, export.members(), ctx)


# ---------------------------------------------------------------- the fixture


@pytest.fixture
def fixture_batch(fixtures):
    return read_export(fixtures / "generic_csv" / "posts.csv", CTX, fmt="generic_csv")[1]


def test_fixture_rows_and_skips_with_line_numbers(fixture_batch):
    assert fixture_batch.posts.height == 7
    assert [(s.index, s.reason) for s in fixture_batch.skipped] == [
        (3, "line 7: published_at 'yesterday' is not an ISO 8601 timestamp"),
        (5, "line 9: kind 'share' is not one of post, reply, repost, quote"),
        (6, "line 10: likes '12k' is not a whole number of zero or more"),
    ]
    assert fixture_batch.skipped[0].file.endswith("posts.csv")


def test_fixture_multiline_text_offsets_and_lists(fixture_batch):
    first = fixture_batch.posts.row(0, named=True)
    assert first["text"] == ("Minister Cho met the UN Secretary-General in New York.\n"
                             "Climate finance was on the agenda.")
    assert first["published_at"] == datetime(2024, 9, 2, 1, 0, tzinfo=UTC)  # 10:00 +09:00
    assert (first["hashtags"], first["mentions"]) == (["ClimateAction", "UN80"], ["UN@mastodon.social"])
    assert (first["likes"], first["shares"], first["replies"], first["views"]) == (88, 25, 3, 1200)
    assert first["source"].endswith("posts.csv#0")


def test_fixture_replies_kinds_and_ids(fixture_batch):
    posts = fixture_batch.posts
    assert posts["kind"].to_list() == ["post", "post", "reply", "reply", "reply", "quote", "repost"]
    assert posts.filter(kind="reply")["reply_to"].to_list() == [
        SELF_REPLY, "FranceDiplo@mastodon.social", "JapanEmb@mstdn.jp"]
    no_id = posts.row(4, named=True)
    assert no_id["post_id"] == stable_post_id("mofa-kr", "2024-09-06T19:20:00.500000+00:00",
                                              "Thank you for the typhoon update.")
    assert posts["likes"].to_list()[1] == 1234 and posts["likes"].to_list()[5] == 17  # "1,234" and "17.0"
    assert posts["declared_lang"].to_list() == ["en", "ko", "ja", "fr", "en", None, None]


def test_fixture_is_claimed_by_generic_csv_when_no_other_format_fits(fixtures):
    collector, members = detect(open_export(fixtures / "generic_csv" / "posts.csv"))
    assert (collector.name, members) == ("generic_csv", ["posts.csv"])


# ---------------------------------------------------------------- reading back `audit posts --out`


def test_posts_written_as_csv_read_back_without_a_mapping(tmp_path, fixtures):
    original = read_export(fixtures / "mastodon_archive" / "archive", PLAIN)[1].posts
    out = tmp_path / "posts.csv"
    write_posts(original, out)
    back = read_export(out, PLAIN, fmt="generic_csv")[1].posts
    assert back.drop("platform", "source").equals(original.drop("platform", "source"))
    assert set(back["platform"]) == {"csv"}


# ---------------------------------------------------------------- quirks


def test_partial_mapping_falls_back_to_canonical_headers(tmp_path):
    ctx = ReadContext(account_id="a", options={"columns": {"text": "message"}})
    batch = read_csv(tmp_path, "published_at,message,likes\n2024-09-02T01:00:00Z,hello,5\n", ctx)
    row = batch.posts.row(0, named=True)
    assert (row["text"], row["likes"], row["kind"], row["media_count"]) == ("hello", 5, "post", 0)
    assert row["post_id"] == stable_post_id("a", "2024-09-02T01:00:00+00:00", "hello")


def test_iso_variants_all_parse(tmp_path):
    text = ("published_at,text\n2024-09-02T01:00:00Z,a\n2024-09-02 10:00:00+09:00,b\n"
            "2024-09-02T01:00:00.000000+0000,c\n2024-09-02T03:00+02:00,d\n")
    times = read_csv(tmp_path, text).posts["published_at"].to_list()
    assert times == [datetime(2024, 9, 2, 1, 0, tzinfo=UTC)] * 4


def test_naive_times_use_the_source_timezone(tmp_path):
    ctx = ReadContext(account_id="a", source_timezone="Asia/Seoul")
    batch = read_csv(tmp_path, "published_at,text\n2024-09-02 10:00:00,a\n2024-09-02,b\n", ctx)
    assert batch.posts["published_at"].to_list() == [datetime(2024, 9, 2, 1, 0, tzinfo=UTC),
                                                     datetime(2024, 9, 1, 15, 0, tzinfo=UTC)]


def test_timestamp_format_with_an_offset_needs_no_timezone(tmp_path):
    ctx = ReadContext(account_id="a", options={"timestamp_format": "%d.%m.%Y %H:%M %z"})
    batch = read_csv(tmp_path, "published_at,text\n02.09.2024 10:00 +0900,a\n2024-09-02T01:00:00Z,b\n", ctx)
    assert batch.posts["published_at"].to_list() == [datetime(2024, 9, 2, 1, 0, tzinfo=UTC)]
    assert [s.reason for s in batch.skipped] == [
        "line 3: published_at '2024-09-02T01:00:00Z' does not match timestamp_format '%d.%m.%Y %H:%M %z'"]


def test_crlf_blank_lines_and_windows_text(tmp_path):
    text = 'published_at,text\r\n\r\n2024-09-02T01:00:00Z,"two\r\nlines"\r\n\r\n2024-09-03T01:00:00Z,x,\r\n'
    batch = read_csv(tmp_path, text.replace(",x,", ",x"))
    assert batch.posts["text"].to_list() == ["two\nlines", "x"]
    assert batch.posts["source"].to_list()[1].endswith("#3")


def test_blank_lines_do_not_shift_line_numbers(tmp_path):
    text = 'published_at,text\n\n2024-09-02T01:00:00Z,"a\nb"\n\nnot a date,c\n'
    assert [s.reason for s in read_csv(tmp_path, text).skipped] == [
        "line 6: published_at 'not a date' is not an ISO 8601 timestamp"]


def test_tab_separated_files(tmp_path):
    text = "published_at\ttext\thashtags\n2024-09-02T01:00:00Z\ta, b\t#x| #y\n"
    batch = read_csv(tmp_path, text, name="p.tsv")
    row = batch.posts.row(0, named=True)
    assert (row["text"], row["hashtags"]) == ("a, b", ["x", "y"])


def test_kind_is_inferred_and_reply_to_only_kept_for_replies(tmp_path):
    text = ("published_at,text,kind,reply_to\n2024-09-02T01:00:00Z,a,,@someone\n"
            "2024-09-02T01:00:00Z,b,post,x\n2024-09-02T01:00:00Z,c, Reply ,@MOFA_KR\n"
            "2024-09-02T01:00:00Z,d,  ,\n")
    posts = read_csv(tmp_path, text, ReadContext(handle="mofa_kr")).posts
    assert posts["kind"].to_list() == ["reply", "post", "reply", "post"]
    assert posts["reply_to"].to_list() == ["someone", None, SELF_REPLY, None]


def test_bad_rows_are_skipped_and_counted(tmp_path):
    text = ("published_at,text,likes,views,media_count\n"
            ",empty time,1,1,0\n"
            "2024-09-02T01:00:00Z,negative,-1,1,0\n"
            "2024-09-02T01:00:00Z,fraction,1,1.5,0\n"
            "2024-09-02T01:00:00Z,media,1,1,many\n"
            "2024-09-02T01:00:00Z,good,\" 2,000 \",3.0,2\n")
    batch = read_csv(tmp_path, text)
    assert batch.posts.select("likes", "views", "media_count").row(0) == (2000, 3, 2)
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (0, "line 2: published_at is empty"),
        (1, "line 3: likes '-1' is not a whole number of zero or more"),
        (2, "line 4: views '1.5' is not a whole number of zero or more"),
        (3, "line 5: media_count 'many' is not a whole number of zero or more"),
    ]


def test_daylight_saving_gap_is_a_counted_skip(tmp_path):
    ctx = ReadContext(source_timezone="Europe/Paris")
    batch = read_csv(tmp_path, "published_at,text\n2024-03-31 02:30,gap\n", ctx)
    assert [s.reason for s in batch.skipped] == [
        "line 2: published_at '2024-03-31 02:30' does not exist in Europe/Paris (a daylight-saving gap)"]


# ---------------------------------------------------------------- bad files


def test_missing_mapped_columns_name_file_line_and_headers(tmp_path):
    path = write_csv(tmp_path, "id,date,text\n1,2024-09-02T01:00:00Z,a\n")
    with pytest.raises(InputError) as err:
        read_export(path, CTX, fmt="generic_csv")
    message = str(err.value)
    assert message.startswith(f"{path}:line 1: expected the mapped CSV headers ['message', 'type', ")
    assert "'comments', 'views']" in message and "'date'" not in message.split("(")[0]


def test_missing_required_columns_without_mapping(tmp_path):
    path = write_csv(tmp_path, "date,message\n2024-09-02T01:00:00Z,a\n")
    with pytest.raises(InputError, match=r"posts\.csv:line 1: expected columns for \['published_at', 'text"):
        read_export(path, PLAIN, fmt="generic_csv")


def test_unknown_canonical_name_in_mapping(tmp_path):
    path = write_csv(tmp_path, "date,message\n2024-09-02T01:00:00Z,a\n")
    ctx = ReadContext(options={"columns": {"published_at": "date", "body": "message"}})
    expected = r"expected canonical column names in the columns mapping, found \['body'\]"
    with pytest.raises(InputError, match=expected):
        read_export(path, ctx, fmt="generic_csv")


def test_offsetless_times_without_source_timezone_name_the_key(tmp_path):
    path = write_csv(tmp_path, "published_at,text\n2024-09-02T01:00:00Z,a\n2024-09-02 10:00,b\n")
    ctx = ReadContext(source_timezone_key="accounts[3].source_timezone")
    with pytest.raises(InputError) as err:
        read_export(path, ctx, fmt="generic_csv")
    assert str(err.value) == (f"{path}:line 3: timestamps carry no UTC offset; "
                              "set accounts[3].source_timezone = \"Area/City\" on the account")


def test_empty_file_and_header_only(tmp_path):
    export = open_export(write_csv(tmp_path, ""))
    with pytest.raises(InputError, match=r"posts\.csv: expected a CSV header line, found an empty file"):
        COLLECTOR.read(export, export.members(), PLAIN)
    path = write_csv(tmp_path, "published_at,text\n", name="header.csv")
    with pytest.raises(InputError, match=r"header\.csv: expected at least one post in .*, found none"):
        read_export(path, PLAIN, fmt="generic_csv")


def test_ragged_row_names_its_line(tmp_path):
    path = write_csv(tmp_path, "published_at,text\n2024-09-02T01:00:00Z,a\n2024-09-02T01:00:00Z,b,extra\n")
    with pytest.raises(InputError, match=r"posts\.csv:line 3: expected a well-formed CSV \(found more"):
        read_export(path, PLAIN, fmt="generic_csv")


def test_unterminated_quote_is_a_file_error(tmp_path):
    path = write_csv(tmp_path, 'published_at,text\n2024-09-02T01:00:00Z,"open\n')
    with pytest.raises(InputError, match=r"posts\.csv:line \d+: expected a well-formed CSV"):
        read_export(path, PLAIN, fmt="generic_csv")


def test_find_wants_a_header_of_two_columns(tmp_path):
    write_csv(tmp_path, "published_at,text\n", name="a.csv")
    write_csv(tmp_path, "just one column\n", name="b.csv")
    write_csv(tmp_path, "published_at,text\n", name="c.txt")
    write_csv(tmp_path, "", name="d.csv")
    (tmp_path / "e.csv").write_bytes(b"\xff\xfe\x00\x01")
    assert COLLECTOR.find(open_export(tmp_path)) == ["a.csv"]


def test_without_entity_columns_mentions_hashtags_links_and_retweets_come_from_the_text(tmp_path):
    text = ("post_id,published_at,text\n"
            '1,2025-03-01T09:00:00Z,"RT @MofaJapan_en: youth exchange #KoreaJapan https://example.org/a?x=1."\n'
            '2,2025-03-01T10:00:00Z,"Thanks @kocis_jp! Write to info@example.org #K_culture"\n')
    posts = read_csv(tmp_path, text).posts.sort("post_id")
    assert posts["kind"].to_list() == ["repost", "post"]
    assert posts["mentions"].to_list() == [["MofaJapan_en"], ["kocis_jp"]]
    assert posts["hashtags"].to_list() == [["KoreaJapan"], ["K_culture"]]
    assert posts["urls"].to_list() == [["https://example.org/a?x=1"], []]


def test_entity_and_kind_columns_the_file_has_win_over_the_text(tmp_path):
    text = ("post_id,published_at,text,mentions,kind\n"
            '1,2025-03-01T09:00:00Z,"RT @MofaJapan_en: hello @other",MofaJapan_en,quote\n')
    posts = read_csv(tmp_path, text).posts
    assert posts["kind"].to_list() == ["quote"]
    assert posts["mentions"].to_list() == [["MofaJapan_en"]]
    assert posts["hashtags"].to_list() == [[]]
